import base64
import json
import random
import unittest

import support  # noqa: F401  (puts the package on sys.path)

from realid_webhooks import EVENT_TYPES, WebhookVerificationError, sign_webhook, verify_webhook

NOW = 1700000000
SCHEMES = ("standard", "real-id")


def random_secret(rng):
    return "whsec_" + base64.b64encode(bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))).decode()


def random_event(rng):
    name = rng.choice(EVENT_TYPES)
    check = {"id": "".join(rng.choice("abcdefé✓_0123456789") for _ in range(rng.randint(1, 30))), "testing": rng.random() < 0.5}
    if name.startswith("check."):
        check["step"] = name[len("check."):]
    return {"event": name, "created_at": "2023-11-14T22:13:20.000Z", "check": check}


class SigningPropertiesTest(unittest.TestCase):
    """Seeded random cases (the TypeScript side runs the same properties with fast-check)."""

    def test_any_event_signed_with_any_secret_verifies_to_the_same_event(self):
        rng = random.Random(6)
        for _ in range(300):
            event, secret, scheme = random_event(rng), random_secret(rng), rng.choice(SCHEMES)
            body = json.dumps(event, separators=(",", ":"), ensure_ascii=rng.random() < 0.5)
            headers = sign_webhook(body, secret, timestamp=NOW)
            self.assertEqual(verify_webhook(body, headers, secret, scheme=scheme, now=NOW), event)

    def test_changing_any_single_byte_of_the_body_fails_with_bad_signature(self):
        rng = random.Random(7)
        for _ in range(300):
            body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
            secret, scheme = random_secret(rng), rng.choice(SCHEMES)
            headers = sign_webhook(body, secret, timestamp=NOW)
            changed = bytearray(body)
            changed[rng.randrange(len(changed))] ^= rng.randint(1, 255)
            with self.assertRaises(WebhookVerificationError) as raised:
                verify_webhook(bytes(changed), headers, secret, scheme=scheme, now=NOW)
            self.assertEqual(raised.exception.reason, "bad_signature")


if __name__ == "__main__":
    unittest.main()
