"""Receiving Real ID webhooks in Python with the standard library only (http.server).

    pip install ./python     # or: export PYTHONPATH=python   (from the repository root)
    REAL_ID_SIGNING_KEY=whsec_... PORT=3000 python3 examples/python/receiver.py

Answers 204 to a verified delivery and 400 {reason, message} to anything else, and prints one JSON
line per request. In Flask the same call is verify_webhook(request.get_data(), request.headers, secret).
"""

import argparse
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from realid_webhooks import WebhookVerificationError, verify_webhook

WEBHOOK_PATH = "/webhooks/realid"

# Deliveries are at least once: a retry or a resend repeats a webhook-id. A real app records it under
# a unique index together with its side effects; a set keeps this example self-contained.
handled_webhook_ids = set()


def log(line):
    print(json.dumps(line), flush=True)


class WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != WEBHOOK_PATH:
            return self.answer(404, {"message": "POST webhooks to " + WEBHOOK_PATH})
        # The raw bytes: the signature covers exactly these (Real ID sends a Content-Length).
        raw_body = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            event = verify_webhook(raw_body, self.headers, self.server.secret)
        except WebhookVerificationError as error:
            log({"rejected": error.reason, "message": str(error)})
            return self.answer(400, {"reason": error.reason, "message": str(error)})
        webhook_id = self.headers.get("webhook-id")
        if webhook_id is not None and webhook_id in handled_webhook_ids:
            log({"duplicate": event["event"], "webhook_id": webhook_id})
        else:
            handled_webhook_ids.add(webhook_id)
            # Branch on event["event"] here: "check.completed" releases the order, and so on.
            log({"verified": event["event"], "check": event["check"]["id"], "testing": event["check"]["testing"], "webhook_id": webhook_id})
        self.answer(204)

    def answer(self, status, body=None):
        data = json.dumps(body).encode("utf-8") if body is not None else b""
        self.send_response(status)
        if data:
            self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        """Silenced: stdout carries one JSON line per request instead of the access log."""


def main():
    parser = argparse.ArgumentParser(description="A Real ID webhook receiver.")
    parser.add_argument("--secret", default=os.environ.get("REAL_ID_SIGNING_KEY"), help="the signing secret, whsec_... (REAL_ID_SIGNING_KEY)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")), help="default 3000 (PORT); 0 picks a free port")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    args = parser.parse_args()
    if not args.secret:
        parser.error("no signing secret: pass --secret or set REAL_ID_SIGNING_KEY (Settings > DevTools)")
    server = ThreadingHTTPServer((args.host, args.port), WebhookHandler)
    server.secret = args.secret
    print("listening on http://%s:%d%s" % (args.host, server.server_address[1], WEBHOOK_PATH), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
