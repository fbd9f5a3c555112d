"""The registrations contract: register, full and waitlist, duplicates, idempotency, manage, cancel, switch,
tickets, calendar files, organizer lists and CSV, personal data export and erasure, rate limits."""

import csv
import io
import re
import struct
import unittest
import urllib.parse
import zlib
from datetime import datetime, timezone

from tests.http import support

TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,}$")  # URL-safe base64: 22 characters carry 132 bits


def token_bits(token):
    return len(token) * 6


class RegistrationsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        res = cls.server.api.post("/api/v1/users", {"email": "stranger@example.org", "name": "Stranger", "role": "organizer",
                                                    "password": "stranger password"})
        assert res.status == 201, res
        cls.stranger = cls.server.anon.post("/api/v1/auth/login", {"email": "stranger@example.org",
                                                                   "password": "stranger password"}).json()["token"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def register(self, event, **kw):
        return self.server.register(event["id"], **kw)

    def manage(self, token, suffix=""):
        return self.server.anon.get("/api/v1/registrations/" + token + suffix)

    def test_201_body_and_unguessable_tokens(self):
        event = self.server.create_event(title="Token Event")
        res = self.register(event, name="Amina Diallo", email="amina@example.org", mode="online")
        self.assertEqual(res.status, 201, res)
        body = res.json()
        self.assertEqual(set(body) >= {"id", "status", "mode", "ticket_code", "manage_token"}, True)
        self.assertEqual(body["status"], "confirmed")
        self.assertEqual(body["mode"], "online")
        self.assertNotIn("waitlist_position", body)
        for key in ("ticket_code", "manage_token"):
            self.assertRegex(body[key], TOKEN)
            self.assertGreaterEqual(token_bits(body[key]), 128)
        self.assertNotEqual(body["ticket_code"], body["manage_token"])
        self.assertNotIn("join_url", body)
        seen = set()
        for i in range(10):
            b = self.register(event, email="many%d@example.org" % i).json()
            seen.update([b["ticket_code"], b["manage_token"]])
        self.assertEqual(len(seen), 20)

    def test_full_answers_409_with_the_other_modes_remaining_seats(self):
        event = self.server.create_event(title="Tiny Room", in_person=1, online=3, waitlist=False)
        self.assertEqual(self.register(event, email="in@example.org").status, 201)
        res = self.register(event, email="late@example.org")
        self.assertEqual(res.status, 409)
        body = res.json()
        self.assertEqual(body["error"]["code"], "full")
        self.assertEqual(body["alternatives"], {"online": 3})
        res = self.register(event, email="late@example.org", waitlist=True)  # this event has no waitlist
        self.assertEqual(res.json()["error"]["code"], "full")
        self.assertEqual(self.register(event, email="late@example.org", mode="online").status, 201)
        seats = self.server.anon.get("/api/v1/events/%d" % event["id"]).json()["seats"]
        self.assertEqual(seats["in_person"], {"capacity": 1, "taken": 1, "remaining": 0, "waitlisted": 0})
        self.assertEqual(seats["online"]["remaining"], 2)

    def test_waitlist_positions(self):
        event = self.server.create_event(title="Waitlist Event", in_person=1, online=1)
        self.assertEqual(self.register(event, email="seat@example.org").json()["status"], "confirmed")
        self.assertEqual(self.register(event, email="nolist@example.org").status, 409)
        tokens = []
        for i in range(3):
            res = self.register(event, email="wait%d@example.org" % i, waitlist=True)
            self.assertEqual(res.status, 201)
            self.assertEqual(res.json()["status"], "waitlisted")
            self.assertEqual(res.json()["waitlist_position"], i + 1)
            tokens.append(res.json()["manage_token"])
        self.assertEqual(self.manage(tokens[2]).json()["waitlist_position"], 3)
        self.assertEqual(self.server.anon.post("/api/v1/registrations/%s/cancel" % tokens[0]).status, 200)
        self.assertEqual(self.manage(tokens[1]).json()["waitlist_position"], 1)
        self.assertEqual(self.manage(tokens[2]).json()["waitlist_position"], 2)
        seats = self.server.anon.get("/api/v1/events/%d" % event["id"]).json()["seats"]["in_person"]
        self.assertEqual(seats["waitlisted"], 2)

    def test_an_email_registers_once(self):
        event = self.server.create_event(title="Once Only")
        self.assertEqual(self.register(event, email="Fatima.Rahman@Example.org").status, 201)
        for again, mode in [("fatima.rahman@example.org", "in_person"), ("  FATIMA.RAHMAN@EXAMPLE.ORG  ", "online")]:
            res = self.register(event, email=again, mode=mode)
            self.assertEqual(res.status, 409, again)
            self.assertEqual(res.json()["error"]["code"], "already_registered")

    def test_validation_cases_name_the_field(self):
        event = self.server.create_event(title="Validation Event", fmt="in_person")
        cases = [
            ({"email": "not-an-email"}, "email"),
            ({"email": "a@b"}, "email"),
            ({"name": "   "}, "name"),
            ({"name": None}, "name"),
            ({"mode": "hybrid"}, "mode"),
            ({"mode": "online"}, "mode"),  # an in-person event
            ({"answers": {}}, "answers.profession"),
            ({"answers": {"profession": "Nurse", "province": "bc"}}, "answers.province"),
            ({"consent": False}, "consent"),
            ({"consent": None}, "consent"),
            ({"language": "de"}, "language"),
            ({"waitlist": "yes"}, "waitlist"),
        ]
        for fields, bad in cases:
            body = {"name": "Valid Name", "email": "valid@example.org", "mode": "in_person", "consent": True,
                    "answers": {"profession": "Nurse"}}
            body.update(fields)
            body = {k: v for k, v in body.items() if v is not None}
            res = self.server.anon.post("/api/v1/events/%d/registrations" % event["id"], body)
            self.assertEqual(res.status, 400, (fields, res))
            self.assertEqual(res.json()["error"]["code"], "validation")
            self.assertIn(bad, res.json()["error"]["fields"], fields)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM registrations WHERE event_id = ?", (event["id"],))[0][0], 0)

    def test_registration_not_open_is_a_validation_error(self):
        later = self.server.create_event(title="Opens Later", registration={"opens_at": "2099-01-01T09:00:00", "waitlist": True},
                                         days=30)
        res = self.register(later)
        self.assertEqual(res.status, 400)
        self.assertIn("event", res.json()["error"]["fields"])
        closed = self.server.create_event(title="Closed Already", registration={"closes_at": "2020-01-01T09:00:00"})
        res = self.register(closed)
        self.assertEqual(res.status, 400)
        self.assertIn("event", res.json()["error"]["fields"])

    def test_idempotency_key_replays_and_refuses_another_body(self):
        event = self.server.create_event(title="Idempotent Event")
        body = {"name": "Li Wei", "email": "li.wei@example.org", "mode": "in_person", "consent": True, "answers": {"profession": "MD"}}
        path = "/api/v1/events/%d/registrations" % event["id"]
        first = self.server.anon.post(path, body, headers={"Idempotency-Key": "retry-7f3a"})
        again = self.server.anon.post(path, body, headers={"Idempotency-Key": "retry-7f3a"})
        self.assertEqual(first.status, 201)
        self.assertEqual(again.status, 201)
        self.assertEqual(again.json(), first.json())
        rows = self.server.query("SELECT COUNT(*) FROM registrations WHERE email_norm = 'li.wei@example.org'")
        self.assertEqual(rows[0][0], 1)
        other = dict(body, name="Someone Else", email="else@example.org")
        res = self.server.anon.post(path, other, headers={"Idempotency-Key": "retry-7f3a"})
        self.assertEqual(res.status, 409)
        self.assertEqual(res.json()["error"]["code"], "conflict")
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM registrations WHERE email_norm = 'else@example.org'")[0][0], 0)
        # Without the key, the same body is a second attempt by the same person.
        self.assertEqual(self.server.anon.post(path, body).json()["error"]["code"], "already_registered")

    def test_manage_view_and_the_join_link_for_confirmed_online_only(self):
        event = self.server.create_event(title="Manage Event", in_person=1, online=1)
        online = self.register(event, name="Online Person", email="on@example.org", mode="online").json()
        in_person = self.register(event, name="Room Person", email="ip@example.org").json()
        waiting = self.register(event, name="Waiting Person", email="ow@example.org", mode="online", waitlist=True).json()
        view = self.manage(online["manage_token"])
        self.assertEqual(view.status, 200)
        v = view.json()
        for key in ["id", "status", "mode", "name", "email", "language", "answers", "ticket_code", "waitlist_position", "event"]:
            self.assertIn(key, v)
        self.assertEqual(v["name"], "Online Person")
        self.assertEqual(v["answers"], {"profession": "Nurse"})
        self.assertEqual(v["ticket_code"], online["ticket_code"])
        self.assertEqual(v["event"]["id"], event["id"])
        self.assertEqual(v["join_url"], "https://zoom.us/j/5550001111?pwd=SECRETPWD")
        self.assertEqual(v["passcode"], "pass-4321")
        self.assertFalse(support.contains_key(v["event"], "join_url"))
        self.assertEqual(view.header("Cache-Control"), "no-store")
        for token in (in_person["manage_token"], waiting["manage_token"]):
            other = self.manage(token)
            self.assertEqual(other.status, 200)
            self.assertFalse(support.contains_key(other.json(), "join_url"))
            self.assertFalse(support.contains_key(other.json(), "passcode"))
            self.assertNotIn("SECRETPWD", other.text)
        self.assertEqual(self.manage("x" * 32).status, 404)
        self.assertEqual(self.manage(online["ticket_code"]).status, 404)

    def test_cancel_promotes_the_first_waitlisted_of_that_mode(self):
        event = self.server.create_event(title="Cancel Event", in_person=1, online=1)
        seated = self.register(event, email="seated@example.org").json()
        online_waiting = self.register(event, email="ow1@example.org", mode="online").json()  # takes the online seat
        ow2 = self.register(event, email="ow2@example.org", mode="online", waitlist=True).json()
        first = self.register(event, email="first@example.org", waitlist=True).json()
        second = self.register(event, email="second@example.org", waitlist=True).json()
        res = self.server.anon.post("/api/v1/registrations/%s/cancel" % seated["manage_token"])
        self.assertEqual(res.status, 200)
        self.assertEqual(res.json()["status"], "cancelled")
        self.assertEqual(self.manage(seated["manage_token"]).json()["status"], "cancelled")
        self.assertEqual(self.manage(first["manage_token"]).json()["status"], "confirmed")
        self.assertEqual(self.manage(second["manage_token"]).json()["waitlist_position"], 1)
        self.assertEqual(self.manage(ow2["manage_token"]).json()["status"], "waitlisted")
        rows = self.server.query("SELECT kind FROM outbox WHERE registration_id = ? ORDER BY id", (first["id"],))
        self.assertEqual([r[0] for r in rows], ["email.waitlisted", "email.promoted"])
        seats = self.server.anon.get("/api/v1/events/%d" % event["id"]).json()["seats"]
        self.assertEqual(seats["in_person"], {"capacity": 1, "taken": 1, "remaining": 0, "waitlisted": 1})
        self.assertEqual(self.server.anon.post("/api/v1/registrations/%s/cancel" % ("z" * 32)).status, 404)
        self.assertEqual(online_waiting["status"], "confirmed")

    def test_switch_mode(self):
        event = self.server.create_event(title="Switch Event", in_person=1, online=1)
        a = self.register(event, email="a@example.org").json()
        res = self.server.anon.post("/api/v1/registrations/%s/switch" % a["manage_token"], {"mode": "online"})
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["mode"], "online")
        self.assertEqual(self.manage(a["manage_token"]).json()["mode"], "online")
        b = self.register(event, email="b@example.org").json()  # takes the freed in-person seat
        self.assertEqual(b["status"], "confirmed")
        res = self.server.anon.post("/api/v1/registrations/%s/switch" % b["manage_token"], {"mode": "online"})
        self.assertEqual(res.status, 409)
        self.assertEqual(res.json()["error"]["code"], "full")
        self.assertEqual(self.manage(b["manage_token"]).json()["mode"], "in_person")
        seats = self.server.anon.get("/api/v1/events/%d" % event["id"]).json()["seats"]
        self.assertEqual(seats["in_person"]["taken"], 1)
        self.assertEqual(seats["online"]["taken"], 1)
        res = self.server.anon.post("/api/v1/registrations/%s/switch" % b["manage_token"], {"mode": "teleport"})
        self.assertEqual(res.status, 400)
        self.assertIn("mode", res.json()["error"]["fields"])
        res = self.server.anon.post("/api/v1/registrations/%s/switch" % b["manage_token"], {})
        self.assertEqual(res.status, 400)

    def test_ticket_images(self):
        event = self.server.create_event(title="Ticket Event")
        r = self.register(event).json()
        svg = self.manage(r["manage_token"], "/ticket.svg")
        self.assertEqual(svg.status, 200)
        self.assertTrue(svg.header("Content-Type").startswith("image/svg+xml"))
        self.assertIn("<svg", svg.text)
        self.assertIn("</svg>", svg.text)
        png = self.manage(r["manage_token"], "/ticket.png")
        self.assertEqual(png.status, 200)
        self.assertEqual(png.header("Content-Type"), "image/png")
        data = png.body
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        length, kind = struct.unpack(">I4s", data[8:16])
        self.assertEqual(kind, b"IHDR")
        width, height = struct.unpack(">II", data[16:24])
        self.assertEqual(width, height)
        self.assertGreater(width, 100)
        self.assertEqual(zlib.crc32(data[12:16 + length]) & 0xFFFFFFFF, struct.unpack(">I", data[16 + length:20 + length])[0])
        self.assertTrue(data.endswith(b"IEND\xaeB`\x82"))
        self.assertEqual(self.manage("y" * 32, "/ticket.png").status, 404)
        self.server.anon.post("/api/v1/registrations/%s/cancel" % r["manage_token"])
        self.assertEqual(self.manage(r["manage_token"], "/ticket.svg").status, 409)

    def test_calendar_file_is_valid_rfc5545(self):
        title = "Sommet annuel des professionnels de la santé formés à l'étranger, édition spéciale; Toronto 2031"
        event = self.server.create_event(title=title, starts_at="2031-11-22T09:30:00", ends_at="2031-11-22T16:00:00")
        r = self.register(event, mode="online").json()
        res = self.manage(r["manage_token"], "/calendar.ics")
        self.assertEqual(res.status, 200)
        self.assertTrue(res.header("Content-Type").startswith("text/calendar"), res.headers)
        raw = res.body
        self.assertTrue(raw.endswith(b"\r\n"))
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""))
        self.assertNotIn(b"\r", raw.replace(b"\r\n", b""))
        physical = raw.split(b"\r\n")[:-1]
        for line in physical:
            self.assertLessEqual(len(line), 75, line)
            line.decode("utf-8")  # folding never splits a character
        self.assertTrue(any(line.startswith(b" ") for line in physical), "the long summary should be folded")
        lines = raw.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]
        self.assertEqual(lines[0], "BEGIN:VCALENDAR")
        self.assertEqual(lines[-1], "END:VCALENDAR")
        props = {}
        for line in lines:
            name, _, value = line.partition(":")
            props.setdefault(name.split(";")[0], value)
        self.assertEqual(props["VERSION"], "2.0")
        self.assertTrue(props["PRODID"])
        self.assertIn("BEGIN:VEVENT", lines)
        self.assertIn("END:VEVENT", lines)
        self.assertEqual(props["DTSTART"], "20311122T143000Z")
        self.assertEqual(props["DTEND"], "20311122T210000Z")
        self.assertRegex(props["DTSTAMP"], r"^\d{8}T\d{6}Z$")
        self.assertIn("\\,", props["SUMMARY"])
        self.assertIn("\\;", props["SUMMARY"])
        self.assertIn("santé formés", props["SUMMARY"])
        again = self.manage(r["manage_token"], "/calendar.ics").text.replace("\r\n ", "")
        uid = re.search(r"\r\nUID:([^\r]+)\r\n", again).group(1)
        self.assertEqual(uid, props["UID"])
        other = self.register(event).json()
        other_uid = re.search(r"\r\nUID:([^\r]+)\r\n", self.manage(other["manage_token"], "/calendar.ics").text.replace("\r\n ", "")).group(1)
        self.assertNotEqual(other_uid, uid)

    def test_organizer_list_filters(self):
        s = self.server
        event = s.create_event(title="Roster Event", in_person=1, online=5)
        s.register(event["id"], name="Élodie Côté", email="elodie@example.org")
        s.register(event["id"], name="Zoë Ng", email="zoe@example.org", mode="online")
        s.register(event["id"], name="Amir Haddad", email="amir@example.org", waitlist=True)
        path = "/api/v1/events/%d/registrations" % event["id"]
        res = s.api.get(path)
        self.assertEqual(res.status, 200)
        self.assertEqual(len(res.json()["registrations"]), 3)
        self.assertEqual([r["name"] for r in s.api.get(path + "?status=waitlisted").json()["registrations"]], ["Amir Haddad"])
        self.assertEqual([r["name"] for r in s.api.get(path + "?mode=online").json()["registrations"]], ["Zoë Ng"])
        q = urllib.parse.quote("Élodie")
        self.assertEqual([r["name"] for r in s.api.get(path + "?q=" + q).json()["registrations"]], ["Élodie Côté"])
        self.assertEqual([r["name"] for r in s.api.get(path + "?q=cote").json()["registrations"]], ["Élodie Côté"])
        self.assertEqual([r["name"] for r in s.api.get(path + "?q=ZOE%40EXAMPLE").json()["registrations"]], ["Zoë Ng"])
        waitlisted = s.api.get(path + "?status=waitlisted&mode=in_person").json()["registrations"][0]
        self.assertEqual(waitlisted["waitlist_position"], 1)
        self.assertEqual(s.api.get(path + "?status=maybe").status, 400)
        self.assertEqual(s.anon.get(path).status, 401)
        self.assertEqual(s.anon.get(path, token=self.stranger).status, 404)

    def test_csv_export(self):
        s = self.server
        event = s.create_event(title="CSV Event")
        s.register(event["id"], name="Élodie Côté", email="elodie.csv@example.org", answers={"profession": "Pharmacienne, PharmD",
                                                                                            "province": "qc"})
        s.register(event["id"], name='=HYPERLINK("http://evil.example","click")', email="evil@example.org",
                   answers={"profession": "+1 555 0100"})
        s.register(event["id"], name="@Attacker", email="at@example.org", answers={"profession": "-2+3"})
        res = s.api.get("/api/v1/events/%d/registrations.csv" % event["id"])
        self.assertEqual(res.status, 200)
        self.assertTrue(res.header("Content-Type").startswith("text/csv"))
        self.assertIn("attachment", res.header("Content-Disposition", ""))
        self.assertTrue(res.body.startswith(b"\xef\xbb\xbf"))
        text = res.body.decode("utf-8-sig")
        self.assertTrue(text.endswith("\r\n"))
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0]
        self.assertIn("name", header)
        self.assertIn("email", header)
        self.assertIn("Profession", header)
        by_email = {row[header.index("email")]: row for row in rows[1:]}
        name = header.index("name")
        profession = header.index("Profession")
        self.assertEqual(by_email["elodie.csv@example.org"][name], "Élodie Côté")
        self.assertEqual(by_email["elodie.csv@example.org"][profession], "Pharmacienne, PharmD")
        self.assertEqual(by_email["elodie.csv@example.org"][header.index("Province")], "Quebec")
        for email in ("evil@example.org", "at@example.org"):
            for cell in by_email[email]:
                self.assertFalse(cell[:1] in ("=", "+", "-", "@"), cell)
        self.assertEqual(by_email["evil@example.org"][name], "'=HYPERLINK(\"http://evil.example\",\"click\")")
        self.assertEqual(by_email["evil@example.org"][profession], "'+1 555 0100")
        self.assertEqual(s.anon.get("/api/v1/events/%d/registrations.csv" % event["id"]).status, 401)
        self.assertEqual(s.anon.get("/api/v1/events/%d/registrations.csv" % event["id"], token=self.stranger).status, 404)

    def test_personal_data_export_and_erasure(self):
        s = self.server
        event = s.create_event(title="Erasure Event", in_person=1, online=1)
        person = s.register(event["id"], name="Olamide Adeyemi", email="Olamide.Adeyemi@example.org",
                            answers={"profession": "Physiotherapist from Lagos"}).json()
        waiting = s.register(event["id"], name="Next In Line", email="next@example.org", waitlist=True).json()
        token = person["manage_token"]
        data = s.anon.get("/api/v1/registrations/%s/data" % token)
        self.assertEqual(data.status, 200)
        d = data.json()
        self.assertEqual(d["name"], "Olamide Adeyemi")
        self.assertEqual(d["email"], "Olamide.Adeyemi@example.org")
        self.assertEqual(d["answers"]["profession"], "Physiotherapist from Lagos")
        self.assertEqual(d["event"]["id"], event["id"])
        self.assertTrue(any(m["kind"] == "email.confirmation" for m in d["messages"]))

        res = s.anon.delete("/api/v1/registrations/" + token)
        self.assertEqual(res.status, 204)
        self.assertEqual(s.anon.get("/api/v1/registrations/" + token).status, 404)
        self.assertEqual(s.anon.get("/api/v1/registrations/%s/data" % token).status, 404)
        self.assertEqual(s.anon.delete("/api/v1/registrations/" + token).status, 404)
        self.assertEqual(s.anon.get("/api/v1/registrations/" + waiting["manage_token"]).json()["status"], "confirmed")
        seats = s.anon.get("/api/v1/events/%d" % event["id"]).json()["seats"]["in_person"]
        self.assertEqual((seats["taken"], seats["waitlisted"]), (1, 0))
        # In the database itself: the row stays for the counts, and nothing names the person.
        row = s.query("SELECT name, email, status, erased_at FROM registrations WHERE id = ?", (person["id"],))[0]
        self.assertEqual(row[:3], ["", "", "cancelled"])
        self.assertIsNotNone(row[3])
        for table in ("registrations", "outbox", "checkin_log", "zoom_attendance", "idempotency_keys", "audit_log"):
            for values in s.query("SELECT * FROM " + table):
                for value in values:
                    if isinstance(value, str):
                        for needle in ("Olamide", "Adeyemi", "olamide", "Lagos"):
                            self.assertNotIn(needle, value, table)

    def test_registration_by_slug_and_unknown_event(self):
        event = self.server.create_event(title="Slug Registration")
        self.assertEqual(self.server.register(event["slug"]).status, 201)
        self.assertEqual(self.server.register("no-such-event-here").status, 404)


class RegistrationRateLimitTest(unittest.TestCase):
    def test_one_address_registering_too_fast_gets_429(self):
        with support.Server(env={"ENSEMBLE_RATE_LIMITS_REGISTRATION_PER_MINUTE_PER_IP": "20",
                                 "ENSEMBLE_RATE_LIMITS_REGISTRATION_BURST": "5"}) as s:
            event = s.create_event(title="Popular Event")
            statuses = [s.register(event["id"]).status for _ in range(8)]
            self.assertEqual(statuses[:5], [201] * 5)
            self.assertIn(429, statuses[5:])
            res = s.register(event["id"])
            self.assertEqual(res.status, 429)
            self.assertEqual(res.json()["error"]["code"], "rate_limited")
            self.assertGreaterEqual(int(res.header("Retry-After")), 1)
            count = s.query("SELECT COUNT(*) FROM registrations")[0][0]
            self.assertEqual(count, statuses.count(201))


if __name__ == "__main__":
    unittest.main()
