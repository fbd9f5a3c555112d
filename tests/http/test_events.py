"""The events contract: create, validate, drafts, publish, lists, and the join link that never shows."""

import unittest
import urllib.parse

from tests.http import support

SECRETS = ["SECRETPWD", "pass-4321", "5550001111"]


class EventsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        res = cls.server.api.post("/api/v1/users", {"email": "other-org@example.org", "name": "Other Organizer", "role": "organizer",
                                                    "password": "other organizer pw"})
        assert res.status == 201, res
        cls.other = cls.server.anon.post("/api/v1/auth/login", {"email": "other-org@example.org",
                                                                "password": "other organizer pw"}).json()["token"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def assert_no_secrets(self, res):
        self.assertFalse(support.contains_key(res.json(), "join_url"), res)
        self.assertFalse(support.contains_key(res.json(), "passcode"), res)
        for secret in SECRETS:
            self.assertNotIn(secret, res.text)

    def test_create_answers_201_with_the_api_fields(self):
        body = support.event_body(title="Annual IEHP Summit")
        body.update({
            "starts_at": "2031-11-22T09:30:00", "ends_at": "2031-11-22T16:00:00",
            "registration": {"opens_at": "2031-09-01T09:00:00", "closes_at": "2031-11-21T17:00:00", "waitlist": True},
            "speakers": [{"id": "amina", "name": "Dr. Amina Diallo", "bio": {"en": "Family physician"}, "affiliation": "HFO"}],
            "sessions": [{"title": {"en": "Opening"}, "starts_at": "2031-11-22T09:30:00", "ends_at": "2031-11-22T10:00:00",
                          "room": "Hall A", "speakers": ["amina"]}],
            "partners": [{"name": "Access Centre", "role": "host", "url": "https://example.org"}],
        })
        res = self.server.api.post("/api/v1/events", body)
        self.assertEqual(res.status, 201, res)
        e = res.json()
        for key in ["id", "slug", "status", "title", "summary", "description", "format", "timezone", "starts_at", "ends_at", "venue",
                    "capacity", "registration", "languages", "questions", "sessions", "speakers", "partners", "online", "seats"]:
            self.assertIn(key, e)
        self.assertEqual(e["status"], "draft")
        self.assertEqual(e["slug"], "annual-iehp-summit")
        self.assertEqual(e["title"], body["title"])
        self.assertEqual(e["format"], "hybrid")
        self.assertEqual(e["timezone"], "America/Toronto")
        self.assertEqual(e["starts_at"], "2031-11-22T09:30:00-05:00")  # wall time read in the zone, written with its offset
        self.assertEqual(e["ends_at"], "2031-11-22T16:00:00-05:00")
        self.assertEqual(e["registration"]["opens_at"], "2031-09-01T09:00:00-04:00")
        self.assertEqual(e["venue"]["postal_code"], "M4W 2G8")
        self.assertEqual(e["capacity"], {"in_person": 50, "online": 50})
        self.assertEqual(e["languages"], ["en", "fr"])
        self.assertEqual(e["questions"][1]["options"][1]["label"]["fr"], "Québec")
        self.assertEqual(e["sessions"][0]["speakers"], ["amina"])
        self.assertEqual(e["sessions"][0]["starts_at"], "2031-11-22T09:30:00-05:00")
        self.assertEqual(e["partners"][0]["role"], "host")
        self.assertEqual(e["online"]["provider"], "manual")
        for mode in ("in_person", "online"):
            self.assertEqual(e["seats"][mode], {"capacity": 50, "taken": 0, "remaining": 50, "waitlisted": 0})
        self.assert_no_secrets(res)

    def test_validation_names_the_fields(self):
        body = support.event_body(title="Bad Event")
        del body["title"]
        body["capacity"] = {"in_person": -3, "online": "many"}
        body["sessions"] = [{"title": "S", "starts_at": "2031-01-01T10:00:00", "ends_at": "2031-01-01T09:00:00", "speakers": ["ghost"]}]
        res = self.server.api.post("/api/v1/events", body)
        self.assertEqual(res.status, 400)
        fields = res.json()["error"]["fields"]
        self.assertIn("capacity.online", fields)
        body = support.event_body(title="Bad Event")
        body["format"] = "in_person"
        body["partners"] = [{"name": "X", "role": "friend", "url": "javascript:alert(1)"}]
        body["sessions"] = [{"title": "S", "starts_at": "2031-01-01T10:00:00", "ends_at": "2031-01-01T09:00:00", "speakers": ["ghost"]}]
        res = self.server.api.post("/api/v1/events", body)
        self.assertEqual(res.status, 400)
        fields = res.json()["error"]["fields"]
        for f in ["capacity.online", "online.provider", "partners[0].role", "partners[0].url", "sessions[0].ends_at",
                  "sessions[0].speakers[0]"]:
            self.assertIn(f, fields)
        res = self.server.api.post("/api/v1/events", {"format": "online"})
        fields = res.json()["error"]["fields"]
        for f in ["title", "timezone", "starts_at", "ends_at"]:
            self.assertIn(f, fields)

    def test_dst_gaps_and_overlaps_are_validation_errors(self):
        body = support.event_body(title="DST Gap")
        body.update({"starts_at": "2025-03-09T02:30:00", "ends_at": "2025-03-09T05:00:00"})
        res = self.server.api.post("/api/v1/events", body)
        self.assertEqual(res.status, 400)
        self.assertIn("does not exist", res.json()["error"]["fields"]["starts_at"])
        body.update({"starts_at": "2025-11-02T00:30:00", "ends_at": "2025-11-02T01:30:00"})
        res = self.server.api.post("/api/v1/events", body)
        self.assertEqual(res.status, 400)
        self.assertIn("ambiguous", res.json()["error"]["fields"]["ends_at"])
        body.update({"ends_at": "2025-11-02T01:30:00-05:00"})
        res = self.server.api.post("/api/v1/events", body)
        self.assertEqual(res.status, 201, res)
        self.assertEqual(res.json()["ends_at"], "2025-11-02T01:30:00-05:00")

    def test_drafts_are_404_to_the_public_and_to_other_organizers(self):
        draft = self.server.create_event(title="Secret Draft", publish=False)
        for ref in (str(draft["id"]), draft["slug"]):
            res = self.server.anon.get("/api/v1/events/" + ref)
            self.assertEqual(res.status, 404)
            self.assertEqual(res.json()["error"]["code"], "not_found")
            self.assertEqual(self.server.anon.get("/api/v1/events/" + ref, token=self.other).status, 404)
            self.assertEqual(self.server.api.get("/api/v1/events/" + ref).status, 200)
        nothing = self.server.anon.get("/api/v1/events/no-such-event-anywhere")
        self.assertEqual(nothing.body, self.server.anon.get("/api/v1/events/" + draft["slug"]).body)  # indistinguishable
        self.assertEqual(self.server.anon.patch("/api/v1/events/%d" % draft["id"], {"summary": "x"}, token=self.other).status, 404)
        self.assertEqual(self.server.anon.post("/api/v1/events/%d/publish" % draft["id"], token=self.other).status, 404)
        registration = self.server.register(draft["id"])
        self.assertEqual(registration.status, 404)

    def test_publish_makes_an_event_public(self):
        draft = self.server.create_event(title="To Be Published", publish=False)
        res = self.server.api.post("/api/v1/events/%d/publish" % draft["id"])
        self.assertEqual(res.status, 200)
        self.assertEqual(res.json()["status"], "published")
        self.assert_no_secrets(res)
        public = self.server.anon.get("/api/v1/events/" + draft["slug"])
        self.assertEqual(public.status, 200)
        self.assertEqual(public.json()["status"], "published")
        self.assertEqual(public.json()["id"], draft["id"])
        self.assert_no_secrets(public)
        self.assertEqual(self.server.anon.post("/api/v1/events/%d/publish" % draft["id"]).status, 401)

    def test_same_title_without_slug_gets_a_numbered_slug(self):
        first = self.server.create_event(title="Job Fair for Nurses", publish=False)
        second = self.server.create_event(title="Job Fair for Nurses", publish=False)
        self.assertEqual(first["slug"], "job-fair-for-nurses")
        self.assertEqual(second["slug"], "job-fair-for-nurses-2")
        taken = self.server.api.post("/api/v1/events", support.event_body(title="Anything", slug="job-fair-for-nurses"))
        self.assertEqual(taken.status, 400)
        self.assertIn("slug", taken.json()["error"]["fields"])

    def test_no_event_response_carries_the_join_link_or_passcode(self):
        s = self.server
        created = s.api.post("/api/v1/events", support.event_body(title="Link Holder"))
        self.assertEqual(created.status, 201)
        self.assert_no_secrets(created)
        eid = created.json()["id"]
        responses = [s.api.post("/api/v1/events/%d/publish" % eid), s.api.get("/api/v1/events/%d" % eid),
                     s.anon.get("/api/v1/events/%d" % eid), s.anon.get("/api/v1/events/%d?lang=fr" % eid),
                     s.api.patch("/api/v1/events/%d" % eid, {"summary": {"en": "Updated"}}), s.anon.get("/api/v1/events?upcoming=true"),
                     s.api.get("/api/v1/events?scope=managed"), s.anon.get("/api/v1/events?upcoming=true&lang=fr")]
        for res in responses:
            self.assertEqual(res.status, 200, res)
            self.assert_no_secrets(res)
        # A new link set by PATCH does not come back either.
        res = s.api.patch("/api/v1/events/%d" % eid, {"online": {"join_url": "https://zoom.us/j/5550001111?pwd=NEWSECRETPWD"}})
        self.assertEqual(res.status, 200)
        self.assert_no_secrets(res)

    def test_upcoming_lists_published_events_soonest_first(self):
        with support.Server() as s:
            late = s.create_event(title="Late Event", days=40)
            soon = s.create_event(title="Soon Event", days=5)
            middle = s.create_event(title="Middle Event", days=20)
            s.create_event(title="Draft Event", days=3, publish=False)
            cancelled = s.create_event(title="Cancelled Event", days=4)
            self.assertEqual(s.api.post("/api/v1/events/%d/cancel" % cancelled["id"]).status, 200)
            res = s.anon.get("/api/v1/events?upcoming=true&lang=fr")
            self.assertEqual(res.status, 200)
            events = res.json()["events"]
            self.assertEqual([e["id"] for e in events], [soon["id"], middle["id"], late["id"]])
            self.assertEqual(events[0]["display"]["title"], "Séminaire : Soon Event")
            for e in events:
                self.assertEqual(e["status"], "published")
            self.assertEqual([e["id"] for e in s.anon.get("/api/v1/events").json()["events"]], [soon["id"], middle["id"], late["id"]])

    def test_capacity_below_taken_is_409_and_raising_it_promotes(self):
        s = self.server
        event = s.create_event(title="Small Room", in_person=2, online=5)
        seated = [s.register(event["id"], email="seat%d@example.org" % i) for i in range(2)]
        self.assertTrue(all(r.status == 201 for r in seated))
        waiting = s.register(event["id"], email="wait@example.org", waitlist=True)
        self.assertEqual(waiting.json()["status"], "waitlisted")
        res = s.api.patch("/api/v1/events/%d" % event["id"], {"capacity": {"in_person": 1}})
        self.assertEqual(res.status, 409)
        self.assertEqual(res.json()["error"]["code"], "conflict")
        self.assertEqual(s.anon.get("/api/v1/events/%d" % event["id"]).json()["seats"]["in_person"]["capacity"], 2)
        res = s.api.patch("/api/v1/events/%d" % event["id"], {"capacity": {"in_person": 3}})
        self.assertEqual(res.status, 200)
        self.assertEqual(res.json()["seats"]["in_person"], {"capacity": 3, "taken": 3, "remaining": 0, "waitlisted": 0})
        view = s.anon.get("/api/v1/registrations/" + waiting.json()["manage_token"]).json()
        self.assertEqual(view["status"], "confirmed")

    def test_patch_validates_and_needs_an_organizer_of_the_event(self):
        event = self.server.create_event(title="Patch Target", publish=False)
        res = self.server.api.patch("/api/v1/events/%d" % event["id"], {"starts_at": "2025-03-09T02:15:00"})
        self.assertEqual(res.status, 400)
        self.assertIn("starts_at", res.json()["error"]["fields"])
        self.assertEqual(self.server.anon.patch("/api/v1/events/%d" % event["id"], {"summary": "x"}).status, 401)
        self.assertEqual(self.server.anon.patch("/api/v1/events/%d" % event["id"], {"summary": "x"}, token=self.other).status, 404)

    def test_event_by_percent_encoded_slug(self):
        event = self.server.create_event(title="Encoded Slug Event")
        res = self.server.anon.get("/api/v1/events/" + urllib.parse.quote(event["slug"], safe=""))
        self.assertEqual(res.status, 200)
        self.assertEqual(self.server.anon.get("/api/v1/events/encoded%2Fslug-event").status, 404)


if __name__ == "__main__":
    unittest.main()
