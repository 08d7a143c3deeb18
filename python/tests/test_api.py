import doctest
import time
import unittest
from datetime import datetime, timezone

from support import VECTORS

import realid_webhooks.sign
from realid_webhooks import REASONS, WebhookVerificationError, sign_webhook, verify_webhook

SECRET = VECTORS["sign"][0]["secrets"][0]
BODY = VECTORS["sign"][0]["body"]


def load_tests(loader, tests, ignore):
    tests.addTests(doctest.DocTestSuite(realid_webhooks.sign))
    return tests


class VerifyWebhookApiTest(unittest.TestCase):
    def reason(self, *args, **kwargs):
        with self.assertRaises(WebhookVerificationError) as raised:
            verify_webhook(*args, **kwargs)
        self.assertIn(raised.exception.reason, REASONS)
        return raised.exception

    def test_a_fresh_signature_verifies_against_the_clock(self):
        event = verify_webhook(BODY.encode(), sign_webhook(BODY, SECRET), SECRET, scheme="standard")
        self.assertEqual(event["event"], "check.submitted-photo")
        self.assertEqual(event["check"], {"id": "abcdef", "step": "submitted-photo", "testing": True})

    def test_body_as_bytes_bytearray_memoryview_or_str(self):
        headers = sign_webhook(BODY, SECRET)
        for body in (BODY, BODY.encode(), bytearray(BODY.encode()), memoryview(BODY.encode())):
            with self.subTest(type(body).__name__):
                self.assertEqual(verify_webhook(body, headers, SECRET)["check"]["id"], "abcdef")

    def test_now_as_a_datetime(self):
        headers = sign_webhook(BODY, SECRET, timestamp=1670599235)
        when = datetime.fromtimestamp(1670599235 + 301, tz=timezone.utc)
        self.assertEqual(self.reason(BODY, headers, SECRET, now=when).reason, "timestamp_too_old")
        self.assertEqual(verify_webhook(BODY, headers, SECRET, now=when, tolerance_seconds=600)["event"], "check.submitted-photo")

    def test_repeated_signature_headers_read_as_one_list(self):
        # As a proxy or WSGI server may hand them over: the old secret's signature in its own header line.
        old, new = VECTORS["sign"][1]["secrets"][1], SECRET
        headers = sign_webhook(BODY, [new, old])
        first, second = headers["webhook-signature"].split(" ")
        pairs = [(name, value) for name, value in headers.items() if name != "webhook-signature"]
        pairs += [("Webhook-Signature", second), ("webhook-signature", first)]

        class Pairs:
            def items(self):
                return pairs

        self.assertEqual(verify_webhook(BODY, Pairs(), old)["event"], "check.submitted-photo")

    def test_a_parsed_body_explains_how_to_get_the_raw_one(self):
        error = self.reason({"event": "check.opened"}, sign_webhook(BODY, SECRET), SECRET)
        self.assertEqual(error.reason, "body_not_raw")
        self.assertIn("request.get_data()", str(error))
        self.assertEqual(self.reason(None, sign_webhook(BODY, SECRET), SECRET).reason, "body_not_raw")

    def test_missing_headers_object(self):
        self.assertEqual(self.reason(BODY, None, SECRET).reason, "missing_signature")

    def test_an_unknown_scheme_is_a_programming_error(self):
        with self.assertRaises(ValueError):
            verify_webhook(BODY, sign_webhook(BODY, SECRET), SECRET, scheme="svix")

    def test_the_default_id_is_fresh_and_the_default_time_is_now(self):
        first, second = sign_webhook(BODY, SECRET), sign_webhook(BODY, SECRET)
        self.assertRegex(first["webhook-id"], r"^evt_[0-9a-f]{32}$")
        self.assertNotEqual(first["webhook-id"], second["webhook-id"])
        self.assertLess(abs(int(first["webhook-timestamp"]) - time.time()), 60)


if __name__ == "__main__":
    unittest.main()
