"""A fake of Postmark's email API (POST /email with X-Postmark-Server-Token, 200 JSON on success).

Run: /usr/bin/python3 tests/fakes/postmark_fake.py [--port N] [--token TOKEN]
A wrong token answers 401; a missing From or To answers 422 with an ErrorCode, as Postmark does.
Messages are recorded with their Message-ID (from Headers). See fake_http.py for control.
"""

import json
import os
import sys
import uuid
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_http  # noqa: E402

TOKEN = fake_http.option("--token", "postmark-test-token")


class PostmarkHandler(fake_http.FakeHandler):
    def handle_api(self, method, body):
        if method != "POST" or self.path != "/email":
            self.reply(404, {"ErrorCode": 404, "Message": "not found"})
            return
        if self.headers.get("X-Postmark-Server-Token") != TOKEN:
            self.reply(401, {"ErrorCode": 10, "Message": "No Account or Server API tokens were supplied in the HTTP headers."})
            return
        try:
            mail = json.loads(body)
        except ValueError:
            self.reply(422, {"ErrorCode": 402, "Message": "Received invalid JSON input."})
            return
        if not mail.get("From") or not mail.get("To"):
            self.reply(422, {"ErrorCode": 300, "Message": "Invalid email request"})
            return
        message_id = ""
        for h in mail.get("Headers") or []:
            if h.get("Name", "").lower() == "message-id":
                message_id = h.get("Value", "")
        self.record(method, body, message_id=message_id, to=mail["To"], subject=mail.get("Subject", ""))
        self.reply(200, {"To": mail["To"], "SubmittedAt": datetime.now(timezone.utc).isoformat(), "MessageID": str(uuid.uuid4()),
                         "ErrorCode": 0, "Message": "OK"})


if __name__ == "__main__":
    fake_http.serve(PostmarkHandler, fake_http.port_argument())
