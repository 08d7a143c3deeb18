"""Keys for the two schemes, from one ``whsec_…`` signing secret."""

from .encoding import from_base64
from .errors import WebhookVerificationError

_PREFIX = "whsec_"


def _require_secret(secret):
    if not isinstance(secret, str) or secret == "":
        raise WebhookVerificationError(
            "invalid_secret", 'The signing secret is empty or not a string; copy it from Settings > DevTools (it starts with "whsec_").'
        )
    # Secrets never contain whitespace; a stray newline from a .env file or a copy-paste would
    # otherwise surface as a puzzling bad_signature on every request.
    if any(character.isspace() for character in secret):
        raise WebhookVerificationError("invalid_secret", "The signing secret contains whitespace (a trailing newline from a .env file?); remove it.")
    return secret


def real_id_key(secret):
    """X-Real-ID-Signature is keyed by the UTF-8 bytes of the whole secret, prefix included (the seed's recipes)."""
    return _require_secret(secret).encode("utf-8")


def standard_key(secret):
    """Standard Webhooks key the HMAC with the base64-decoded part after ``whsec_`` (the prefix is optional)."""
    text = _require_secret(secret)
    key = from_base64(text[len(_PREFIX):] if text.startswith(_PREFIX) else text)
    if not key:
        raise WebhookVerificationError(
            "invalid_secret", 'The signing secret is not "whsec_" followed by base64; copy it again from Settings > DevTools.'
        )
    return key
