"""sign_webhook: the headers Real ID sends, for tests and local tools."""

import base64
import hashlib
import hmac
import time
import uuid

from .raw import raw_body_bytes
from .secret import real_id_key, standard_key


def sign_webhook(raw_body, secret, msg_id=None, timestamp=None):
    """The signature headers Real ID would send with raw_body.

    secret: one ``whsec_...`` secret, or a list, newest first, to sign as during a rotation.
    msg_id: ``webhook-id`` (default a random ``evt_...``); timestamp: unix seconds (default now).

    >>> headers = sign_webhook(b'{"event":"check.opened"}', "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", msg_id="evt_1", timestamp=1670599235)
    >>> headers["webhook-signature"]
    'v1,dQ3V/7GPCC8DfRTiNxUdPUmNiMCkTBkOjmV6mzO2BGI='
    """
    body = raw_body_bytes(raw_body)
    secrets = [secret] if isinstance(secret, str) else list(secret)
    msg_id = msg_id if msg_id is not None else "evt_" + uuid.uuid4().hex
    timestamp = int(timestamp if timestamp is not None else time.time())
    message = ("%s.%s." % (msg_id, timestamp)).encode("utf-8") + body
    signatures = [hmac.new(standard_key(each), message, hashlib.sha256).digest() for each in secrets]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join("v1," + base64.b64encode(mac).decode("ascii") for mac in signatures),
        "x-real-id-signature": hmac.new(real_id_key(secrets[0] if secrets else None), body, hashlib.sha256).hexdigest(),
    }
