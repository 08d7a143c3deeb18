"""verify_webhook: the Python twin of @realid/webhooks' verifyWebhook, with the same reasons."""

import hashlib
import hmac
import re
import time

from .encoding import from_base64, from_hex
from .errors import WebhookVerificationError
from .events import parse_event
from .raw import header_reader, raw_body_bytes
from .secret import real_id_key, standard_key

DEFAULT_TOLERANCE_SECONDS = 300
SCHEMES = ("any", "standard", "real-id")
_UNIX_SECONDS = re.compile(r"[0-9]{1,15}")
_NOT_SIGNED = "Neither webhook-signature nor X-Real-ID-Signature is present: this request was not signed by Real ID."


def _missing(message):
    return WebhookVerificationError("missing_signature", message)


def _standard_check(body, header, secret):
    signatures = header("webhook-signature")
    msg_id = header("webhook-id")
    timestamp = header("webhook-timestamp")
    if not signatures:
        raise _missing("The webhook-signature header is missing.")
    if not msg_id:
        raise _missing("The webhook-id header is missing (it is signed together with the body).")
    if not timestamp:
        raise _missing("The webhook-timestamp header is missing (it is signed together with the body).")
    if not _UNIX_SECONDS.fullmatch(timestamp):
        raise WebhookVerificationError("bad_signature", 'webhook-timestamp "%s" is not unix seconds.' % timestamp)
    # Several "v1,<base64>" entries during a secret rotation; other versions (v1a, ...) are not ours to check.
    entries = [entry.rstrip(",") for entry in signatures.split()]
    candidates = [from_base64(entry[len("v1,"):]) for entry in entries if entry.startswith("v1,")]
    message = ("%s.%s." % (msg_id, timestamp)).encode("utf-8") + body
    return "standard", standard_key(secret), message, [c for c in candidates if c is not None], int(timestamp)


def _real_id_check(body, header, secret, absent):
    signature = (header("x-real-id-signature") or "").strip()
    if not signature:
        raise _missing(absent)
    decoded = from_hex(signature)
    return "real-id", real_id_key(secret), body, [decoded] if decoded is not None else [], None


def _epoch_seconds(now):
    if now is None:
        return int(time.time())
    if hasattr(now, "timestamp"):
        return int(now.timestamp())
    return int(now)


def verify_webhook(raw_body, headers, secret, scheme="any", tolerance_seconds=DEFAULT_TOLERANCE_SECONDS, now=None):
    """Verify a Real ID webhook and return its event as a dict, or raise WebhookVerificationError.

    raw_body: the body exactly as received (bytes or str), never a parsed dict.
    headers: the request headers (a dict in any case, Flask's/Django's request.headers, ...).
    secret: the endpoint's signing secret, ``whsec_...``.
    scheme: "any" (Standard Webhooks headers when present, else X-Real-ID-Signature), "standard"
        (require the replay-protected Standard Webhooks headers) or "real-id".
    now: unix seconds or a datetime, for tests; default the clock.

    Flask::

        @app.post("/webhooks/realid")
        def realid_webhook():
            try:
                event = verify_webhook(request.get_data(), request.headers, os.environ["REAL_ID_SIGNING_KEY"])
            except WebhookVerificationError as error:
                return {"reason": error.reason, "message": str(error)}, 400
            print(event["event"], event["check"]["id"])
            return "", 204
    """
    if scheme not in SCHEMES:
        raise ValueError("scheme must be one of %s, not %r" % (", ".join(SCHEMES), scheme))
    body = raw_body_bytes(raw_body)
    header = header_reader(headers)
    if scheme == "standard" or (scheme == "any" and header("webhook-signature")):
        used, key, message, candidates, timestamp = _standard_check(body, header, secret)
    else:
        absent = "The X-Real-ID-Signature header is missing." if scheme == "real-id" else _NOT_SIGNED
        used, key, message, candidates, timestamp = _real_id_check(body, header, secret, absent)

    mac = hmac.new(key, message, hashlib.sha256).digest()
    # Compare against every candidate so the time taken does not say which one matched.
    matched = [hmac.compare_digest(candidate, mac) for candidate in candidates]
    if not any(matched):
        name = "webhook-signature" if used == "standard" else "X-Real-ID-Signature"
        raise WebhookVerificationError(
            "bad_signature", "No %s signature matches this body and secret: check the secret, and that the body is the raw bytes received." % name
        )
    if timestamp is not None:
        age = _epoch_seconds(now) - timestamp
        if age > tolerance_seconds:
            raise WebhookVerificationError(
                "timestamp_too_old", "The webhook was signed %d s ago, more than the %d s tolerance (a replay, or a clock that is off)." % (age, tolerance_seconds)
            )
        if -age > tolerance_seconds:
            raise WebhookVerificationError(
                "timestamp_in_future", "The webhook is signed %d s in the future, more than the %d s tolerance (check this server's clock)." % (-age, tolerance_seconds)
            )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookVerificationError("malformed_payload", "The body is not valid UTF-8.") from None
    return parse_event(text)
