"""Many people registering at once against a small capacity, on SQLite and on two instances sharing PostgreSQL.
Afterwards the database must hold: confirmed <= capacity, taken == confirmed, waitlist positions dense and in arrival order."""

import threading
import unittest

from tests.http import support


class ConcurrencyChecks:
    def register_many(self, clients, event, n, waitlist, modes=("in_person",), email_of=None):
        email_of = email_of or (lambda i: "crowd-%d-%d@example.org" % (event["id"], i))

        def one(i):
            client = clients[i % len(clients)]
            body = {"name": "Person %d" % i, "email": email_of(i), "mode": modes[i % len(modes)], "consent": True,
                    "waitlist": waitlist, "answers": {"profession": "Nurse"}}
            return client.post("/api/v1/events/%d/registrations" % event["id"], body, timeout=60)

        return support.in_threads(n, one)

    def check_database(self, server, event, capacities):
        eid = event["id"]
        for mode, capacity in capacities.items():
            confirmed = server.query("SELECT COUNT(*) FROM registrations WHERE event_id = %d AND mode = '%s' AND status = 'confirmed'"
                                     % (eid, mode))[0][0]
            waitlisted = server.query("SELECT COUNT(*) FROM registrations WHERE event_id = %d AND mode = '%s' AND status = 'waitlisted'"
                                      % (eid, mode))[0][0]
            taken, pool_waitlisted, pool_capacity = server.query(
                "SELECT taken, waitlisted, capacity FROM seat_pools WHERE event_id = %d AND mode = '%s'" % (eid, mode))[0]
            self.assertEqual(pool_capacity, capacity)
            self.assertLessEqual(confirmed, capacity, mode)
            self.assertEqual(taken, confirmed, mode)
            self.assertEqual(pool_waitlisted, waitlisted, mode)

    def check_outcomes(self, responses, capacity, waitlist):
        statuses = [r.status for r in responses]
        self.assertNotIn(500, statuses)
        created = [r.json() for r in responses if r.status == 201]
        confirmed = [b for b in created if b["status"] == "confirmed"]
        waitlisted = [b for b in created if b["status"] == "waitlisted"]
        self.assertEqual(len(confirmed), capacity)
        if waitlist:
            self.assertEqual(len(created), len(responses))
            # Waitlist places: 1..n without gaps or repeats, growing with arrival (registration id) order.
            by_arrival = sorted(waitlisted, key=lambda b: b["id"])
            self.assertEqual([b["waitlist_position"] for b in by_arrival], list(range(1, len(waitlisted) + 1)))
        else:
            self.assertEqual(statuses.count(409), len(responses) - capacity)
            for r in responses:
                if r.status == 409:
                    self.assertEqual(r.json()["error"]["code"], "full")
        return confirmed, waitlisted

    def check_manage_positions(self, client, waitlisted):
        positions = []
        for b in sorted(waitlisted, key=lambda b: b["id"]):
            view = client.get("/api/v1/registrations/" + b["manage_token"]).json()
            self.assertEqual(view["status"], "waitlisted")
            positions.append(view["waitlist_position"])
        self.assertEqual(positions, list(range(1, len(waitlisted) + 1)))


class SqliteConcurrencyTest(unittest.TestCase, ConcurrencyChecks):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_many_at_once_without_waitlist(self):
        event = self.server.create_event(title="Crowd Without Waitlist", in_person=7, online=5, waitlist=False)
        responses = self.register_many([self.server.anon], event, 60, waitlist=False)
        self.check_outcomes(responses, 7, waitlist=False)
        self.check_database(self.server, event, {"in_person": 7, "online": 5})

    def test_many_at_once_with_waitlist(self):
        event = self.server.create_event(title="Crowd With Waitlist", in_person=5, online=5, waitlist=True)
        responses = self.register_many([self.server.anon], event, 60, waitlist=True)
        confirmed, waitlisted = self.check_outcomes(responses, 5, waitlist=True)
        self.assertEqual(len(waitlisted), 55)
        self.check_database(self.server, event, {"in_person": 5, "online": 5})
        self.check_manage_positions(self.server.anon, waitlisted)

    def test_both_modes_and_cancellations_at_once(self):
        event = self.server.create_event(title="Crowd Both Modes", in_person=6, online=4, waitlist=True)
        responses = self.register_many([self.server.anon], event, 40, waitlist=True, modes=("in_person", "online"))
        self.assertNotIn(500, [r.status for r in responses])
        confirmed = [r.json() for r in responses if r.json().get("status") == "confirmed"]
        self.assertEqual(len(confirmed), 10)
        cancels = support.in_threads(len(confirmed), lambda i: self.server.anon.post(
            "/api/v1/registrations/%s/cancel" % confirmed[i]["manage_token"]))
        self.assertEqual({r.status for r in cancels}, {200})
        self.check_database(self.server, event, {"in_person": 6, "online": 4})
        seats = self.server.anon.get("/api/v1/events/%d" % event["id"]).json()["seats"]
        self.assertEqual(seats["in_person"]["taken"], 6)  # each cancellation promoted someone of its mode
        self.assertEqual(seats["online"]["taken"], 4)
        self.assertEqual(seats["in_person"]["waitlisted"] + seats["online"]["waitlisted"], 40 - 10 - 10)

    def test_the_same_person_at_once_registers_once(self):
        event = self.server.create_event(title="Double Click", in_person=50, online=50)
        responses = self.register_many([self.server.anon], event, 12, waitlist=False, modes=("in_person", "online"),
                                        email_of=lambda i: "Same.Person@Example.org" if i % 2 else " same.person@example.org")
        statuses = sorted(r.status for r in responses)
        self.assertEqual(statuses, [201] + [409] * 11)
        self.assertEqual({r.json()["error"]["code"] for r in responses if r.status == 409}, {"already_registered"})


