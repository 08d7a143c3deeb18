"""The eight Real ID events, and the checks a verified body must pass to be one of them."""

import json

from .errors import WebhookVerificationError

CHECK_EVENT_TYPES = ("check.delivered", "check.opened", "check.submitted-photo", "check.completed", "check.failed")
PRIVACY_EVENT_TYPES = ("customer.data_request", "customer.manual_review_requested", "customer.data_deletion_request")
EVENT_TYPES = CHECK_EVENT_TYPES + PRIVACY_EVENT_TYPES
# The seed's page calls check.delivered "check.created".
_ALIASES = {"check.created": "check.delivered"}


def _malformed(message):
    return WebhookVerificationError("malformed_payload", message)


def parse_event(text):
    """The event dict in a body whose signature is already verified; unknown extra fields are kept."""
    try:
        parsed = json.loads(text)
    except ValueError:
        raise _malformed("the body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise _malformed("the body is not a JSON object")
    name = parsed.get("event")
    if not isinstance(name, str):
        raise _malformed('"event" is missing or not a string')
    event_type = name if name in EVENT_TYPES else _ALIASES.get(name)
    if event_type is None:
        raise WebhookVerificationError(
            "unknown_event", '"%s" is not a Real ID event (expected one of %s)' % (name, ", ".join(EVENT_TYPES))
        )
    if not isinstance(parsed.get("created_at"), str):
        raise _malformed('"created_at" is missing or not a string')
    check = parsed.get("check")
    if not isinstance(check, dict):
        raise _malformed('"check" is missing or not an object')
    if not isinstance(check.get("id"), str) or check["id"] == "":
        raise _malformed('"check.id" is missing or not a string')
    if not isinstance(check.get("testing"), bool):
        raise _malformed('"check.testing" is missing or not a boolean')
    if event_type in CHECK_EVENT_TYPES:
        step = event_type[len("check."):]
        if check.get("step") != step:
            raise _malformed('"check.step" is %s, but a %s event announces the step "%s"' % (json.dumps(check.get("step")), event_type, step))
    return dict(parsed, event=event_type)
