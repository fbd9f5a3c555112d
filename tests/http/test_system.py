"""Health, metrics, routing errors, the JSON error body, body limits and content types."""

import os
import re
import socket
import time
import unittest

from tests.http import support

ERROR_CODES = {"validation": 400, "unauthenticated": 401, "forbidden": 403, "not_found": 404, "method_not_allowed": 405,
               "conflict": 409, "full": 409, "already_registered": 409, "payload_too_large": 413, "unsupported_media_type": 415,
               "rate_limited": 429, "internal": 500}


def raw_exchange(port, data, timeout=10):
    """Sends raw bytes and returns everything the server answers until it closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


def _complete(data):
    head, _, body = data.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
    return m is not None and len(body) >= int(m.group(1))


def parse_raw(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


class ErrorBodyMixin:
    def assert_error(self, res, code, status=None):
        self.assertEqual(res.status, status or ERROR_CODES[code], res)
        self.assertTrue(res.header("Content-Type", "").startswith("application/json"), res.headers)
        body = res.json()
        self.assertIn("error", body)
        err = body["error"]
        self.assertEqual(err["code"], code)
        self.assertIsInstance(err["message"], str)
        self.assertTrue(err["message"])
        if code == "validation":
            self.assertIsInstance(err["fields"], dict)
            self.assertTrue(err["fields"])
        else:
            self.assertNotIn("fields", err)
        return body


class SystemTest(unittest.TestCase, ErrorBodyMixin):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_healthz(self):
        res = self.server.anon.get("/healthz")
        self.assertEqual(res.status, 200)
        self.assertEqual(res.json(), {"status": "ok"})

    def test_healthz_after_an_idle_spell(self):
        # A monitor asking every 30 s finds the last background probe stale: the database is asked then.
        self.server.anon.get("/healthz")
        time.sleep(5.5)
        res = self.server.anon.get("/healthz")
        self.assertEqual(res.status, 200, res.text)
        self.assertEqual(res.json(), {"status": "ok"})

    def test_metrics_are_prometheus_text(self):
        anon = self.server.anon
        for _ in range(3):
            anon.get("/healthz")
        anon.get("/api/v1/nothing-here")
        anon.request("DELETE", "/healthz")
        res = anon.get("/metrics")
        self.assertEqual(res.status, 200)
        self.assertTrue(res.header("Content-Type").startswith("text/plain; version=0.0.4"), res.headers)
        text = res.text
        sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$')
        types = {}
        samples = []
        for line in text.splitlines():
            if line.startswith("# TYPE "):
                _, _, name, kind = line.split(" ", 3)
                types[name] = kind
            elif line.startswith("# HELP ") or not line:
                continue
            else:
                self.assertRegex(line, sample)
                samples.append(line)
        self.assertEqual(types.get("ensemble_http_requests_total"), "counter")
        self.assertEqual(types.get("ensemble_http_request_duration_seconds"), "histogram")
        self.assertEqual(types.get("ensemble_http_open_connections"), "gauge")

        def value(prefix):
            for s in samples:
                if s.startswith(prefix + " "):
                    return float(s.rsplit(" ", 1)[1])
            self.fail("no sample " + prefix)

        self.assertGreaterEqual(value('ensemble_http_requests_total{route="GET /healthz",status="200"}'), 3)
        self.assertGreaterEqual(value('ensemble_http_requests_total{route="unmatched",status="404"}'), 1)
        self.assertGreaterEqual(value('ensemble_http_requests_total{route="unmatched",status="405"}'), 1)
        self.assertGreaterEqual(value("ensemble_http_open_connections"), 1)  # this very request
        # Histogram: cumulative buckets that end at +Inf == count.
        buckets = [s for s in samples if s.startswith('ensemble_http_request_duration_seconds_bucket{route="GET /healthz"')]
        counts = [float(s.rsplit(" ", 1)[1]) for s in buckets]
        self.assertGreater(len(counts), 2)
        self.assertEqual(counts, sorted(counts))
        self.assertIn('le="+Inf"', buckets[-1])
        self.assertEqual(counts[-1], value('ensemble_http_request_duration_seconds_count{route="GET /healthz"}'))
        self.assertGreaterEqual(value('ensemble_http_request_duration_seconds_sum{route="GET /healthz"}'), 0)

    def test_unknown_path_is_404_and_known_path_with_other_method_is_405_with_allow(self):
        res = self.server.anon.get("/api/v1/no-such-thing")
        self.assert_error(res, "not_found")
        res = self.server.anon.request("DELETE", "/api/v1/events")
        self.assert_error(res, "method_not_allowed")
        allow = {m.strip() for m in res.header("Allow", "").split(",")}
        self.assertEqual(allow, {"GET", "POST"})
        res = self.server.anon.request("PUT", "/api/v1/auth/login", body={})
        self.assert_error(res, "method_not_allowed")
        self.assertEqual(res.header("Allow"), "POST")

    def test_validation_unauthenticated_not_found_bodies(self):
        self.assert_error(self.server.api.post("/api/v1/events", {"title": {"en": "x"}}), "validation")
        self.assert_error(self.server.anon.post("/api/v1/events", {}), "unauthenticated")
        self.assert_error(self.server.anon.get("/api/v1/events/999999"), "not_found")
        self.assert_error(self.server.anon.get("/api/v1/registrations/not-a-real-token"), "not_found")

    def test_forbidden_conflict_full_already_registered_bodies(self):
        s = self.server
        # An organizer is forbidden the admin's account list.
        res = s.api.post("/api/v1/users", {"email": "org-sys@example.org", "name": "Org", "role": "organizer",
                                           "password": "another long password"})
        self.assertEqual(res.status, 201, res)
        login = s.anon.post("/api/v1/auth/login", {"email": "org-sys@example.org", "password": "another long password"}).json()
        self.assert_error(s.anon.get("/api/v1/users", token=login["token"]), "forbidden")

        event = s.create_event(in_person=1, online=1, waitlist=False, title="Error Bodies Event")
        first = s.register(event["id"], email="first-sys@example.org")
        self.assertEqual(first.status, 201, first)
        body = self.assert_error(s.register(event["id"], email="second-sys@example.org"), "full")
        self.assertEqual(body["alternatives"], {"online": 1})
        self.assert_error(s.register(event["id"], email="FIRST-sys@example.org"), "already_registered")
        self.assert_error(s.api.patch("/api/v1/events/%d" % event["id"], {"capacity": {"in_person": 0}}), "conflict")

    def test_payload_too_large_by_content_length(self):
        head = ("POST /api/v1/events/1/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\n\r\n" % (64 * 1024 + 1)).encode()
        status, headers, body = parse_raw(raw_exchange(self.server.port, head))
        self.assertEqual(status, 413)
        self.assertIn('"payload_too_large"', body.decode())

    def test_payload_too_large_when_sent(self):
        big = b'{"name": "' + b"x" * (70 * 1024) + b'"}'
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(big), big)
        head = (b"POST /api/v1/events/1/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n")
        status, _, body = parse_raw(raw_exchange(self.server.port, head + chunked))
        self.assertEqual(status, 413)
        self.assertEqual(support.json.loads(body)["error"]["code"], "payload_too_large")

    def test_a_body_just_under_the_limit_is_read(self):
        big = {"name": "x" * (60 * 1024), "email": "a@b.co"}
        res = self.server.anon.post("/api/v1/events/999999/registrations", big)
        self.assert_error(res, "not_found")

    def test_wrong_content_type_is_415(self):
        res = self.server.api.request("POST", "/api/v1/events", raw=b'{"title": "x"}', content_type="text/plain")
        self.assert_error(res, "unsupported_media_type")
        res = self.server.api.request("POST", "/api/v1/events", raw=b"title=x", content_type="application/x-www-form-urlencoded")
        self.assert_error(res, "unsupported_media_type")
        res = self.server.api.request("POST", "/api/v1/events", raw=b'{"title": "x"}', content_type="application/json; charset=utf-8")
        self.assert_error(res, "validation")  # accepted as JSON, then validated

    def test_malformed_and_deeply_nested_json_is_400(self):
        for raw in [b"{", b'{"title": }', b"[1, 2", b"\xff\xfe", b'{"a": "\xc3"}', b"nul\x00l"]:
            res = self.server.api.request("POST", "/api/v1/events", raw=raw)
            body = self.assert_error(res, "validation")
            self.assertIn("body", body["error"]["fields"], raw)
        deep = b"[" * 100 + b"]" * 100
        res = self.server.api.request("POST", "/api/v1/events", raw=deep)
        self.assertIn("body", self.assert_error(res, "validation")["error"]["fields"])
        deep_object = b'{"a":' * 40 + b"1" + b"}" * 40
        self.assert_error(self.server.anon.request("POST", "/api/v1/events/1/registrations", raw=deep_object), "validation")

    def test_malformed_http_gets_an_error_not_a_crash(self):
        status, _, _ = parse_raw(raw_exchange(self.server.port, b"GARBAGE\r\n\r\n"))
        self.assertEqual(status, 400)
        self.assertEqual(self.server.anon.get("/healthz").status, 200)

    def test_head_answers_have_the_get_headers_and_no_body(self):
        for path in ["/healthz", "/api/v1/events", "/metrics"]:
            get = self.server.anon.get(path)
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
                sock.sendall(("HEAD %s HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n"
                              "Connection: close\r\n\r\n" % path).encode())
                data = b""
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
            if path != "/metrics":  # the metrics change between two requests
                self.assertIn(b"content-length: %d" % len(get.body), head.lower())
            # The next bytes on the connection are the next response, not a body.
            self.assertTrue(rest.startswith(b"HTTP/1.1 200"), rest[:80])

    def test_security_headers_on_api_answers(self):
        res = self.server.anon.get("/api/v1/events")
        self.assertEqual(res.header("X-Content-Type-Options"), "nosniff")
        self.assertIn("frame-ancestors 'none'", res.header("Content-Security-Policy", ""))


class RateLimitedBodyTest(unittest.TestCase, ErrorBodyMixin):
    def test_rate_limited_has_retry_after(self):
        with support.Server(env={"ENSEMBLE_RATE_LIMITS_LOGIN_PER_MINUTE_PER_IP": "2"}) as s:
            for _ in range(3):
                res = s.anon.post("/api/v1/auth/login", {"email": "nobody@example.org", "password": "wrong password here"})
            self.assert_error(res, "rate_limited")
            self.assertGreater(int(res.header("Retry-After")), 0)


class InternalErrorTest(unittest.TestCase, ErrorBodyMixin):
    def test_internal_errors_disclose_nothing(self):
        with support.Server() as s:
            # Break the database under the server: every event creation writes an audit entry.
            s.query("DROP TABLE audit_log")
            res = s.api.post("/api/v1/events", support.event_body(title="Doomed"))
            self.assert_error(res, "internal")
            text = res.text.lower()
            for leak in ["audit_log", "sqlite", "soci", "no such table", "exception", os.path.basename(s.sqlite_path)]:
                self.assertNotIn(leak, text)
            self.assertEqual(s.anon.get("/healthz").status, 200)  # the server carries on


if __name__ == "__main__":
    unittest.main()