@unittest.skipUnless(support.PG_URL, "ENSEMBLE_TEST_PG_URL is not set")
class TwoInstancesOnPostgresTest(unittest.TestCase, ConcurrencyChecks):
    @classmethod
    def setUpClass(cls):
        cls.a = support.Server(database="postgresql")
        cls.b = support.Server(database_url=cls.a.database_url)
        # Both instances start together on the empty database: each runs the migrations.
        errors = []

        def start(s):
            try:
                s.start(add_admin=False)
            except Exception as e:  # noqa: BLE001
                errors.append(e)

        threads = [threading.Thread(target=start, args=(s,)) for s in (cls.a, cls.b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            cls.tearDownClass()
            raise errors[0]
        cls.a.add_admin()
        cls.a.login()
        cls.b.login()

    @classmethod
    def tearDownClass(cls):
        cls.b.stop()
        cls.a.stop()

    def clients(self):
        return [self.a.anon, self.b.anon]

    def test_many_at_once_without_waitlist(self):
        event = self.a.create_event(title="PG Crowd Without Waitlist", in_person=8, online=3, waitlist=False)
        responses = self.register_many(self.clients(), event, 80, waitlist=False)
        self.check_outcomes(responses, 8, waitlist=False)
        self.check_database(self.a, event, {"in_person": 8, "online": 3})

    def test_many_at_once_with_waitlist(self):
        event = self.b.create_event(title="PG Crowd With Waitlist", in_person=6, online=3, waitlist=True)
        responses = self.register_many(self.clients(), event, 80, waitlist=True)
        confirmed, waitlisted = self.check_outcomes(responses, 6, waitlist=True)
        self.assertEqual(len(waitlisted), 74)
        self.check_database(self.a, event, {"in_person": 6, "online": 3})
        self.check_manage_positions(self.a.anon, waitlisted)

    def test_both_modes_and_cancellations_across_instances(self):
        event = self.a.create_event(title="PG Crowd Both Modes", in_person=6, online=4, waitlist=True)
        responses = self.register_many(self.clients(), event, 40, waitlist=True, modes=("in_person", "online"))
        self.assertNotIn(500, [r.status for r in responses])
        confirmed = [r.json() for r in responses if r.json().get("status") == "confirmed"]
        self.assertEqual(len(confirmed), 10)
        cancels = support.in_threads(len(confirmed), lambda i: self.clients()[i % 2].post(
            "/api/v1/registrations/%s/cancel" % confirmed[i]["manage_token"]))
        self.assertEqual({r.status for r in cancels}, {200})
        self.check_database(self.a, event, {"in_person": 6, "online": 4})

    def test_the_same_person_on_both_instances_registers_once(self):
        event = self.a.create_event(title="PG Double Click", in_person=50, online=50)
        for round_ in range(3):
            responses = self.register_many(self.clients(), event, 10, waitlist=False, modes=("in_person", "online"),
                                            email_of=lambda i: "twice%d@example.org" % round_)
            statuses = sorted(r.status for r in responses)
            self.assertEqual(statuses, [201] + [409] * 9, [r.body for r in responses if r.status != 201 and r.status != 409])
            self.assertEqual({r.json()["error"]["code"] for r in responses if r.status == 409}, {"already_registered"})
        self.check_database(self.a, event, {"in_person": 50, "online": 50})

    def test_an_idempotency_key_sent_to_both_instances_registers_once(self):
        event = self.a.create_event(title="PG Idempotent", in_person=50, online=50)
        body = {"name": "Retry", "email": "retry@example.org", "mode": "in_person", "consent": True, "answers": {"profession": "RN"}}

        def one(i):
            return self.clients()[i % 2].post("/api/v1/events/%d/registrations" % event["id"], body,
                                              headers={"Idempotency-Key": "same-key-everywhere"})

        responses = support.in_threads(8, one)
        self.assertEqual({r.status for r in responses}, {201}, [r.body for r in responses])
        self.assertEqual(len({r.body for r in responses}), 1)
        self.assertEqual(self.a.query("SELECT COUNT(*) FROM registrations WHERE email_norm = 'retry@example.org'")[0][0], 1)


if __name__ == "__main__":
    unittest.main()
