"""Graceful shutdown: on SIGTERM, requests in flight finish and the process exits 0 within 10 seconds."""

import json
import signal
import socket
import threading
import time
import unittest

from tests.http import support


def read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class ShutdownTest(unittest.TestCase):
    def test_sigterm_lets_requests_in_flight_finish_and_exits_0(self):
        s = support.Server().start()
        try:
            event = s.create_event(title="Shutdown Event")
            body = json.dumps({"name": "In Flight", "email": "inflight@example.org", "mode": "in_person", "consent": True,
                               "answers": {"profession": "Nurse"}}).encode()
            # A request whose headers have arrived but whose body is still on its way.
            slow = socket.create_connection(("127.0.0.1", s.port), timeout=15)
            slow.sendall(("POST /api/v1/events/%d/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Content-Length: %d\r\n\r\n" % (event["id"], len(body))).encode() + body[:10])
            # Logins hash passwords off the I/O threads: several in flight at once.
            results = []

            def login():
                try:
                    res = support.Client(s.port).post("/api/v1/auth/login", {"email": support.ADMIN_EMAIL,
                                                                             "password": support.ADMIN_PASSWORD})
                    results.append(res.status)
                except OSError as e:
                    results.append(repr(e))

            # An idle keep-alive connection must not hold the shutdown up.
            idle = socket.create_connection(("127.0.0.1", s.port), timeout=15)
            idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertIn(b" 200 ", read_response(idle))
            time.sleep(0.2)
            threads = [threading.Thread(target=login) for _ in range(4)]
            for t in threads:
                t.start()
            time.sleep(0.1)
            started = time.monotonic()
            s.proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            slow.sendall(body[10:])
            answer = read_response(slow)
            for t in threads:
                t.join()
            code = s.proc.wait(12)
            elapsed = time.monotonic() - started
            self.assertIn(b"HTTP/1.1 201", answer, answer)
            self.assertIn(b"confirmed", answer)
            self.assertEqual(results, [200] * 4)
            self.assertEqual(code, 0, s.log())
            self.assertLess(elapsed, 10.5)
            self.assertEqual(idle.recv(1), b"")  # closed by the server
            # New connections are refused once it is gone, and the in-flight registration was committed.
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", s.port), timeout=2)
            self.assertEqual(s.query("SELECT COUNT(*) FROM registrations WHERE email_norm = 'inflight@example.org'")[0][0], 1)
        finally:
            for sock in (locals().get("slow"), locals().get("idle")):
                if sock:
                    sock.close()
            s.stop()

    def test_a_stalled_request_is_cut_off_at_the_deadline_and_the_exit_is_still_0(self):
        s = support.Server().start()
        try:
            stalled = socket.create_connection(("127.0.0.1", s.port), timeout=20)
            # Headers and the start of a body that never comes.
            stalled.sendall(b"POST /api/v1/events/1/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            b"Content-Length: 100\r\n\r\n{\"na")
            time.sleep(0.2)
            started = time.monotonic()
            s.proc.send_signal(signal.SIGTERM)
            code = s.proc.wait(15)
            elapsed = time.monotonic() - started
            self.assertEqual(code, 0, s.log())
            self.assertGreater(elapsed, 9)  # it was given its ten seconds
            self.assertLess(elapsed, 11.5)
            stalled.close()
        finally:
            s.stop()

    def test_sigint_also_stops_cleanly(self):
        s = support.Server().start()
        try:
            s.proc.send_signal(signal.SIGINT)
            self.assertEqual(s.proc.wait(12), 0, s.log())
        finally:
            s.stop()


if __name__ == "__main__":
    unittest.main()
