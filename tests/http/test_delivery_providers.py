"""SendGrid and Postmark through local fakes: faults (500, 429 with Retry-After, dropped
connections) end in one delivery once the fake recovers; the last attempt leaves a failed row
that an organizer can retry; a server killed with SIGKILL delivers its pending rows after restart,
each exactly once."""

import collections
import json
import unittest
import uuid

from tests.http import delivery_support as ds


def addr(tag):
    return "%s-%s@example.org" % (tag, uuid.uuid4().hex[:8])


def deliveries(fake):
    return collections.Counter(r["message_id"] for r in fake.received())


class SendGridDelivery(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = ds.Fake("sendgrid_fake.py", "--api-key", "SG.test-key")
        cls.server = ds.Server({"ENSEMBLE_EMAIL_PROVIDER": "sendgrid", "ENSEMBLE_SENDGRID_URL": cls.fake.url,
                                "ENSEMBLE_SENDGRID_API_KEY": "SG.test-key", "ENSEMBLE_OUTBOX_MAX_ATTEMPTS": "4"}).start()
        cls.event = cls.server.create_event(fmt="in_person")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.fake.stop()

    def setUp(self):
        self.fake.reset()

    def row_of(self, email):
        rows = [m for m in self.server.outbox() if m["recipient"] == email]
        return rows[0] if rows else None

    def test_a_message_reaches_sendgrid_once_with_attachments(self):
        email = addr("sg")
        self.server.register(self.event["id"], email, name="Fatima Zahra")
        got = ds.wait_for(lambda: [r for r in self.fake.received() if r["to"] == email], what="SendGrid to receive the mail")
        body = json.loads(got[0]["body"])
        self.assertEqual(got[0]["headers"]["authorization"], "Bearer SG.test-key")
        self.assertEqual(body["from"]["email"], "events@summit.example.org")
        self.assertEqual([c["type"] for c in body["content"]], ["text/plain", "text/html"])
        self.assertEqual(sorted(a["filename"] for a in body["attachments"]), ["invite.ics", "ticket.png"])
        ds.wait_for(lambda: (self.row_of(email) or {}).get("status") == "sent", what="the row to be sent")
        self.assertEqual(deliveries(self.fake)[got[0]["message_id"]], 1)

    def test_server_errors_are_retried_until_delivered_once(self):
        self.fake.control("fail", count=2, status=500)
        email = addr("retry500")
        self.server.register(self.event["id"], email)
        row = ds.wait_for(lambda: (lambda r: r if r and r["status"] == "sent" else None)(self.row_of(email)), what="delivery after 500s")
        self.assertEqual(row["attempts"], 3)
        counts = deliveries(self.fake)
        self.assertEqual(len(counts), 1)
        self.assertEqual(list(counts.values()), [1])

    def test_rate_limits_and_dropped_connections_are_retried(self):
        self.fake.control("429", count=1, retry_after="1")
        email = addr("retry429")
        self.server.register(self.event["id"], email)
        ds.wait_for(lambda: (self.row_of(email) or {}).get("status") == "sent", what="delivery after a 429")
        self.fake.control("drop", count=1)
        other = addr("dropped")
        self.server.register(self.event["id"], other)
        ds.wait_for(lambda: (self.row_of(other) or {}).get("status") == "sent", what="delivery after a drop")
        self.assertEqual(sorted(deliveries(self.fake).values()), [1, 1])

    def test_the_last_attempt_fails_the_row_and_an_organizer_retries_it(self):
        self.fake.control("fail", count=-1, status=503)
        email = addr("failing")
        self.server.register(self.event["id"], email)
        row = ds.wait_for(lambda: (lambda r: r if r and r["status"] == "failed" else None)(self.row_of(email)), timeout=30,
                          what="the row to fail")
        self.assertEqual(row["attempts"], 4)
        self.assertIn("SendGrid: HTTP 503", row["last_error"])
        self.assertIn(row["id"], [m["id"] for m in self.server.outbox("failed")])
        self.fake.control("ok")
        res = self.server.request("POST", "/api/v1/outbox/%d/retry" % row["id"])
        self.assertEqual(res.status, 200)
        self.assertEqual(res.json()["status"], "pending")
        ds.wait_for(lambda: (self.row_of(email) or {}).get("status") == "sent", what="the retried row to be sent")
        self.assertEqual(len(deliveries(self.fake)), 1)

    def test_retrying_every_failed_message_of_an_event(self):
        event = self.server.create_event(title="Retry All", fmt="in_person")
        self.fake.control("fail", count=-1, status=400)  # refused outright: failed after one attempt
        emails = [addr("all%d" % i) for i in range(3)]
        for e in emails:
            self.server.register(event["id"], e)
        ds.wait_for(lambda: len([m for m in self.server.outbox("failed") if m["recipient"] in emails]) == 3, what="three failed rows")
        self.fake.control("ok")
        res = self.server.request("POST", "/api/v1/events/%d/outbox/retry" % event["id"])
        self.assertEqual(res.status, 200)
        self.assertEqual(res.json()["retried"], 3)
        ds.wait_for(lambda: len([m for m in self.server.outbox("sent") if m["recipient"] in emails]) == 3, what="three sent rows")


class PostmarkDelivery(unittest.TestCase):
    def test_a_message_reaches_postmark_with_its_message_id(self):
        fake = ds.Fake("postmark_fake.py", "--token", "pm-token")
        try:
            with ds.Server({"ENSEMBLE_EMAIL_PROVIDER": "postmark", "ENSEMBLE_POSTMARK_URL": fake.url,
                            "ENSEMBLE_POSTMARK_TOKEN": "pm-token"}) as server:
                event = server.create_event()
                email = addr("pm")
                server.register(event["id"], email, name="Jean-François Roy", language="fr", mode="online")
                got = ds.wait_for(lambda: fake.received(), what="Postmark to receive the mail")
                body = json.loads(got[0]["body"])
                self.assertEqual(got[0]["headers"]["x-postmark-server-token"], "pm-token")
                self.assertTrue(got[0]["message_id"].startswith("<outbox-"))
                self.assertIn("Inscription confirmée", body["Subject"])
                self.assertIn("https://meet.example.org/room-7", body["TextBody"])
                self.assertEqual([a["Name"] for a in body["Attachments"]], ["invite.ics"])
                ds.wait_for(lambda: [m["status"] for m in server.outbox()] == ["sent"], what="the row to be sent")
        finally:
            fake.stop()


@unittest.skipUnless(ds.PG_URL, "ENSEMBLE_TEST_PG_URL is not set")
class PostgresDelivery(unittest.TestCase):
    def test_rows_are_claimed_retried_and_delivered_once_on_postgresql(self):
        fake = ds.Fake("sendgrid_fake.py", "--api-key", "SG.test-key")
        server = ds.Server({"ENSEMBLE_EMAIL_PROVIDER": "sendgrid", "ENSEMBLE_SENDGRID_URL": fake.url,
                            "ENSEMBLE_SENDGRID_API_KEY": "SG.test-key"}, postgres=True)
        try:
            server.start()
            event = server.create_event(fmt="in_person")
            fake.control("fail", count=3, status=500)
            emails = [addr("pg%d" % i) for i in range(4)]
            for e in emails:
                server.register(event["id"], e)
            ds.wait_for(lambda: len([m for m in server.outbox("sent") if m["recipient"] in emails]) == 4, timeout=30,
                        what="every row to be sent")
            counts = deliveries(fake)
            self.assertEqual(len(counts), 4)
            self.assertEqual(set(counts.values()), {1})
            self.assertEqual(server.query("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")[0][0], 4)
        finally:
            server.stop()
            fake.stop()


class CrashRecovery(unittest.TestCase):
    def test_rows_pending_at_a_crash_are_delivered_once_after_restart(self):
        fake = ds.Fake("sendgrid_fake.py", "--api-key", "SG.test-key")
        server = ds.Server({"ENSEMBLE_EMAIL_PROVIDER": "sendgrid", "ENSEMBLE_SENDGRID_URL": fake.url,
                            "ENSEMBLE_SENDGRID_API_KEY": "SG.test-key", "ENSEMBLE_OUTBOX_MAX_ATTEMPTS": "100"})
        try:
            server.start()
            event = server.create_event(fmt="in_person")
            fake.control("fail", count=-1, status=500)
            emails = [addr("crash%d" % i) for i in range(8)]
            for e in emails:
                server.register(event["id"], e)
            ds.wait_for(lambda: len(fake.received()) == 0 and server.query("SELECT COUNT(*) FROM outbox WHERE attempts > 0")[0][0] >= 3,
                        what="attempts against the failing provider")
            server.kill()
            left = server.query("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")[0][0]
            self.assertEqual(left, 8)
            fake.control("ok")
            server.start()
            ds.wait_for(lambda: server.query("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")[0][0] == 8, timeout=30,
                        what="every row to be sent after the restart")
            counts = deliveries(fake)
            self.assertEqual(len(counts), 8)
            self.assertEqual(set(counts.values()), {1})
            ids = {"<outbox-%d." % r[0] for r in server.query("SELECT id FROM outbox")}
            self.assertEqual({m.split(".")[0] + "." for m in counts}, ids)
        finally:
            server.stop()
            fake.stop()


if __name__ == "__main__":
    unittest.main()
