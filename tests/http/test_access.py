"""Who may do what: an access matrix of every organizer endpoint against the credentials that must
not open it (none, a volunteer's check-in link, a second organizer, an expired, logged-out or
forged session, a logged-out cookie); manage-token endpoints against wrong tokens; join links and
passcodes that reach only their confirmed online registrant; CSRF on cookie-authenticated writes;
the check-in rate limit.

Every refusal must be the JSON error body of API.md, with nothing of the event or its people in it.
"""

import collections
import email
import email.policy
import glob
import hashlib
import os
import re
import sqlite3
import time
import unittest
import uuid

from tests.http import support

CODES = {400: "validation", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict", 429: "rate_limited"}

# Distinctive texts of the first organizer's event: none may reach anyone who may not see it.
TITLE = "Zanzibar Access Summit"
DRAFT_TITLE = "Quetzal Draft Retreat"
JOIN_MARK = "ACCESSJOIN7Q4X"
PASS_MARK = "PASSCODEZK7731"
JOIN_URL = "https://meet.example.net/j/%s?pwd=PWD%s" % (JOIN_MARK, JOIN_MARK)
PASSCODE = "pc-" + PASS_MARK

OWNER = ("owner@access.example.org", "owner password 0001", "Odile Owner")
OTHER = ("intruder@access.example.org", "intruder password 0002", "Ivo Intruder")
MEMBER = ("teammate@access.example.org", "teammate password 0003", "Tamsin Teammate")


# One row per organizer route (several rows may try one route in different ways).
#   route:  "METHOD pattern" exactly as registered in server/handlers/*.cpp
#   path:   the request, with {event} (published, the owner's), {draft}, {waitlisted}, {confirmed}, {member},
#           {link}, {message}, {other_id} filled in from the fixtures
#   other:  what a second organizer (no part in the event) gets; 404 for anything of the owner's event
#   public: what no/volunteer/expired credentials get when it is not 401/403 (a public read)
Row = collections.namedtuple("Row", "route path body other public", defaults=(None, 404, None))

ORGANIZER_ROUTES = [
    Row("GET /api/v1/auth/me", "/api/v1/auth/me", other=200),
    Row("POST /api/v1/auth/logout", "/api/v1/auth/logout", other=204),
    Row("GET /api/v1/users", "/api/v1/users", other=403),
    Row("POST /api/v1/users", "/api/v1/users",
        {"email": "made-by-intruder@access.example.org", "name": "Made", "role": "admin", "password": "made password 000001"}, other=403),
    Row("PATCH /api/v1/users/{id}", "/api/v1/users/{other_id}", {"role": "admin"}, other=403),
    Row("GET /api/v1/events", "/api/v1/events?scope=managed", other=200),
    Row("POST /api/v1/events", "/api/v1/events", "new_event", other=201),
    Row("GET /api/v1/events/{id}", "/api/v1/events/{draft}", public=404),
    Row("PATCH /api/v1/events/{id}", "/api/v1/events/{event}", {"summary": {"en": "Hijacked"}}),
    Row("POST /api/v1/events/{id}/publish", "/api/v1/events/{draft}/publish"),
    Row("POST /api/v1/events/{id}/cancel", "/api/v1/events/{event}/cancel"),
    Row("POST /api/v1/events/{id}/duplicate", "/api/v1/events/{event}/duplicate", {"shift_days": 7}),
    Row("GET /api/v1/events/{id}/settings", "/api/v1/events/{event}/settings"),
    Row("GET /api/v1/events/{id}/registrations", "/api/v1/events/{event}/registrations"),
    Row("GET /api/v1/events/{id}/registrations.csv", "/api/v1/events/{event}/registrations.csv"),
    Row("POST /api/v1/events/{id}/registrations/{rid}/promote", "/api/v1/events/{event}/registrations/{waitlisted}/promote"),
    Row("POST /api/v1/events/{id}/registrations/{rid}/move", "/api/v1/events/{event}/registrations/{confirmed}/move", {"mode": "online"}),
    Row("POST /api/v1/events/{id}/registrations/{rid}/cancel", "/api/v1/events/{event}/registrations/{confirmed}/cancel"),
    Row("GET /api/v1/events/{id}/organizers", "/api/v1/events/{event}/organizers"),
    Row("POST /api/v1/events/{id}/organizers", "/api/v1/events/{event}/organizers", {"email": OTHER[0]}),
    Row("DELETE /api/v1/events/{id}/organizers/{user}", "/api/v1/events/{event}/organizers/{member}"),
    Row("POST /api/v1/events/{id}/checkin-links", "/api/v1/events/{event}/checkin-links", {"label": "Intruder door"}),
    Row("GET /api/v1/events/{id}/checkin-links", "/api/v1/events/{event}/checkin-links"),
    Row("POST /api/v1/events/{id}/checkin-links/{link}/revoke", "/api/v1/events/{event}/checkin-links/{link}/revoke"),
    Row("GET /api/v1/events/{id}/checkin/counts", "/api/v1/events/{event}/checkin/counts"),
    Row("GET /api/v1/events/{id}/live", "/api/v1/events/{event}/live"),
    Row("GET /api/v1/events/{id}/report", "/api/v1/events/{event}/report"),
    Row("GET /api/v1/audit", "/api/v1/audit", other=403),
    Row("GET /api/v1/audit", "/api/v1/audit?event={event}", other=403),
    Row("GET /api/v1/outbox", "/api/v1/outbox", other=200),
    Row("GET /api/v1/outbox", "/api/v1/outbox?event_id={event}"),
    Row("POST /api/v1/outbox/{id}/retry", "/api/v1/outbox/{message}/retry"),
    Row("GET /api/v1/events/{id}/outbox", "/api/v1/events/{event}/outbox"),
    Row("POST /api/v1/events/{id}/outbox/retry", "/api/v1/events/{event}/outbox/retry"),
]

# Routes that take a check-in link (volunteers), a manage token (attendees), or nothing (public).
VOLUNTEER_ROUTES = {
    "POST /api/v1/checkin", "POST /api/v1/checkin/batch", "GET /api/v1/checkin/session", "GET /api/v1/checkin/roster",
    "GET /api/v1/checkin/live", "DELETE /api/v1/checkin/{ticket_code}", "GET /api/v1/events/{id}/checkin/search",
}
ATTENDEE_ROUTES = {
    "GET /api/v1/registrations/{token}", "DELETE /api/v1/registrations/{token}", "POST /api/v1/registrations/{token}/cancel",
    "POST /api/v1/registrations/{token}/switch", "GET /api/v1/registrations/{token}/ticket.svg",
    "GET /api/v1/registrations/{token}/ticket.png", "GET /api/v1/registrations/{token}/calendar.ics",
    "GET /api/v1/registrations/{token}/data",
}
PUBLIC_ROUTES = {
    "GET /healthz", "GET /metrics", "POST /api/v1/auth/login", "POST /api/v1/events/{id}/registrations",
    "POST /api/v1/integrations/zoom/webhook", "GET /", "GET /past", "GET /events/{slug}", "GET /manage/{token}", "GET /checkin",
    "GET /admin", "GET /admin/{*rest}", "GET /vendor/{*path}",
    # Also in the organizer table: the public list and read, which organizers widen (scope=managed, drafts).
    "GET /api/v1/events", "GET /api/v1/events/{id}",
}

ROUTE_RE = re.compile(r'routes\.add(?:_stream)?\(\s*http::verb::(\w+?)_?\s*,\s*"([^"]+)"')


def registered_routes():
    """Every route the server registers, read from its source (the table above must name each one)."""
    found = set()
    for path in glob.glob(os.path.join(support.ROOT, "server", "**", "*.cpp"), recursive=True):
        with open(path, encoding="utf-8") as f:
            for verb, pattern in ROUTE_RE.findall(f.read()):
                found.add(verb.upper() + " " + pattern)
    return found


def login(server, account):
    res = server.anon.post("/api/v1/auth/login", {"email": account[0], "password": account[1]})
    assert res.status == 200, res
    return res.json()


def unfolded(body):
    """The response text with iCalendar line folding undone, so a folded secret is still seen."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return text.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "")


class AccessCase(unittest.TestCase):
    sensitive = ()

    def assert_clean(self, res, where, extra=()):
        text = unfolded(res.body)
        for secret in tuple(self.sensitive) + tuple(extra):
            self.assertNotIn(secret, text, "%s leaks %r: %r" % (where, secret, res))

    def assert_error(self, res, status, where, extra=()):
        self.assertEqual(res.status, status, "%s: %r" % (where, res))
        self.assertTrue((res.header("Content-Type") or "").startswith("application/json"), "%s: %r" % (where, res.headers))
        body = res.json()
        self.assertEqual(set(body), {"error"}, where)
        self.assertEqual(body["error"]["code"], CODES[status], where)
        self.assertIsInstance(body["error"]["message"], str)
        self.assertLessEqual(set(body["error"]), {"code", "message", "fields"}, where)
        self.assert_clean(res, where, extra)


class OrganizerAccessMatrixTest(AccessCase):
    @classmethod
    def setUpClass(cls):
        s = cls.server = support.Server().start()
        cls.addClassCleanup(s.stop)  # runs even when the set-up fails
        ids = {}
        for email, password, name in (OWNER, OTHER, MEMBER):
            res = s.api.post("/api/v1/users", {"email": email, "name": name, "role": "organizer", "password": password})
            assert res.status == 201, res
            ids[email] = res.json()["id"]
        cls.owner = support.Client(s.port, login(s, OWNER)["token"])
        cls.other_token = login(s, OTHER)["token"]
        other = support.Client(s.port, cls.other_token)
        cls.other_event = other.post("/api/v1/events", support.event_body(title="Intruder Open Day")).json()
        assert other.post("/api/v1/events/%d/publish" % cls.other_event["id"]).status == 200
        cls.other_reg = s.register(cls.other_event["id"], name="Bartholomew Bystander").json()
        body = support.event_body(title=TITLE, in_person=1, online=5)
        body["online"] = {"provider": "manual", "join_url": JOIN_URL, "passcode": PASSCODE}
        event = cls.owner.post("/api/v1/events", body).json()
        assert cls.owner.post("/api/v1/events/%d/publish" % event["id"]).status == 200
        draft = cls.owner.post("/api/v1/events", support.event_body(title=DRAFT_TITLE)).json()
        people = [("Quillon Vantablack", "in_person", False), ("Ysolde Marchetti", "in_person", True),
                  ("Thaddeus Okonkwo-Liu", "online", False)]
        regs = []
        for name, mode, waitlist in people:
            res = s.register(event["id"], name=name, email="%s@people.example.org" % name.split()[0].lower(), mode=mode, waitlist=waitlist)
            assert res.status == 201, res
            regs.append(res.json())
        assert [r["status"] for r in regs] == ["confirmed", "waitlisted", "confirmed"], regs
        assert cls.owner.post("/api/v1/events/%d/organizers" % event["id"], {"email": MEMBER[0]}).status == 201
        link = cls.owner.post("/api/v1/events/%d/checkin-links" % event["id"], {"label": "Front door"}).json()
        messages = s.api.get("/api/v1/outbox?event_id=%d" % event["id"]).json()["messages"]
        assert messages, "no outbox message to try"
        cls.fill = {"event": event["id"], "draft": draft["id"], "confirmed": regs[0]["id"], "waitlisted": regs[1]["id"],
                    "member": ids[MEMBER[0]], "link": link["id"], "message": messages[0]["id"], "other_id": ids[OTHER[0]]}
        cls.volunteer_token = link["token"]
        # The owner's own sessions, one expired, one logged out.
        expired = login(s, OWNER)["token"]
        con = sqlite3.connect(s.sqlite_path, timeout=10)
        with con:
            n = con.execute("UPDATE auth_sessions SET expires_at = 1 WHERE token_hash = ?",
                            (hashlib.sha256(expired.encode()).hexdigest(),)).rowcount
        con.close()
        assert n == 1
        logged_out = login(s, OWNER)["token"]
        assert s.anon.post("/api/v1/auth/logout", token=logged_out).status == 204
        # name -> (Bearer token, extra headers)
        cls.credentials = {
            "none": (None, None),
            "volunteer": (cls.volunteer_token, None),
            "expired session": (expired, None),
            "logged-out session": (logged_out, None),
            "logged-out session cookie": (None, {"Cookie": "ensemble_session=" + logged_out}),
            "forged session": ("ens_s_" + uuid.uuid4().hex + uuid.uuid4().hex[:11], None),
        }
        cls.sensitive = [TITLE, DRAFT_TITLE, JOIN_MARK, PASS_MARK, OWNER[0], OWNER[2], MEMBER[0], link["token"], event["slug"]]
        for r, (name, _, _) in zip(regs, people):
            cls.sensitive += [name, "%s@people.example.org" % name.split()[0].lower(), r["ticket_code"], r["manage_token"]]

    def request(self, row, token, headers=None):
        body = row.body
        if body == "new_event":
            body = support.event_body(title="Intruder Own Event %s" % uuid.uuid4().hex[:6])
        path = row.path.format(**self.fill)
        method = row.route.split()[0]
        return method, path, self.server.anon.request(method, path, body=body, token=token, headers=headers, timeout=10)

    def test_the_table_names_every_route_the_server_registers(self):
        found = registered_routes()
        self.assertGreater(len(found), 50)
        organizer = {row.route for row in ORGANIZER_ROUTES}
        self.assertEqual(organizer & VOLUNTEER_ROUTES, set())
        self.assertEqual(organizer & ATTENDEE_ROUTES, set())
        listed = organizer | VOLUNTEER_ROUTES | ATTENDEE_ROUTES | PUBLIC_ROUTES
        self.assertEqual(found - listed, set(), "routes missing from the access tables")
        self.assertEqual(listed - found, set(), "the access tables name routes the server does not have")

    def test_every_organizer_route_against_every_wrong_credential(self):
        cases = 0
        for row in ORGANIZER_ROUTES:
            for who, (token, headers) in self.credentials.items():
                with self.subTest(route=row.route, path=row.path, who=who):
                    method, path, res = self.request(row, token, headers)
                    if row.public is not None:
                        expected = row.public
                    elif who == "volunteer":
                        expected = 403  # a credential, but one that can only check people in
                    else:
                        expected = 401
                    self.assert_error(res, expected, "%s %s as %s" % (method, path, who))
                    cases += 1
            with self.subTest(route=row.route, path=row.path, who="second organizer"):
                token = self.other_token if row.other != 204 else login(self.server, OTHER)["token"]
                method, path, res = self.request(row, token)
                where = "%s %s as a second organizer" % (method, path)
                if row.other >= 400:
                    self.assert_error(res, row.other, where)
                else:
                    self.assertEqual(res.status, row.other, "%s: %r" % (where, res))
                    self.assert_clean(res, where)
                cases += 1
        self.assertEqual(cases, (len(self.credentials) + 1) * len(ORGANIZER_ROUTES))
        # None of the refused writes changed anything.
        event = self.owner.get("/api/v1/events/%d/settings" % self.fill["event"]).json()
        self.assertNotIn("Hijacked", str(event["summary"]))
        self.assertEqual(self.owner.get("/api/v1/events/%d" % self.fill["event"]).json()["status"], "published")
        self.assertEqual(self.owner.get("/api/v1/events/%d" % self.fill["draft"]).json()["status"], "draft")
        team = self.owner.get("/api/v1/events/%d/organizers" % self.fill["event"]).text
        self.assertIn(MEMBER[0], team)
        self.assertNotIn(OTHER[0], team)
        roster = {r["id"]: r for r in self.owner.get("/api/v1/events/%d/registrations" % self.fill["event"]).json()["registrations"]}
        self.assertEqual(roster[self.fill["confirmed"]]["status"], "confirmed")
        self.assertEqual(roster[self.fill["confirmed"]]["mode"], "in_person")
        self.assertEqual(roster[self.fill["waitlisted"]]["status"], "waitlisted")
        links = self.owner.get("/api/v1/events/%d/checkin-links" % self.fill["event"]).json()["links"]
        self.assertEqual([(li["label"], li["state"]) for li in links], [("Front door", "active")])
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM users WHERE email = 'made-by-intruder@access.example.org'")[0][0], 0)
        self.assertEqual(self.server.query("SELECT role FROM users WHERE id = ?", (self.fill["other_id"],))[0][0], "organizer")
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM events WHERE owner_id = ?", (self.fill["other_id"],))[0][0], 2)

        # Each row reached the route it names (not a 404 of a mistyped path), per the server's own metrics.
        metrics = self.server.anon.get("/metrics").text
        for row in ORGANIZER_ROUTES:
            self.assertIn('route="%s"' % row.route, metrics)

        # And the owner, through the same paths, is let in (so the 404s above were about who asked).
        admin_only = {"GET /api/v1/users", "POST /api/v1/users", "PATCH /api/v1/users/{id}", "GET /api/v1/audit"}
        last = ("POST /api/v1/events/{id}/cancel", "POST /api/v1/auth/logout")
        ordered = sorted(ORGANIZER_ROUTES, key=lambda r: last.index(r.route) if r.route in last else -1)
        for row in ordered:
            with self.subTest(route=row.route, path=row.path, who="owner"):
                token = self.server.token if row.route in admin_only else self.owner.token
                if row.route == "POST /api/v1/auth/logout":
                    token = login(self.server, OWNER)["token"]
                if row.route == "POST /api/v1/users":
                    row = row._replace(body=dict(row.body, email="made-by-admin@access.example.org", role="organizer"))
                if row.route == "PATCH /api/v1/users/{id}":
                    row = row._replace(body={"name": "Ivo Renamed"})
                if row.route == "GET /api/v1/events/{id}/live":
                    continue  # a stream that never ends; its 200 is proven in test_checkin
                method, path, res = self.request(row, token)
                # 409: a sent message cannot be retried; the check is only that the owner got past the door.
                self.assertTrue(200 <= res.status < 300 or res.status == 409, "%s %s as the owner: %r" % (method, path, res))
                # What the owner gets is for the owner: no shared cache may keep it for the next caller.
                if res.body:
                    self.assertIn("no-store", res.header("Cache-Control") or "", "%s %s as the owner" % (method, path))

    def test_a_second_organizer_cannot_reach_the_first_ones_objects_through_an_own_event(self):
        other = support.Client(self.server.port, self.other_token)
        mine = self.other_event["id"]
        attempts = [
            ("POST", "/api/v1/events/%d/registrations/%d/promote" % (mine, self.fill["waitlisted"]), None),
            ("POST", "/api/v1/events/%d/registrations/%d/move" % (mine, self.fill["confirmed"]), {"mode": "online"}),
            ("POST", "/api/v1/events/%d/registrations/%d/cancel" % (mine, self.fill["confirmed"]), None),
            ("POST", "/api/v1/events/%d/checkin-links/%d/revoke" % (mine, self.fill["link"]), None),
        ]
        for method, path, body in attempts:
            with self.subTest(path=path):
                self.assert_error(other.request(method, path, body=body), 404, path)
        for path in ["/api/v1/events/%d/registrations?q=Quillon" % mine, "/api/v1/events/%d/registrations.csv" % mine,
                     "/api/v1/outbox?event_id=%d" % mine, "/api/v1/events/%d/report" % mine, "/api/v1/events/%d/checkin-links" % mine]:
            with self.subTest(path=path):
                res = other.get(path)
                self.assertEqual(res.status, 200, res)
                self.assert_clean(res, path)
        # The first organizer's volunteer link opens nothing of the second organizer's event.
        door = support.Client(self.server.port, self.volunteer_token)
        theirs = ["Bartholomew", self.other_reg["ticket_code"], self.other_reg["manage_token"]]
        code = self.other_reg["ticket_code"]
        for method, path, body in [("GET", "/api/v1/events/%d/checkin/search?q=Bartholomew" % mine, None),
                                   ("POST", "/api/v1/checkin", {"ticket_code": code}),
                                   ("DELETE", "/api/v1/checkin/" + code, None)]:
            with self.subTest(path=path):
                self.assert_error(door.request(method, path, body=body), 404, "volunteer " + path, extra=theirs)
        res = door.post("/api/v1/checkin/batch", {"scans": [{"ticket_code": code}]})
        self.assertEqual(res.status, 200, res)
        self.assertNotIn(res.json()["results"][0].get("result"), ("checked_in", "already_checked_in"))
        self.assert_clean(res, "volunteer batch", extra=["Bartholomew"])
        roster = door.get("/api/v1/checkin/roster")
        self.assertEqual(roster.status, 200)
        self.assertNotIn("Bartholomew", roster.text)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM registrations WHERE id = ? AND checked_in_at IS NOT NULL",
                                           (self.other_reg["id"],))[0][0], 0)


class WrongManageTokenTest(AccessCase):
    @classmethod
    def setUpClass(cls):
        s = cls.server = support.Server().start()
        cls.addClassCleanup(s.stop)
        body = support.event_body(title=TITLE, in_person=5, online=5)
        body["online"] = {"provider": "manual", "join_url": JOIN_URL, "passcode": PASSCODE}
        cls.event = s.create_event(body)
        cls.victim = s.register(cls.event["id"], name="Quillon Vantablack", email="quillon@people.example.org", mode="online").json()
        cls.caller = s.register(cls.event["id"], name="Ysolde Marchetti", email="ysolde@people.example.org").json()
        link = s.api.post("/api/v1/events/%d/checkin-links" % cls.event["id"], {"label": "Door"}).json()
        erased = s.register(cls.event["id"], name="Erased Person", email="erased@people.example.org", mode="online").json()
        assert s.anon.delete("/api/v1/registrations/" + erased["manage_token"]).status == 204
        v = cls.victim["manage_token"]
        flipped = v[:-1] + ("A" if v[-1] != "A" else "B")
        cls.wrong = {
            "random token of the same shape": uuid.uuid4().hex[:len(v)].ljust(len(v), "x"),
            "last character changed": flipped,
            "upper-cased": v.upper() if v.upper() != v else v.lower(),
            "one character longer": v + "x",
            "one character shorter": v[:-1],
            "the ticket code (which volunteers see)": cls.victim["ticket_code"],
            "the registration id": str(cls.victim["id"]),
            "a check-in link token": link["token"],
            "an organizer session token": s.token,
            "an erased registration's token": erased["manage_token"],
            "percent-encoded padding": v + "%00",
        }
        cls.sensitive = [JOIN_MARK, PASS_MARK, "Quillon", "quillon@", "Ysolde", "ysolde@", "Erased Person", "erased@",
                         cls.victim["ticket_code"], cls.caller["ticket_code"], TITLE]

    def test_every_manage_token_route_answers_a_wrong_token_with_404(self):
        routes = [("GET", "", None), ("POST", "/cancel", None), ("POST", "/switch", {"mode": "in_person"}), ("GET", "/ticket.svg", None),
                  ("GET", "/ticket.png", None), ("GET", "/calendar.ics", None), ("GET", "/data", None), ("DELETE", "", None)]
        self.assertEqual({"%s /api/v1/registrations/{token}%s" % (m, p) for m, p, _ in routes}, ATTENDEE_ROUTES)
        cases = 0
        for method, suffix, body in routes:
            for what, token in self.wrong.items():
                # Organizer credentials do not open another person's registration either.
                for bearer in (None, self.server.token):
                    with self.subTest(route=method + " " + suffix, token=what, bearer=bool(bearer)):
                        res = self.server.anon.request(method, "/api/v1/registrations/" + token + suffix, body=body, token=bearer)
                        self.assert_error(res, 404, "%s %s with %s" % (method, suffix, what))
                        cases += 1
        self.assertEqual(cases, len(routes) * len(self.wrong) * 2)
        # The person behind the real token is untouched, and still sees their own registration.
        own = self.server.anon.get("/api/v1/registrations/" + self.victim["manage_token"])
        self.assertEqual(own.status, 200)
        self.assertEqual(own.json()["status"], "confirmed")
        self.assertEqual(own.json()["mode"], "online")
        self.assertIn(JOIN_MARK, own.text)  # the marker would be seen if it leaked

    def test_one_persons_token_shows_that_person_only(self):
        res = self.server.anon.get("/api/v1/registrations/" + self.caller["manage_token"])
        self.assertEqual(res.status, 200)
        self.assertEqual(res.json()["id"], self.caller["id"])
        for secret in ("Quillon", "quillon@", self.victim["ticket_code"], self.victim["manage_token"], JOIN_MARK, PASS_MARK):
            self.assertNotIn(secret, res.text)
        data = self.server.anon.get("/api/v1/registrations/%s/data" % self.caller["manage_token"])
        self.assertEqual(data.status, 200)
        for secret in ("Quillon", "quillon@", self.victim["ticket_code"], self.victim["manage_token"], JOIN_MARK, PASS_MARK):
            self.assertNotIn(secret, data.text)

    def test_registration_refusals_hand_back_nothing_of_the_first_registration(self):
        s, eid = self.server, self.event["id"]
        first = s.register(eid, name="Quillon Vantablack", email="quillon.twin@people.example.org", mode="online",
                           headers={"Idempotency-Key": "access-key-1"}).json()
        theirs = [first["ticket_code"], first["manage_token"]]
        again = s.register(eid, name="Someone Else", email="Quillon.Twin@people.example.org")
        self.assertEqual(again.json()["error"]["code"], "already_registered")
        self.assert_clean(again, "already registered", extra=theirs)
        reused = s.register(eid, name="Someone Else", email="else@people.example.org", headers={"Idempotency-Key": "access-key-1"})
        self.assert_error(reused, 409, "idempotency key of another body", extra=theirs)


class JoinSecretsTest(AccessCase):
    """A manual online event's join link and passcode reach its confirmed online registrants only."""

    @classmethod
    def setUpClass(cls):
        s = cls.server = support.Server().start()
        cls.addClassCleanup(s.stop)
        body = support.event_body(title="Join Secret Forum", in_person=5, online=2)
        body["online"] = {"provider": "manual", "join_url": JOIN_URL, "passcode": PASSCODE}
        cls.event = s.create_event(body)

        def reg(name, mode, **extra):
            res = s.register(cls.event["id"], name=name, email=name.split()[0].lower() + "@secret.example.org", mode=mode, **extra)
            assert res.status == 201, res
            return res

        cls.online_res = reg("Xanthe Online", "online")
        cls.online = cls.online_res.json()
        cancelled = reg("Zeno Cancelled", "online").json()
        assert s.anon.post("/api/v1/registrations/%s/cancel" % cancelled["manage_token"]).status == 200
        reg("Vera Online", "online")
        cls.in_person_res = reg("Yara InPerson", "in_person")
        cls.waitlisted_res = reg("Wren Waiting", "online", waitlist=True)
        assert cls.waitlisted_res.json()["status"] == "waitlisted"
        cls.others = {"in-person": cls.in_person_res.json(), "waitlisted online": cls.waitlisted_res.json(), "cancelled online": cancelled}
        cls.link = s.api.post("/api/v1/events/%d/checkin-links" % cls.event["id"], {"label": "Door"}).json()["token"]
        cls.sensitive = [JOIN_MARK, PASS_MARK]

    def test_the_confirmed_online_registrant_gets_them(self):
        # The markers are found where they belong, so their absence elsewhere means something.
        own = self.server.anon.get("/api/v1/registrations/" + self.online["manage_token"])
        self.assertIn(JOIN_MARK, own.text)
        self.assertIn(PASS_MARK, own.text)
        ics = self.server.anon.get("/api/v1/registrations/%s/calendar.ics" % self.online["manage_token"])
        self.assertIn(JOIN_MARK, unfolded(ics.body))

    def test_no_public_volunteer_or_wrong_person_answer_carries_them(self):
        s, eid, slug = self.server, self.event["id"], self.event["slug"]
        door = support.Client(s.port, self.link)
        answers = {
            "registration 201 (in person)": self.in_person_res,
            "registration 201 (waitlisted)": self.waitlisted_res,
        }
        for path in ["/api/v1/events/%d" % eid, "/api/v1/events/" + slug, "/api/v1/events/%s?lang=fr" % slug, "/api/v1/events",
                     "/api/v1/events?upcoming=true&lang=fr", "/api/v1/events?past=true", "/", "/past", "/events/" + slug,
                     "/manage/" + self.online["manage_token"], "/checkin", "/admin", "/healthz", "/metrics", "/nope-404"]:
            answers["public GET " + path] = s.anon.get(path)
        for who, reg in self.others.items():
            for suffix in ("", "/calendar.ics", "/data", "/ticket.svg", "/ticket.png"):
                path = "/api/v1/registrations/%s%s" % (reg["manage_token"], suffix)
                answers["%s registrant GET %s" % (who, suffix or "/")] = s.anon.get(path)
        answers["volunteer search"] = door.get("/api/v1/events/%d/checkin/search?q=Xanthe" % eid)
        answers["volunteer search (online people)"] = door.get("/api/v1/events/%d/checkin/search?q=Online" % eid)
        answers["volunteer roster"] = door.get("/api/v1/checkin/roster")
        answers["volunteer session"] = door.get("/api/v1/checkin/session")
        answers["volunteer scan"] = door.post("/api/v1/checkin", {"ticket_code": self.online["ticket_code"]})
        answers["volunteer scan again"] = door.post("/api/v1/checkin", {"ticket_code": self.online["ticket_code"]})
        answers["volunteer undo"] = door.delete("/api/v1/checkin/" + self.online["ticket_code"])
        answers["volunteer batch"] = door.post("/api/v1/checkin/batch", {"scans": [{"ticket_code": self.online["ticket_code"]}]})
        # Organizer lists and exports: the organizer set the link, but lists of people never repeat it.
        for path in ["/api/v1/events/%d/registrations" % eid, "/api/v1/events/%d/registrations.csv" % eid,
                     "/api/v1/events/%d/report" % eid, "/api/v1/events/%d/checkin/counts" % eid, "/api/v1/outbox",
                     "/api/v1/events?scope=managed", "/api/v1/events/%d" % eid, "/api/v1/audit"]:
            answers["organizer GET " + path] = s.api.get(path)
        for where, res in answers.items():
            if where.startswith(("volunteer", "organizer")):
                self.assertEqual(res.status, 200, (where, res))
        self.assertIn("Xanthe Online", answers["volunteer search (online people)"].text)
        for where, res in answers.items():
            with self.subTest(where=where):
                self.assertLess(res.status, 500, res)
                self.assert_clean(res, where)

        # A copy of the event, published, shows no more than the original.
        copy = s.api.post("/api/v1/events/%d/duplicate" % eid, {"shift_days": 7, "slug": "join-secret-copy"})
        self.assertEqual(copy.status, 201, copy)
        self.assert_clean(copy, "duplicate")
        self.assert_clean(s.api.post("/api/v1/events/%d/publish" % copy.json()["id"]), "publish of the copy")
        self.assert_clean(s.anon.get("/api/v1/events/join-secret-copy"), "public copy")

    def test_mail_to_the_wrong_people_does_not_carry_them(self):
        s = self.server
        deadline = time.time() + 15
        while s.api.get("/api/v1/outbox?status=pending").json()["messages"] and time.time() < deadline:
            time.sleep(0.1)
        mails = collections.defaultdict(list)
        for path in glob.glob(os.path.join(s.tmp, "mail", "*.eml")):
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            text = ""
            for part in msg.walk():
                if part.is_multipart():
                    continue
                content = part.get_content()
                text += unfolded(content if isinstance(content, str) else content.decode("latin-1"))
            mails[str(msg["To"])].append(text)
        to = lambda name: [t for k, ts in mails.items() if name in k for t in ts]  # noqa: E731
        self.assertTrue(to("xanthe@"), sorted(mails))
        self.assertTrue(any(JOIN_MARK in t for t in to("xanthe@")))  # the rightful mail has it
        for name in ("yara@", "wren@"):
            self.assertTrue(to(name), (name, sorted(mails)))
            for text in to(name):
                self.assertNotIn(JOIN_MARK, text, name)
                self.assertNotIn(PASS_MARK, text, name)

    def test_a_cancelled_event_hands_out_no_link(self):
        s = self.server
        body = support.event_body(title="Cancelled Join Forum", in_person=5, online=5)
        body["online"] = {"provider": "manual", "join_url": JOIN_URL, "passcode": PASSCODE}
        event = s.create_event(body)
        reg = s.register(event["id"], name="Cora Cancelled", mode="online").json()
        self.assertIn(JOIN_MARK, s.anon.get("/api/v1/registrations/" + reg["manage_token"]).text)
        self.assertEqual(s.api.post("/api/v1/events/%d/cancel" % event["id"]).status, 200)
        for suffix in ("", "/calendar.ics"):
            self.assert_clean(s.anon.get("/api/v1/registrations/%s%s" % (reg["manage_token"], suffix)), "cancelled event " + suffix)


class CsrfTest(AccessCase):
    @classmethod
    def setUpClass(cls):
        s = cls.server = support.Server().start()
        cls.addClassCleanup(s.stop)
        res = s.api.post("/api/v1/users", {"email": MEMBER[0], "name": MEMBER[2], "role": "organizer", "password": MEMBER[1]})
        assert res.status == 201, res
        cls.member_id = res.json()["id"]
        cls.event = s.create_event(support.event_body(title="Cookie Jar Fair", in_person=5, online=5))
        cls.reg = s.register(cls.event["id"], name="Cookie Person").json()
        cls.session = login(s, (support.ADMIN_EMAIL, support.ADMIN_PASSWORD))
        cls.second = login(s, (support.ADMIN_EMAIL, support.ADMIN_PASSWORD))

    def cookie_request(self, method, path, body=None, csrf=None):
        headers = {"Cookie": "ensemble_session=" + self.session["token"]}
        if csrf is not None:
            headers["X-CSRF-Token"] = csrf
        return self.server.anon.request(method, path, body=body, headers=headers)

    def test_cookie_writes_without_the_right_csrf_header_are_refused_and_change_nothing(self):
        eid = self.event["id"]
        # (method, path, body, how to see that nothing changed, expected success status)
        writes = [
            ("PATCH", "/api/v1/events/%d" % eid, {"summary": {"en": "Changed by cookie"}},
             lambda: "Changed by cookie" in self.server.api.get("/api/v1/events/%d" % eid).text, 200),
            ("POST", "/api/v1/events/%d/checkin-links" % eid, {"label": "Cookie door"},
             lambda: "Cookie door" in self.server.api.get("/api/v1/events/%d/checkin-links" % eid).text, 201),
            ("POST", "/api/v1/events/%d/organizers" % eid, {"email": MEMBER[0]},
             lambda: MEMBER[0] in self.server.api.get("/api/v1/events/%d/organizers" % eid).text, 201),
            ("POST", "/api/v1/events/%d/duplicate" % eid, {"slug": "cookie-copy"},
             lambda: self.server.anon.get("/api/v1/events/cookie-copy", token=self.server.token).status == 200, 201),
            ("POST", "/api/v1/events/%d/registrations/%d/cancel" % (eid, self.reg["id"]), None,
             lambda: self.server.anon.get("/api/v1/registrations/" + self.reg["manage_token"]).json()["status"] == "cancelled", 200),
            ("POST", "/api/v1/events", support.event_body(title="Cookie Made Event", slug="cookie-made"),
             lambda: self.server.anon.get("/api/v1/events/cookie-made", token=self.server.token).status == 200, 201),
            ("PATCH", "/api/v1/users/%d" % self.member_id, {"name": "Renamed By Cookie"},
             lambda: "Renamed By Cookie" in self.server.api.get("/api/v1/users").text, 200),
            ("POST", "/api/v1/auth/logout", None,
             lambda: self.server.anon.get("/api/v1/auth/me", token=self.session["token"]).status == 401, 204),
        ]
        wrong = {"no header": None, "empty header": "", "a wrong token": ("y" if self.session["csrf_token"][0] == "x" else "x") + self.session["csrf_token"][1:],
                 "another session's token": self.second["csrf_token"], "the session token itself": self.session["token"]}
        for method, path, body, changed, ok in writes:
            for what, csrf in wrong.items():
                with self.subTest(path=path, csrf=what):
                    res = self.cookie_request(method, path, body, csrf)
                    self.assert_error(res, 403, "%s %s with %s" % (method, path, what))
                    self.assertFalse(changed(), "%s %s with %s changed something" % (method, path, what))
            res = self.cookie_request(method, path, body, self.session["csrf_token"])
            self.assertEqual(res.status, ok, "%s %s with the right CSRF header: %r" % (method, path, res))
            self.assertTrue(changed(), "%s %s with the right CSRF header changed nothing" % (method, path))
        # Reads by cookie need no header (proved in test_auth); the logged-out cookie is refused for both.
        self.assert_error(self.cookie_request("GET", "/api/v1/auth/me"), 401, "logged-out cookie read")
        write = self.cookie_request("PATCH", "/api/v1/events/%d" % eid, {"summary": {"en": "x"}}, self.session["csrf_token"])
        self.assert_error(write, 401, "logged-out cookie write")


class CheckinRateLimitTest(AccessCase):
    @classmethod
    def setUpClass(cls):
        # 8 a minute: a burst of 2, then one every 7.5 s.
        s = cls.server = support.Server(env={"ENSEMBLE_RATE_LIMITS_CHECKIN_PER_MINUTE_PER_LINK": "8"}).start()
        cls.addClassCleanup(s.stop)
        cls.event = s.create_event(support.event_body(title="Busy Door Gala", in_person=50, online=5))
        cls.regs = [s.register(cls.event["id"], name="Guest Number %d" % i).json() for i in range(4)]
        cls.sensitive = ["Guest Number"] + [r["ticket_code"] for r in cls.regs]

    def link(self):
        res = self.server.api.post("/api/v1/events/%d/checkin-links" % self.event["id"], {"label": "Door %s" % uuid.uuid4().hex[:4]})
        self.assertEqual(res.status, 201, res)
        return support.Client(self.server.port, res.json()["token"])

    def test_scans_beyond_a_links_budget_get_429_with_retry_after(self):
        door, codes = self.link(), [r["ticket_code"] for r in self.regs]
        self.assertEqual(door.post("/api/v1/checkin", {"ticket_code": codes[0]}).status, 200)
        self.assertEqual(door.post("/api/v1/checkin", {"ticket_code": "no-such-code-guessed"}).status, 404)
        # Out of tokens: a guess, a real ticket, a batch and an undo are all refused before anything is looked up.
        for what, res in [("a guess", door.post("/api/v1/checkin", {"ticket_code": "another-guess"})),
                          ("a real ticket", door.post("/api/v1/checkin", {"ticket_code": codes[1]})),
                          ("a batch", door.post("/api/v1/checkin/batch", {"scans": [{"ticket_code": codes[2]}]})),
                          # Undo is a write at the door too: a leaked link must not un-check everyone at full speed.
                          ("an undo", door.delete("/api/v1/checkin/" + codes[0])),
                          ("the token in the query", self.server.anon.post("/api/v1/checkin?access_token=" + door.token,
                                                                          {"ticket_code": codes[2]}))]:
            with self.subTest(what=what):
                self.assert_error(res, 429, what)
                retry = int(res.header("Retry-After"))
                self.assertGreaterEqual(retry, 1)
                self.assertLessEqual(retry, 60)
        checked = self.server.query("SELECT COUNT(*) FROM registrations WHERE checked_in_at IS NOT NULL")[0][0]
        self.assertEqual(checked, 1)
        # The budget is per link: another volunteer at the same event goes on scanning.
        other = self.link()
        res = other.post("/api/v1/checkin", {"ticket_code": codes[1]})
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["result"], "checked_in")

    def test_the_doors_reads_have_a_budget_of_their_own(self):
        door, eid = self.link(), self.event["id"]
        # The page's session and a search take the burst of 2; the next read is refused, whichever it is.
        self.assertEqual(door.get("/api/v1/checkin/session").status, 200)
        self.assertEqual(door.get("/api/v1/events/%d/checkin/search?q=guest" % eid).status, 200)
        for what, path in [("a search", "/api/v1/events/%d/checkin/search?q=number" % eid),
                           ("the offline list", "/api/v1/checkin/roster"),
                           ("the session", "/api/v1/checkin/session")]:
            with self.subTest(what=what):
                res = door.get(path)
                self.assert_error(res, 429, what)
                self.assertGreaterEqual(int(res.header("Retry-After")), 1)
        # Searching did not spend the scans' budget: the same link still checks people in.
        res = door.post("/api/v1/checkin", {"ticket_code": self.regs[3]["ticket_code"]})
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["result"], "checked_in")


if __name__ == "__main__":
    unittest.main()
