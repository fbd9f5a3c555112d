"""Zoom through its fake: meetings follow their event, online seats become registrants with a
personal link (manage page and email), cancellations cancel them; webhooks are verified and record
attendance once; without Zoom settings the rows fail visibly."""

import json
import time
import unittest
import uuid

from tests.http import delivery_support as ds

SECRET = "webhook-secret-token"


def addr(tag):
    return "%s-%s@example.org" % (tag, uuid.uuid4().hex[:8])


class ZoomDelivery(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = ds.Fake("zoom_fake.py", "--account", "acc-1", "--client-id", "client-1", "--client-secret", "secret-1")
        cls.server = ds.Server({
            "ENSEMBLE_ZOOM_ACCOUNT_ID": "acc-1", "ENSEMBLE_ZOOM_CLIENT_ID": "client-1", "ENSEMBLE_ZOOM_CLIENT_SECRET": "secret-1",
            "ENSEMBLE_ZOOM_API_URL": cls.fake.url + "/v2", "ENSEMBLE_ZOOM_OAUTH_URL": cls.fake.url,
            "ENSEMBLE_ZOOM_WEBHOOK_SECRET": SECRET, "ENSEMBLE_ZOOM_USER": "host@example.org",
        }).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.fake.stop()

    def meetings(self):
        return self.fake.call("GET", "/_state")["meetings"]

    def zoom_id_of(self, event_id):
        rows = self.server.query("SELECT zoom_id FROM events WHERE id = ?", (event_id,))
        return rows[0][0] if rows and rows[0][0] else None

    def webhook(self, body, headers=None):
        raw = json.dumps(body, separators=(",", ":")).encode()
        hdrs = ds.signed_webhook(SECRET, raw) if headers is None else headers
        return self.server.request("POST", "/api/v1/integrations/zoom/webhook", raw=raw, headers=hdrs, token="")

    def test_meeting_registrants_join_links_and_cancellation(self):
        event = self.server.create_event(title="Zoom Webinar Day", fmt="online", provider="zoom")
        zoom_id = ds.wait_for(lambda: self.zoom_id_of(event["id"]), what="the meeting to be created")
        meeting = self.meetings()[zoom_id]
        self.assertEqual(meeting["host"], "host@example.org")
        self.assertEqual(meeting["topic"], "Zoom Webinar Day")
        self.assertEqual(meeting["settings"]["approval_type"], 0)

        email = addr("online")
        reg = self.server.register(event["id"], email, name="Ada Lovelace", mode="online")
        view = ds.wait_for(lambda: (lambda v: v if "join_url" in v else None)(
            self.server.request("GET", "/api/v1/registrations/" + reg["manage_token"], token="").json()), what="the personal join link")
        registrant = self.meetings()[zoom_id]["registrants"][email]
        self.assertEqual(view["join_url"], registrant["join_url"])
        self.assertEqual(registrant["first_name"], "Ada")
        self.assertEqual(registrant["last_name"], "Lovelace")
        mail = ds.wait_for(lambda: ds.mails_to(self.server.mail_dir, email), what="the confirmation")[0]
        self.assertIn(registrant["join_url"], mail.get_body(preferencelist=("plain",)).get_content())

        # Retried rows never add the registrant twice: the outbox shows one sent add_registrant row.
        adds = [m for m in self.server.outbox() if m["kind"] == "zoom.add_registrant" and m["recipient"] == email]
        self.assertEqual([m["status"] for m in adds], ["sent"])
        self.assertEqual(registrant["adds"], 1)
        self.assertEqual(self.fake.call("GET", "/_state")["tokens_issued"], 1)  # the OAuth token is cached

        res = self.server.request("POST", "/api/v1/registrations/%s/cancel" % reg["manage_token"], token="")
        self.assertEqual(res.status, 200)
        ds.wait_for(lambda: self.meetings()[zoom_id]["registrants"][email]["status"] == "cancelled", what="the registrant to be cancelled")

        res = self.server.request("PATCH", "/api/v1/events/%d" % event["id"], {"title": {"en": "Zoom Webinar Day (new time)"}})
        self.assertEqual(res.status, 200)
        ds.wait_for(lambda: self.meetings()[zoom_id]["topic"] == "Zoom Webinar Day (new time)", what="the meeting to be updated")
        res = self.server.request("POST", "/api/v1/events/%d/cancel" % event["id"])
        self.assertEqual(res.status, 200)
        ds.wait_for(lambda: self.meetings()[zoom_id]["deleted"], what="the meeting to be deleted")

    def test_a_join_link_email_follows_when_zoom_answers_after_the_confirmation(self):
        event = self.server.create_event(title="Slow Zoom", fmt="online", provider="zoom")
        ds.wait_for(lambda: self.zoom_id_of(event["id"]), what="the meeting to be created")
        self.fake.control("slow", count=1, delay=7)  # the registrant call outlasts the confirmation's 5 s head start
        email = addr("slow")
        self.server.register(event["id"], email, name="Katherine Johnson", mode="online", language="fr")
        mails = ds.wait_for(lambda: (lambda m: m if len(m) >= 2 else None)(ds.mails_to(self.server.mail_dir, email)), timeout=30,
                            what="the confirmation and the join link")
        by_kind = {str(m["X-Ensemble-Kind"]): m for m in mails}
        confirmation = by_kind["email.confirmation"].get_body(preferencelist=("plain",)).get_content()
        self.assertIn("Votre lien de connexion personnel suivra", confirmation)
        join = by_kind["email.join_link"]
        self.assertTrue(str(join["Subject"]).startswith("Votre lien de connexion"))
        self.assertIn("https://zoom.example/w/", join.get_body(preferencelist=("plain",)).get_content())

    def test_webinars_are_created_as_webinars(self):
        body = ds.event_body(title="Licensing Webinar", fmt="online", provider="zoom")
        body["online"]["zoom_type"] = "webinar"
        res = self.server.request("POST", "/api/v1/events", body)
        self.assertEqual(res.status, 201)
        event = res.json()
        self.assertEqual(self.server.request("POST", "/api/v1/events/%d/publish" % event["id"]).status, 200)
        zoom_id = ds.wait_for(lambda: self.zoom_id_of(event["id"]), what="the webinar to be created")
        self.assertEqual(self.meetings()[zoom_id]["collection"], "webinars")
        self.assertEqual(self.meetings()[zoom_id]["type"], 5)
        email = addr("webinar")
        self.server.register(event["id"], email, mode="online")
        ds.wait_for(lambda: email in self.meetings()[zoom_id]["registrants"], what="the webinar registrant")
        added = [r for r in self.fake.received() if r.get("api_path", "").endswith("/webinars/%s/registrants" % zoom_id)]
        self.assertNotIn("auto_approve", json.loads(added[0]["body"]))  # a meeting-only field

    def test_zoom_rate_limits_are_waited_out(self):
        self.fake.control("429", count=2, retry_after="1")
        event = self.server.create_event(title="Rate Limited", fmt="online", provider="zoom")
        ds.wait_for(lambda: self.zoom_id_of(event["id"]), what="the meeting despite 429s")
        row = [m for m in self.server.outbox() if m["kind"] == "zoom.create" and m["status"] == "sent"]
        self.assertTrue(row)

    def test_webhooks_are_verified_and_record_attendance_once(self):
        event = self.server.create_event(title="Attendance", fmt="online", provider="zoom")
        zoom_id = ds.wait_for(lambda: self.zoom_id_of(event["id"]), what="the meeting to be created")
        email = addr("attendee")
        reg = self.server.register(event["id"], email, name="Grace Hopper", mode="online")
        ds.wait_for(lambda: self.server.query("SELECT zoom_registrant_id FROM registrations WHERE id = ?", (reg["id"],))[0][0],
                    what="the registrant id")
        registrant_id = self.server.query("SELECT zoom_registrant_id FROM registrations WHERE id = ?", (reg["id"],))[0][0]

        validation = {"event": "endpoint.url_validation", "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}, "event_ts": 1}
        res = self.webhook(validation)
        self.assertEqual(res.status, 200)
        import hashlib
        import hmac
        self.assertEqual(res.json(), {"plainToken": "qgg8vlvZRS6UYooatFL8Aw",
                                      "encryptedToken": hmac.new(SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()})

        joined = {"event": "meeting.participant_joined", "event_ts": int(time.time() * 1000),
                  "payload": {"account_id": "acc-1", "object": {"id": zoom_id, "uuid": "inst-1", "participant": {
                      "user_id": "1", "user_name": "Grace Hopper", "registrant_id": registrant_id, "email": email,
                      "join_time": "2030-01-01T10:00:00Z"}}}}
        raw = json.dumps(joined, separators=(",", ":")).encode()
        bad = ds.signed_webhook("not-the-secret", raw)
        res = self.server.request("POST", "/api/v1/integrations/zoom/webhook", raw=raw, headers=bad, token="")
        self.assertEqual(res.status, 401)
        stale = ds.signed_webhook(SECRET, raw, timestamp=int(time.time()) - 600)
        self.assertEqual(self.server.request("POST", "/api/v1/integrations/zoom/webhook", raw=raw, headers=stale, token="").status, 401)
        unsigned = self.server.request("POST", "/api/v1/integrations/zoom/webhook", raw=raw, headers={}, token="")
        self.assertEqual(unsigned.status, 401)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM zoom_attendance")[0][0], 0)

        for _ in range(2):  # Zoom redelivers; the second changes nothing
            res = self.webhook(joined)
            self.assertEqual(res.status, 200)
        rows = self.server.query("SELECT registration_id, joined_at, left_at FROM zoom_attendance WHERE event_id = ?", (event["id"],))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], reg["id"])

        left = json.loads(json.dumps(joined))
        left["event"] = "meeting.participant_left"
        del left["payload"]["object"]["participant"]["join_time"]
        left["payload"]["object"]["participant"]["leave_time"] = "2030-01-01T11:00:00Z"
        self.assertEqual(self.webhook(left).status, 200)
        closed = self.server.query("SELECT COUNT(*) FROM zoom_attendance WHERE event_id = ? AND joined_at IS NOT NULL AND left_at IS NOT NULL",
                                   (event["id"],))
        self.assertEqual(closed[0][0], 1)


class ZoomNotConfigured(unittest.TestCase):
    def test_zoom_rows_fail_clearly_and_show_on_the_dashboard(self):
        with ds.Server() as server:
            event = server.create_event(title="No Zoom Here", fmt="online", provider="zoom")
            row = ds.wait_for(lambda: [m for m in server.outbox("failed") if m["kind"] == "zoom.create"], what="a failed zoom row")[0]
            self.assertIn("Zoom is not configured", row["last_error"])
            self.assertEqual(row["attempts"], 1)
            reg = server.register(event["id"], addr("nozoom"), mode="online")
            self.assertEqual(reg["status"], "confirmed")
            res = server.request("POST", "/api/v1/integrations/zoom/webhook", {"event": "endpoint.url_validation"}, token="")
            self.assertEqual(res.status, 404)
            self.assertEqual(server.request("GET", "/healthz", token="").status, 200)


if __name__ == "__main__":
    unittest.main()
