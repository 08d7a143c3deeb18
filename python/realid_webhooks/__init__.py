"""Verify Real ID webhooks in Python, with the standard library only.

    from realid_webhooks import verify_webhook, WebhookVerificationError

    event = verify_webhook(request.get_data(), request.headers, os.environ["REAL_ID_SIGNING_KEY"])
    if event["event"] == "check.completed":
        release_order(event["check"]["id"])
"""

from .errors import REASONS, WebhookVerificationError
from .events import CHECK_EVENT_TYPES, EVENT_TYPES, PRIVACY_EVENT_TYPES
from .sign import sign_webhook
from .verify import DEFAULT_TOLERANCE_SECONDS, verify_webhook

__all__ = [
    "verify_webhook",
    "sign_webhook",
    "WebhookVerificationError",
    "REASONS",
    "EVENT_TYPES",
    "CHECK_EVENT_TYPES",
    "PRIVACY_EVENT_TYPES",
    "DEFAULT_TOLERANCE_SECONDS",
]
