"""Request bodies and headers as the web frameworks hand them over."""

from .errors import WebhookVerificationError

_HOW_TO_GET_THE_RAW_BODY = (
    "Pass the raw request body (bytes or str): the signature covers the exact bytes sent, and json.dumps "
    "of a parsed body does not reproduce them. Flask: request.get_data(); Django: request.body; "
    "FastAPI/Starlette: await request.body()."
)


def raw_body_bytes(body):
    """The body's bytes, or ``body_not_raw`` when a framework already parsed it."""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if body is None:
        raise WebhookVerificationError("body_not_raw", "The request body is None. " + _HOW_TO_GET_THE_RAW_BODY)
    raise WebhookVerificationError(
        "body_not_raw", "The request body was given as a parsed %s. %s" % (type(body).__name__, _HOW_TO_GET_THE_RAW_BODY)
    )


def header_reader(headers):
    """A case-insensitive lookup over a dict, Flask/Werkzeug or Django headers, or an http.client message.

    Repeated headers (list values, or the same name twice) are joined by a space, so several
    webhook-signature headers read as one list.
    """
    if headers is None or not hasattr(headers, "items"):
        raise WebhookVerificationError("missing_signature", "No request headers were given.")
    by_lower_name = {}
    for name, value in headers.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else " ".join(value)
        key = name.lower()
        by_lower_name[key] = text if key not in by_lower_name else by_lower_name[key] + " " + text
    return by_lower_name.get
