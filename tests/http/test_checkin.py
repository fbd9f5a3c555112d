"""The door over HTTP: check-in links, scans, second scans, refusals, undo, search, the offline
roster, batches of offline scans (a re-sent scan never counts twice), and live counts."""

import http.client
import json
import threading
import time
import unittest
import uuid
from datetime import datetime, timedelta, timezone

from tests.http import support


class CheckinTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        cls.event = cls.server.create_event(support.event_body(title="Door Test Summit", in_person=500, online=500))
        cls.other = cls.server.create_event(support.event_body(title="Other Summit"))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def link(self, event=None, **body):
        res = self.server.api.post("/api/v1/events/%d/checkin-links" % (event or self.event)["id"], body or {"label": "Front door"})
        self.assertEqual(res.status, 201, res)
        return res.json()

    def register(self, event=None, mode="in_person", **fields):
        res = self.server.register((event or self.event)["id"], mode=mode, **fields)
        self.assertEqual(res.status, 201, res)
        return res.json()

    def scan(self, token, code, **extra):
        body = {"ticket_code": code}
        body.update(extra)
        return self.server.anon.post("/api/v1/checkin", body, token=token)

    def test_link_is_a_hashed_credential_for_one_event_only(self):
        link = self.link()
        self.assertTrue(link["token"].startswith("ens_c_"))
        self.assertGreaterEqual(len(link["token"]), 6 + 43)
        self.assertTrue(link["url"].endswith("/checkin#" + link["token"]))
        stored = self.server.query("SELECT token_hash FROM checkin_links WHERE id = ?", (link["id"],))[0][0]
        self.assertNotIn(link["token"], stored)
        self.assertEqual(len(stored), 64)
        # It can do nothing but check in: organizer endpoints refuse it.
        for method, path in [("GET", "/api/v1/events/%d/registrations" % self.event["id"]), ("GET", "/api/v1/auth/me"),
                             ("PATCH", "/api/v1/events/%d" % self.event["id"]), ("GET", "/api/v1/outbox"),
                             ("GET", "/api/v1/events/%d/report" % self.event["id"])]:
            res = self.server.anon.request(method, path, body={} if method == "PATCH" else None, token=link["token"])
            self.assertIn(res.status, (401, 403), (method, path, res))
            self.assertNotIn("registrations", res.text)

    def test_scan_checks_in_once_then_says_when_and_where(self):
        link = self.link()
        reg = self.register(name="Amal Haddad")
        first = self.scan(link["token"], reg["ticket_code"], device_id="door-phone-1")
        self.assertEqual(first.status, 200, first)
        body = first.json()
        self.assertEqual(body["result"], "checked_in")
        self.assertEqual(body["registration"], {"name": "Amal Haddad", "mode": "in_person"})
        self.assertTrue(body["checked_in_at"].endswith("Z"))
        second = self.scan(link["token"], reg["ticket_code"], device_id="door-phone-2").json()
        self.assertEqual(second["result"], "already_checked_in")
        self.assertEqual(second["checked_in_at"], body["checked_in_at"])
        self.assertEqual(second["device_id"], "door-phone-1")
        count = self.server.query("SELECT COUNT(*) FROM checkin_log WHERE registration_id = ? AND action = 'checkin'", (reg["id"],))[0][0]
        self.assertEqual(count, 1)

    def test_unknown_code_and_another_events_code_are_the_same_404(self):
        link = self.link()
        other_reg = self.register(event=self.other)
        a = self.scan(link["token"], "no-such-ticket-code-at-all")
        b = self.scan(link["token"], other_reg["ticket_code"])
        self.assertEqual(a.status, 404)
        self.assertEqual(b.status, 404)
        self.assertEqual(a.json(), b.json())
        self.assertIsNone(self.server.query("SELECT checked_in_at FROM registrations WHERE id = ?", (other_reg["id"],))[0][0])

    def test_cancelled_and_waitlisted_are_refused_with_409(self):
        link = self.link()
        event = self.server.create_event(support.event_body(title="Tiny Door", in_person=1, online=5))
        seat = self.register(event=event)
        waiting = self.server.register(event["id"], waitlist=True).json()
        self.assertEqual(waiting["status"], "waitlisted")
        cancelled = self.register(event=event, mode="online")
        self.assertEqual(self.server.anon.post("/api/v1/registrations/%s/cancel" % cancelled["manage_token"]).status, 200)
        link = self.link(event)
        for reg in (waiting, cancelled):
            res = self.scan(link["token"], reg["ticket_code"])
            self.assertEqual(res.status, 409, res)
            self.assertEqual(res.json()["error"]["code"], "conflict")
        self.assertEqual(self.scan(link["token"], seat["ticket_code"]).status, 200)

    def test_online_registrant_at_the_door_is_checked_in_and_flagged(self):
        link = self.link()
        reg = self.register(mode="online")
        body = self.scan(link["token"], reg["ticket_code"]).json()
        self.assertEqual(body["result"], "checked_in")
        self.assertTrue(body["online_at_door"])
        roster = self.server.api.get("/api/v1/events/%d/registrations?mode=online" % self.event["id"]).json()["registrations"]
        self.assertTrue(any(r["id"] == reg["id"] and r["checked_in_at"] for r in roster))

    def test_link_of_another_event_expired_and_revoked_links(self):
        reg = self.register()
        other_link = self.link(self.other)
        self.assertEqual(self.scan(other_link["token"], reg["ticket_code"]).status, 404)
        # Expired: made valid, then its expiry moved into the past in the database.
        expired = self.link()
        import sqlite3
        con = sqlite3.connect(self.server.sqlite_path, timeout=10)
        with con:
            con.execute("UPDATE checkin_links SET expires_at = 1000 WHERE id = ?", (expired["id"],))
        con.close()
        res = self.scan(expired["token"], reg["ticket_code"])
        self.assertEqual(res.status, 401)
        self.assertIn("expired", res.json()["error"]["message"])
        revoked = self.link()
        self.assertEqual(self.server.api.post("/api/v1/events/%d/checkin-links/%d/revoke" % (self.event["id"], revoked["id"])).status, 200)
        res = self.scan(revoked["token"], reg["ticket_code"])
        self.assertEqual(res.status, 401)
        self.assertIn("revoked", res.json()["error"]["message"])
        self.assertEqual(self.server.anon.get("/api/v1/checkin/roster", token=revoked["token"]).status, 401)
        # An organizer session is not a check-in credential.
        self.assertEqual(self.scan(self.server.token, reg["ticket_code"]).status, 403)
        self.assertEqual(self.scan("", reg["ticket_code"]).status, 401)
        # An expiry in the past is refused at creation.
        past = (datetime.now(timezone.utc) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        res = self.server.api.post("/api/v1/events/%d/checkin-links" % self.event["id"], {"label": "x", "expires_at": past})
        self.assertEqual(res.status, 400)
        self.assertIn("expires_at", res.json()["error"]["fields"])

    def test_undo_and_the_log_of_who_did_what(self):
        link = self.link(label="Side door")
        reg = self.register()
        self.scan(link["token"], reg["ticket_code"], device_id="tablet-7")
        res = self.server.anon.delete("/api/v1/checkin/%s" % reg["ticket_code"], token=link["token"], headers={"X-Device-Id": "tablet-7"})
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["result"], "undone")
        self.assertIsNone(self.server.query("SELECT checked_in_at FROM registrations WHERE id = ?", (reg["id"],))[0][0])
        self.assertEqual(self.server.anon.delete("/api/v1/checkin/%s" % reg["ticket_code"], token=link["token"]).json()["result"],
                         "not_checked_in")
        self.assertEqual(self.scan(link["token"], reg["ticket_code"]).json()["result"], "checked_in")
        log = self.server.query("SELECT action, link_id, device_id FROM checkin_log WHERE registration_id = ? ORDER BY id", (reg["id"],))
        self.assertEqual([r[0] for r in log], ["checkin", "undo", "checkin"])
        self.assertTrue(all(r[1] == link["id"] for r in log))
        self.assertEqual(log[0][2], "tablet-7")
        links = self.server.api.get("/api/v1/events/%d/checkin-links" % self.event["id"]).json()["links"]
        mine = next(l for l in links if l["id"] == link["id"])
        self.assertEqual((mine["checkins"], mine["undos"], mine["state"]), (2, 1, "active"))
        self.assertIn("tablet-7", mine["devices"])

    def test_search_shows_only_what_a_volunteer_needs(self):
        link = self.link()
        self.register(name="José Núñez-García", email="jose.nunez@example.org")
        res = self.server.anon.get("/api/v1/events/%d/checkin/search?q=jose" % self.event["id"], token=link["token"])
        self.assertEqual(res.status, 200, res)
        matches = res.json()["matches"]
        self.assertTrue(any(m["name"] == "José Núñez-García" for m in matches))
        for m in matches:
            self.assertEqual(set(m), {"name", "mode", "status", "ticket_code", "checked_in_at"})
        by_email = self.server.anon.get("/api/v1/events/%d/checkin/search?q=nunez%%40example" % self.event["id"], token=link["token"]).json()
        self.assertTrue(any(m["name"] == "José Núñez-García" for m in by_email["matches"]))
        other = self.server.anon.get("/api/v1/events/%d/checkin/search?q=jose" % self.other["id"], token=link["token"])
        self.assertEqual(other.status, 404)
        self.assertEqual(self.server.anon.get("/api/v1/events/%d/checkin/search?q=j" % self.event["id"], token=link["token"]).status, 400)

    def test_offline_roster_holds_names_and_ticket_hashes_only(self):
        import hashlib
        link = self.link()
        reg = self.register(name="Roster Person")
        roster = self.server.anon.get("/api/v1/checkin/roster", token=link["token"]).json()
        entry = next(a for a in roster["attendees"] if a["name"] == "Roster Person")
        self.assertEqual(set(entry), {"name", "ticket_hash", "checked_in"})
        self.assertEqual(entry["ticket_hash"], hashlib.sha256(reg["ticket_code"].encode()).hexdigest())
        self.assertNotIn(reg["ticket_code"], json.dumps(roster))
        self.assertNotIn("@", json.dumps(roster))

    def test_offline_batch_in_order_and_the_same_scan_sent_twice_counts_once(self):
        link = self.link()
        a, b = self.register(name="Batch A"), self.register(name="Batch B", mode="online")
        earlier = (datetime.now(timezone.utc) - timedelta(minutes=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
        scans = [{"ticket_code": a["ticket_code"], "scanned_at": earlier, "device_id": "offline-1", "nonce": "n-" + uuid.uuid4().hex},
                 {"ticket_code": "unknown-code", "scanned_at": earlier, "device_id": "offline-1", "nonce": "n-" + uuid.uuid4().hex},
                 {"ticket_code": b["ticket_code"], "scanned_at": earlier, "device_id": "offline-1", "nonce": "n-" + uuid.uuid4().hex}]
        first = self.server.anon.post("/api/v1/checkin/batch", {"scans": scans}, token=link["token"])
        self.assertEqual(first.status, 200, first)
        results = first.json()["results"]
        self.assertEqual([r.get("result") or r["error"]["code"] for r in results], ["checked_in", "not_found", "checked_in"])
        self.assertEqual([r["ticket_code"] for r in results], [s["ticket_code"] for s in scans])
        self.assertEqual(results[0]["checked_in_at"], earlier)  # the offline scan keeps its own time
        again = self.server.anon.post("/api/v1/checkin/batch", {"scans": scans}, token=link["token"]).json()["results"]
        self.assertEqual(again[0]["result"], "checked_in")
        self.assertTrue(again[0].get("replayed"))
        count = self.server.query("SELECT COUNT(*) FROM checkin_log WHERE registration_id = ? AND action = 'checkin'", (a["id"],))[0][0]
        self.assertEqual(count, 1)
        # Another device scanned the same person: the server's answer says it was already done.
        late = self.server.anon.post("/api/v1/checkin/batch", {"scans": [{"ticket_code": a["ticket_code"], "scanned_at": earlier,
                                                                           "device_id": "offline-2", "nonce": "n-" + uuid.uuid4().hex}]},
                                     token=link["token"]).json()["results"][0]
        self.assertEqual(late["result"], "already_checked_in")
        self.assertEqual(late["device_id"], "offline-1")
        bad = self.server.anon.post("/api/v1/checkin/batch", {"scans": [{"ticket_code": a["ticket_code"], "scanned_at": "yesterday"}]},
                                    token=link["token"])
        self.assertEqual(bad.status, 400)
        self.assertIn("scans[0].scanned_at", bad.json()["error"]["fields"])

    def test_counts_and_the_live_stream(self):
        event = self.server.create_event(support.event_body(title="Live Door", in_person=10, online=10))
        link = self.link(event)
        regs = [self.register(event=event) for _ in range(3)]
        counts = self.server.api.get("/api/v1/events/%d/checkin/counts" % event["id"]).json()
        self.assertEqual(counts["in_person"], {"checked_in": 0, "expected": 3})
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request("GET", "/api/v1/checkin/live?access_token=" + link["token"])
        res = conn.getresponse()
        self.assertEqual(res.status, 200)
        self.assertTrue(res.getheader("Content-Type").startswith("text/event-stream"))
        seen = []

        def read():
            buf = b""
            while True:
                chunk = res.fp.readline()
                if not chunk:
                    return
                if chunk.startswith(b"data: "):
                    seen.append(json.loads(chunk[6:]))
                    if seen[-1]["in_person"]["checked_in"] >= 2:
                        return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        time.sleep(0.3)
        started = time.time()
        self.scan(link["token"], regs[0]["ticket_code"])
        self.scan(link["token"], regs[1]["ticket_code"])
        reader.join(timeout=5)
        conn.close()
        self.assertTrue(seen and seen[-1]["in_person"]["checked_in"] == 2, seen)
        self.assertLess(time.time() - started, 2.5, "the counts came more than a second late")
        # Organizers watch the same stream with their session; others get 404.
        bad = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        bad.request("GET", "/api/v1/checkin/live?access_token=ens_c_nonsense")
        self.assertEqual(bad.getresponse().status, 401)
        bad.close()


if __name__ == "__main__":
    unittest.main()
