import unittest
from email.message import Message

from support import VECTORS, vector_body, vector_options

from realid_webhooks import WebhookVerificationError, sign_webhook, verify_webhook


def outcome(vector, headers):
    try:
        event = verify_webhook(vector_body(vector), headers, vector["secret"], now=vector["now"], **vector_options(vector))
    except WebhookVerificationError as error:
        return {"error": error.reason}
    return {"event": event}


def as_http_message(headers):
    """Headers as http.client / email parse them: original case, duplicates allowed."""
    message = Message()
    for name, value in headers.items():
        message[name] = value
    return message


class SharedVectorsTest(unittest.TestCase):
    def test_every_verify_vector(self):
        self.assertGreater(len(VECTORS["verify"]), 40)
        for vector in VECTORS["verify"]:
            with self.subTest(vector["name"]):
                self.assertEqual(outcome(vector, vector["headers"]), vector["expected"])

    def test_every_verify_vector_with_http_message_headers(self):
        for vector in VECTORS["verify"]:
            with self.subTest(vector["name"]):
                self.assertEqual(outcome(vector, as_http_message(vector["headers"])), vector["expected"])

    def test_every_sign_vector(self):
        for vector in VECTORS["sign"]:
            with self.subTest(vector["name"]):
                headers = sign_webhook(vector["body"], vector["secrets"], msg_id=vector["id"], timestamp=vector["timestamp"])
                self.assertEqual(headers, vector["headers"])


if __name__ == "__main__":
    unittest.main()
