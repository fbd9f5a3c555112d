"""A fake of Zoom: Server-to-Server OAuth and the REST calls Ensemble makes.

Run: /usr/bin/python3 tests/fakes/zoom_fake.py [--port N] [--account ACC] [--client-id ID] [--client-secret S]
     [--expires-in SECONDS]
Serves POST /oauth/token (Basic client_id:client_secret, grant_type=account_credentials&account_id=...
in the body or the query) and under /v2: POST /users/{user}/meetings|webinars (201), PATCH and DELETE
/meetings|webinars/{id} (204, 404 unknown), POST /meetings|webinars/{id}/registrants (201, the same
registrant again for the same email), PUT /meetings|webinars/{id}/registrants/status (204).
API calls need "Authorization: Bearer <token>" with a token it issued and not expired (401 otherwise).
GET /_state shows meetings and their registrants. See fake_http.py for the other control endpoints.
"""

import base64
import json
import os
import secrets
import sys
import threading
import time
from urllib.parse import parse_qs, unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_http  # noqa: E402

ACCOUNT = fake_http.option("--account", "acc-1")
CLIENT_ID = fake_http.option("--client-id", "client-1")
CLIENT_SECRET = fake_http.option("--client-secret", "secret-1")
EXPIRES_IN = int(fake_http.option("--expires-in", "3600"))

lock = threading.Lock()
tokens = {}    # token -> expiry (epoch seconds)
meetings = {}  # id (str) -> dict
next_id = [85000000000]


class ZoomHandler(fake_http.FakeHandler):
    def control(self, method, body):
        if self.path == "/_state" and method == "GET":
            with lock:
                self.reply(200, {"meetings": meetings, "tokens_issued": len(tokens)})
            return True
        if self.path == "/_reset" and method == "POST":
            with lock:
                meetings.clear()
                tokens.clear()
        return super().control(method, body)

    def oauth(self, body):
        auth = self.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(("%s:%s" % (CLIENT_ID, CLIENT_SECRET)).encode()).decode()
        if auth != expected:
            self.reply(401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
            return
        params = parse_qs(urlsplit(self.path).query)
        params.update(parse_qs(body.decode("utf-8")))
        if params.get("grant_type") != ["account_credentials"] or params.get("account_id") != [ACCOUNT]:
            self.reply(400, {"reason": "Invalid grant", "error": "invalid_request"})
            return
        token = secrets.token_urlsafe(24)
        with lock:
            tokens[token] = time.time() + EXPIRES_IN
        self.record("POST", body, kind="oauth")
        self.reply(200, {"access_token": token, "token_type": "bearer", "expires_in": EXPIRES_IN,
                         "scope": "meeting:write:admin webinar:write:admin"})

    def authorised(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return False
        with lock:
            expiry = tokens.get(auth[7:])
        return expiry is not None and expiry > time.time()

    def handle_api(self, method, body):
        path = urlsplit(self.path).path
        if path == "/oauth/token" and method == "POST":
            self.oauth(body)
            return
        if not path.startswith("/v2/"):
            self.reply(404, {"code": 404, "message": "not found"})
            return
        if not self.authorised():
            self.reply(401, {"code": 124, "message": "Invalid access token."})
            return
        parts = [unquote(p) for p in path[4:].strip("/").split("/")]
        data = json.loads(body) if body else {}
        self.record(method, body, kind="api", api_path=path)
        # POST /users/{user}/meetings|webinars
        if method == "POST" and len(parts) == 3 and parts[0] == "users" and parts[2] in ("meetings", "webinars"):
            if not data.get("topic"):
                self.reply(400, {"code": 300, "message": "topic is required"})
                return
            with lock:
                next_id[0] += 1234567
                mid = str(next_id[0])
                meetings[mid] = {"collection": parts[2], "host": parts[1], "topic": data.get("topic"), "start_time": data.get("start_time"),
                                 "duration": data.get("duration"), "timezone": data.get("timezone"), "type": data.get("type"),
                                 "settings": data.get("settings", {}), "registrants": {}, "deleted": False}
            self.reply(201, {"id": int(mid), "uuid": secrets.token_urlsafe(12), "topic": data["topic"], "type": data.get("type", 2),
                             "start_time": data.get("start_time"), "duration": data.get("duration"), "timezone": data.get("timezone"),
                             "join_url": "https://zoom.example/j/%s" % mid, "start_url": "https://zoom.example/s/%s" % mid,
                             "password": "abc123"})
            return
        if len(parts) >= 2 and parts[0] in ("meetings", "webinars"):
            mid = parts[1]
            with lock:
                meeting = meetings.get(mid)
                if meeting is None or meeting["deleted"] or meeting["collection"] != parts[0]:
                    self.reply(404, {"code": 3001, "message": "Meeting does not exist: %s." % mid})
                    return
                if len(parts) == 2 and method == "PATCH":
                    for k in ("topic", "start_time", "duration", "timezone", "agenda"):
                        if k in data:
                            meeting[k] = data[k]
                    self.reply(204)
                    return
                if len(parts) == 2 and method == "DELETE":
                    meeting["deleted"] = True
                    self.reply(204)
                    return
                if len(parts) == 3 and parts[2] == "registrants" and method == "POST":
                    email = (data.get("email") or "").lower()
                    if not email or not data.get("first_name"):
                        self.reply(400, {"code": 300, "message": "email and first_name are required"})
                        return
                    reg = meeting["registrants"].get(email)
                    if reg is None:
                        rid = secrets.token_urlsafe(16)
                        reg = {"registrant_id": rid, "email": email, "first_name": data["first_name"], "last_name": data.get("last_name", ""),
                               "join_url": "https://zoom.example/w/%s?tk=%s" % (mid, rid), "status": "approved", "adds": 0}
                        meeting["registrants"][email] = reg
                    reg["adds"] += 1
                    reg["status"] = "approved"
                    self.reply(201, {"registrant_id": reg["registrant_id"], "id": int(mid), "topic": meeting["topic"],
                                     "start_time": meeting["start_time"], "join_url": reg["join_url"]})
                    return
                if len(parts) == 4 and parts[2] == "registrants" and parts[3] == "status" and method == "PUT":
                    if data.get("action") not in ("approve", "cancel", "deny"):
                        self.reply(400, {"code": 300, "message": "bad action"})
                        return
                    for who in data.get("registrants") or []:
                        for reg in meeting["registrants"].values():
                            if reg["registrant_id"] == who.get("id") or reg["email"] == (who.get("email") or "").lower():
                                reg["status"] = {"approve": "approved", "cancel": "cancelled", "deny": "denied"}[data["action"]]
                    self.reply(204)
                    return
        self.reply(404, {"code": 404, "message": "not found"})


if __name__ == "__main__":
    fake_http.serve(ZoomHandler, fake_http.port_argument())
