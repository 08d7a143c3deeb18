"""The one exception this package raises."""

REASONS = (
    "missing_signature",
    "bad_signature",
    "timestamp_too_old",
    "timestamp_in_future",
    "malformed_payload",
    "unknown_event",
    "invalid_secret",
    "body_not_raw",
)


class WebhookVerificationError(Exception):
    """The webhook was rejected; ``reason`` is one of ``REASONS``, stable to log and switch on.

    Answer it with a 400 (Real ID will retry)::

        try:
            event = verify_webhook(request.get_data(), request.headers, secret)
        except WebhookVerificationError as error:
            return {"reason": error.reason, "message": str(error)}, 400
    """

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason
