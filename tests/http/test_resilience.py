"""Crashes, shutdowns and a full disk under load: nothing acknowledged is lost, nothing counted
twice, every owed email is delivered after a restart, a full database answers 503 and recovers.

The crash loop runs a few rounds here; ENSEMBLE_LONG=1 (make nightly) runs many more."""

import http.client
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

from tests.http import support
from tests.http.delivery_support import FAST, Fake, wait_for

LONG = os.environ.get("ENSEMBLE_LONG") == "1"


def post_json(port, path, body, token=None, timeout=10):
    """One request on its own connection: (status, json) or raises OSError/HTTPException."""
    import json
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        conn.request("POST", path, body=json.dumps(body).encode(), headers=headers)
        res = conn.getresponse()
        data = res.read()
        return res.status, (json.loads(data) if data else None)
    finally:
        conn.close()


class Load:
    """Threads registering unique people and checking acknowledged in-person tickets in, recording
    every answer the server gave."""

    def __init__(self, port, event_id, checkin_token, threads=6):
        self.port = port
        self.event_id = event_id
        self.checkin_token = checkin_token
        self.lock = threading.Lock()
        self.acknowledged = {}  # ticket_code -> (registration id, email, mode)
        self.checked_in = set()  # ticket codes the server said it checked in
        self.unanswered = 0
        self.stop_flag = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]

    def start(self, port=None):
        if port:
            self.port = port
        self.stop_flag.clear()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(len(self.threads))]
        for t in self.threads:
            t.start()

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout=30)

    def run(self, i):
        n = 0
        while not self.stop_flag.is_set():
            n += 1
            mode = "online" if n % 3 == 0 else "in_person"
            email = "crash-%d-%d-%s@example.org" % (i, n, uuid.uuid4().hex[:6])
            try:
                status, body = post_json(self.port, "/api/v1/events/%d/registrations" % self.event_id,
                                         {"name": "Crash Test %d" % n, "email": email, "mode": mode, "consent": True,
                                          "language": "fr" if n % 2 else "en", "answers": {"profession": "Nurse"}})
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.unanswered += 1
                time.sleep(0.02)
                continue
            if status == 201 and body["status"] == "confirmed":
                with self.lock:
                    self.acknowledged[body["ticket_code"]] = (body["id"], email, mode)
                    candidates = [c for c, v in self.acknowledged.items() if v[2] == "in_person" and c not in self.checked_in]
                if candidates and n % 2 == 0:
                    code = random.choice(candidates)
                    try:
                        s, b = post_json(self.port, "/api/v1/checkin", {"ticket_code": code, "device_id": "door-%d" % i},
                                         token=self.checkin_token)
                        if s == 200 and b["result"] in ("checked_in", "already_checked_in"):
                            with self.lock:
                                self.checked_in.add(code)
                    except (OSError, http.client.HTTPException):
                        pass


class CrashLoopTest(unittest.TestCase):
    def test_sigkill_under_load_loses_nothing_and_delivers_every_email(self):
        rounds = 20 if LONG else 3
        sendgrid = Fake("sendgrid_fake.py", "--port", "0")
        env = dict(FAST)
        env.update({"ENSEMBLE_EMAIL_PROVIDER": "sendgrid", "ENSEMBLE_SENDGRID_URL": sendgrid.url,
                    "ENSEMBLE_SENDGRID_API_KEY": "SG.test-key", "ENSEMBLE_OUTBOX_LEASE_S": "10"})
        server = support.Server(env=env)
        try:
            server.start()
            event = server.create_event(support.event_body(in_person=100000, online=100000))
            link = server.api.post("/api/v1/events/%d/checkin-links" % event["id"], {"label": "crash door"}).json()
            load = Load(server.port, event["id"], link["token"])
            for _ in range(rounds):
                load.start(server.port)
                time.sleep(random.uniform(0.4, 1.5))
                server.proc.send_signal(signal.SIGKILL)
                server.proc.wait()
                load.stop()
                server.start(add_admin=False)
                self.check_invariants(server, load, event["id"])
            self.assertGreater(len(load.acknowledged), 20, "the load made too few registrations to mean anything")

            # Every confirmation owed is delivered once the outbox drains; a message sent again after a
            # crash carries the same Message-ID as the first time, so it is one message to its reader.
            wait_for(lambda: server.query("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")[0][0] == 0,
                     timeout=90, what="the outbox to drain after the last restart")
            rows = server.query("SELECT id, recipient, status FROM outbox WHERE kind = 'email.confirmation'")
            self.assertTrue(all(r[2] == "sent" for r in rows), [r for r in rows if r[2] != "sent"][:5])
            received = sendgrid.call("GET", "/_received")["requests"]
            ids_by_recipient = {}
            for req in received:
                ids_by_recipient.setdefault(req.get("to"), set()).add(req.get("message_id"))
            for code, (rid, email, mode) in load.acknowledged.items():
                self.assertIn(email, ids_by_recipient, "no email reached %s" % email)
            # Only confirmations are owed in this test: one message per person, however often a crash
            # made the server send it again.
            for email, ids in ids_by_recipient.items():
                self.assertEqual(len(ids), 1, "%s got different messages: %s" % (email, ids))
                self.assertTrue(next(iter(ids)), "a message without Message-ID reached %s" % email)
            self.assertEqual(len(ids_by_recipient), len(rows))
        finally:
            server.stop()
            sendgrid.stop()

    def check_invariants(self, server, load, event_id):
        with load.lock:
            acknowledged = dict(load.acknowledged)
            checked_in = set(load.checked_in)
        stored = {}
        for code, rid, status, checked in server.query("SELECT ticket_code, id, status, checked_in_at FROM registrations WHERE event_id = ?",
                                                       (event_id,)):
            self.assertNotIn(code, stored, "ticket %s stored twice" % code)
            stored[code] = (rid, status, checked)
        for code, (rid, email, mode) in acknowledged.items():
            self.assertIn(code, stored, "acknowledged registration %d (%s) lost in the crash" % (rid, email))
            self.assertEqual(stored[code][0], rid)
            self.assertEqual(stored[code][1], "confirmed")
        for code in checked_in:
            self.assertIsNotNone(stored[code][2], "acknowledged check-in of %s lost in the crash" % code)
        emails = server.query("SELECT email_norm, COUNT(*) FROM registrations WHERE event_id = ? AND status <> 'cancelled' "
                              "GROUP BY email_norm HAVING COUNT(*) > 1", (event_id,))
        self.assertEqual(emails, [], "an email registered twice")
        for mode, taken, capacity in server.query("SELECT mode, taken, capacity FROM seat_pools WHERE event_id = ?", (event_id,)):
            confirmed = server.query("SELECT COUNT(*) FROM registrations WHERE event_id = ? AND mode = ? AND status = 'confirmed'",
                                     (event_id, mode))[0][0]
            self.assertEqual(taken, confirmed, "%s: taken %d but %d confirmed" % (mode, taken, confirmed))
            self.assertLessEqual(taken, capacity)


class ShutdownUnderLoadTest(unittest.TestCase):
    def test_sigterm_under_load_fails_no_request_in_flight_and_exits_zero(self):
        with support.Server() as server:
            event = server.create_event(support.event_body(in_person=100000, online=100000))
            answers, failures = [], []
            lock = threading.Lock()
            stop = threading.Event()

            def client(i):
                n = 0
                while not stop.is_set():
                    n += 1
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
                    try:
                        conn.connect()
                    except OSError:
                        return  # the listener is closed: the server stopped taking new work
                    try:
                        import json
                        body = {"name": "Term %d" % n, "email": "term-%d-%d-%s@example.org" % (i, n, uuid.uuid4().hex[:6]),
                                "mode": "in_person", "consent": True, "answers": {"profession": "Nurse"}}
                        conn.request("POST", "/api/v1/events/%d/registrations" % event["id"], body=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
                        res = conn.getresponse()
                        res.read()
                        with lock:
                            answers.append(res.status)
                    except (OSError, http.client.HTTPException) as e:
                        with lock:
                            failures.append(repr(e))
                    finally:
                        conn.close()

            threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            time.sleep(1.0)
            started = time.time()
            code = server.terminate(timeout=15)
            elapsed = time.time() - started
            stop.set()
            for t in threads:
                t.join()
            self.assertEqual(code, 0, "the server did not exit 0 on SIGTERM: " + server.log())
            self.assertLess(elapsed, 10.5)
            self.assertGreater(len(answers), 10)
            self.assertTrue(all(s == 201 for s in answers), set(answers))
            self.assertEqual(failures, [], "requests accepted by the server failed during shutdown")


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("mount"), "needs root to mount a small tmpfs")
class FullDiskTest(unittest.TestCase):
    def setUp(self):
        self.mount = tempfile.mkdtemp(prefix="ensemble-full-")
        out = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", self.mount], capture_output=True, text=True)
        if out.returncode != 0:
            os.rmdir(self.mount)
            self.skipTest("cannot mount a tmpfs here: " + out.stderr.strip())

    def tearDown(self):
        subprocess.run(["umount", self.mount], capture_output=True)
        shutil.rmtree(self.mount, ignore_errors=True)

    def test_full_database_answers_503_writes_nothing_half_and_recovers(self):
        db = os.path.join(self.mount, "ensemble.db")
        server = support.Server(database_url="sqlite:" + db)
        server.sqlite_path = db
        with server:
            event = server.create_event(support.event_body(in_person=100000, online=100000))
            self.assertEqual(server.register(event["id"]).status, 201)
            # Fill the filesystem to the last block.
            filler = os.path.join(self.mount, "filler")
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
            for chunk in (65536, 4096, 512, 1):
                try:
                    while True:
                        os.write(fd, b"\0" * chunk)
                except OSError:
                    pass
            os.close(fd)
            statuses = []
            for i in range(40):
                res = server.register(event["id"], name="Full %d" % i, answers={"profession": "Nurse", "note": "x" * 1500})
                statuses.append(res.status)
                if res.status == 503:
                    body = res.json()
                    self.assertEqual(body["error"]["code"], "unavailable")
                    self.assertIsNotNone(res.header("Retry-After"))
            self.assertIn(503, statuses, "a full disk never answered 503: %s" % statuses)
            self.assertNotIn(500, statuses)
            os.unlink(filler)
            res = server.register(event["id"], name="After the disk came back")
            self.assertEqual(res.status, 201, res)
            # Nothing half-written: seats match confirmed registrations, every registration has its email row.
            for mode, taken in server.query("SELECT mode, taken FROM seat_pools WHERE event_id = ?", (event["id"],)):
                confirmed = server.query("SELECT COUNT(*) FROM registrations WHERE event_id = ? AND mode = ? AND status = 'confirmed'",
                                         (event["id"], mode))[0][0]
                self.assertEqual(taken, confirmed)
            orphans = server.query("SELECT COUNT(*) FROM registrations r WHERE r.event_id = ? AND NOT EXISTS "
                                   "(SELECT 1 FROM outbox o WHERE o.registration_id = r.id)", (event["id"],))[0][0]
            self.assertEqual(orphans, 0)
            self.assertEqual(server.anon.get("/healthz").status, 200)


if __name__ == "__main__":
    unittest.main()
