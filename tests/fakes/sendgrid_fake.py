"""A fake of SendGrid's v3 Mail Send API (POST /v3/mail/send, Bearer API key, 202 on success).

Run: /usr/bin/python3 tests/fakes/sendgrid_fake.py [--port N] [--api-key KEY]
Each accepted message is recorded with its Message-ID (from the "headers" object), so tests can
count deliveries per Message-ID. See fake_http.py for the control endpoints.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_http  # noqa: E402

API_KEY = fake_http.option("--api-key", "SG.test-key")


class SendGridHandler(fake_http.FakeHandler):
    def handle_api(self, method, body):
        if method != "POST" or self.path != "/v3/mail/send":
            self.reply(404, {"errors": [{"message": "not found"}]})
            return
        if self.headers.get("Authorization") != "Bearer " + API_KEY:
            self.reply(401, {"errors": [{"message": "The provided authorization grant is invalid, expired, or revoked"}]})
            return
        try:
            mail = json.loads(body)
        except ValueError:
            self.reply(400, {"errors": [{"message": "Bad Request", "field": None}]})
            return
        problems = []
        pers = mail.get("personalizations")
        if not isinstance(pers, list) or not pers or not all(isinstance(p, dict) and p.get("to") for p in pers):
            problems.append({"message": "The personalizations field is required", "field": "personalizations"})
        if not isinstance(mail.get("from"), dict) or not mail["from"].get("email"):
            problems.append({"message": "The from object must be provided", "field": "from.email"})
        for c in mail.get("content") or []:
            if not c.get("type") or "value" not in c:
                problems.append({"message": "content needs type and value", "field": "content"})
        for a in mail.get("attachments") or []:
            if not a.get("content") or not a.get("filename"):
                problems.append({"message": "attachments need content and filename", "field": "attachments"})
        if problems:
            self.reply(400, {"errors": problems})
            return
        message_id = (mail.get("headers") or {}).get("Message-ID", "")
        self.record(method, body, message_id=message_id, to=pers[0]["to"][0]["email"], subject=mail.get("subject", ""))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.send_header("X-Message-Id", "fake-" + str(len(self.state.requests)))
        self.end_headers()


if __name__ == "__main__":
    fake_http.serve(SendGridHandler, fake_http.port_argument())
