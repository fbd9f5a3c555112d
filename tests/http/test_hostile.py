"""Hostile input and a hostile outside world: oversized and malformed HTTP, slow and idle clients,
invalid UTF-8, huge JSON, script and SQL payloads in every text field, Unicode names on every path
they travel (API, CSV, email, calendar, Zoom), security headers on every page, and email and Zoom
providers that hang or present a certificate nobody trusts.

What test_system.py, test_static.py and test_delivery_*.py already cover is not repeated here."""

import collections
import csv
import email
import email.header
import email.policy
import html.parser
import http.client
import io
import json
import os
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid
from http.server import ThreadingHTTPServer

from tests.http import delivery_support as ds
from tests.http import support

sys.path.insert(0, ds.FAKES)
import fake_http  # noqa: E402
import sendgrid_fake  # noqa: E402

WEB = os.path.join(support.ROOT, "web")
READ_TIMEOUT = 2
API_TOO_LARGE = 64 * 1024

SQL = "'); DROP TABLE registrations;--"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MUSTACHE = "{{mustache}} {{{triple}}} {{#x}}section{{/x}}"
EVIL = "Zoë %s %s %s %s" % (SQL, SCRIPT, IMG, MUSTACHE)

UNICODE_NAMES = ["Zoë Éloïse Côté", "محمد الأحمد", "王小明", "Ngozi 👩🏽‍⚕️ Okafor"]
# Under Zoom's 64 characters, over 64 bytes, with its 64th byte inside a character.
LONG_ARABIC = "Éloïse-عبدالرحمن-عبدالرحمن-عبدالرحمن الأحمد"


def addr(tag):
    return "%s-%s@example.org" % (tag, uuid.uuid4().hex[:8])


# Raw sockets.

def exchange(port, data, timeout=5.0):
    """Sends raw bytes, reads until the server closes (or `timeout`); returns (bytes, closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        chunks = []
        deadline = time.time() + timeout
        closed = False
        while time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            chunks.append(chunk)
        return b"".join(chunks), closed


def responses_in(data):
    """Splits a byte stream into (status, headers, body) answers, by Content-Length."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        length = int(headers.get("content-length", "0"))
        out.append((int(lines[0].split()[1]), headers, rest[:length]))
        data = rest[length:]
    return out


def timed_get(port, path="/healthz", timeout=5):
    start = time.time()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        res = conn.getresponse()
        res.read()
        return res.status, time.time() - start
    finally:
        conn.close()


def csp_directives(value):
    out = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = [w.lower() for w in words[1:]]
    return out


class ErrorBody:
    def assert_error_bytes(self, status, headers, body, code, expected_status):
        self.assertEqual(status, expected_status, body[:300])
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
        err = json.loads(body)["error"]
        self.assertEqual(err["code"], code)
        self.assertTrue(err["message"])
        return err

    def assert_error(self, res, code, status):
        self.assertEqual(res.status, status, res)
        self.assertTrue(res.header("Content-Type", "").startswith("application/json"), res.headers)
        err = res.json()["error"]
        self.assertEqual(err["code"], code, res)
        if code == "validation":
            self.assertTrue(err["fields"], res)
        return err


class HostileHttp(unittest.TestCase, ErrorBody):
    """One server with a short read timeout for everything below the JSON layer, invalid UTF-8,
    oversized JSON and the security headers."""

    @classmethod
    def setUpClass(cls):
        cls.server = support.Server(env={"ENSEMBLE_HTTP_READ_TIMEOUT_S": str(READ_TIMEOUT), "ENSEMBLE_HTTP_IDLE_TIMEOUT_S": "5"}).start()
        cls.port = cls.server.port
        body = support.event_body(title="Hostile HTTP Event")
        body["questions"].append({"id": "topics", "label": {"en": "Topics"}, "type": "multi",
                                  "options": [{"id": "a", "label": {"en": "A"}}, {"id": "b", "label": {"en": "B"}}]})
        cls.event = cls.server.create_event(body)
        cls.path = "/api/v1/events/%d/registrations" % cls.event["id"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def assert_alive(self):
        status, elapsed = timed_get(self.port)
        self.assertEqual(status, 200)
        self.assertLess(elapsed, 1.0)

    def registrations(self):
        return self.server.query("SELECT COUNT(*) FROM registrations WHERE event_id = ?", (self.event["id"],))[0][0]

    # 1. Oversized and malformed HTTP.

    def test_oversized_request_lines_get_a_json_error_and_the_connection_closes(self):
        # Beyond 8192 bytes of target (docs/openapi.yaml): a well-formed request refused with 400; the
        # connection goes on with the next request, which is answered on its own.
        pipelined = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        data, closed = exchange(self.port, b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n" + pipelined)
        answers = responses_in(data)
        self.assertEqual([a[0] for a in answers], [400, 200], data[:300])
        self.assert_error_bytes(*answers[0], "validation", 400)
        self.assertEqual(json.loads(answers[1][2]), {"status": "ok"})
        # Beyond the 16 KiB header block: 413, and nothing after it on that connection is read.
        data, closed = exchange(self.port, b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n" + pipelined)
        answers = responses_in(data)
        self.assertEqual(len(answers), 1, "nothing after the refused request is answered: %r" % data[:200])
        self.assert_error_bytes(*answers[0], "payload_too_large", 413)
        self.assertTrue(closed, "the connection is closed after the error")
        self.assert_alive()

    def test_oversized_headers_get_413_and_headers_within_the_limit_are_served(self):
        for head in [b"X-Big: " + b"a" * 20_000 + b"\r\n", b"".join(b"X-H%d: v\r\n" % i for i in range(3000))]:
            data, closed = exchange(self.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n")
            answers = responses_in(data)
            self.assertEqual(len(answers), 1, data[:200])
            self.assert_error_bytes(*answers[0], "payload_too_large", 413)
            self.assertTrue(closed)
        # A 12 KiB cookie is within http.header_limit_bytes (16 KiB): served.
        data, _ = exchange(self.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: c=" + b"a" * 12_000 + b"\r\nConnection: close\r\n\r\n")
        self.assertEqual(responses_in(data)[0][0], 200, data[:300])
        self.assert_alive()

    def test_chunked_bodies_over_the_limit_or_malformed(self):
        head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" % self.path).encode()
        # Many small chunks adding up to more than the limit.
        many = b"".join(b"400\r\n" + b" " * 1024 + b"\r\n" for _ in range(70)) + b"0\r\n\r\n"
        answers = responses_in(exchange(self.port, head + many)[0])
        self.assert_error_bytes(*answers[0], "payload_too_large", 413)
        # A chunk size that overflows 64 bits, and a chunk extension longer than any header block.
        for body in [b"FFFFFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n", b"2;" + b"e" * 100_000 + b"\r\n{}\r\n0\r\n\r\n"]:
            data, closed = exchange(self.port, head + body)
            answers = responses_in(data)
            self.assertEqual(len(answers), 1, data[:200])
            self.assertIn(answers[0][0], (400, 413), answers[0])
            self.assertIn(json.loads(answers[0][2])["error"]["code"], ("validation", "payload_too_large"))
            self.assertTrue(closed)
        # Content-Length and chunked together (request smuggling): refused, and the request hidden
        # behind the first is never answered.
        smuggle = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" % self.path).encode()
        data, closed = exchange(self.port, smuggle)
        answers = responses_in(data)
        self.assertEqual([a[0] for a in answers], [400], data[:300])
        self.assertTrue(closed)
        self.assertEqual(self.registrations(), 0)
        self.assert_alive()

    def test_slowloris_clients_are_cut_off_while_others_are_served(self):
        results = {}

        def slow_client(i, body_phase):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            start = time.time()
            if body_phase:  # the head arrives at once, the body a byte at a time
                s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                           % self.path).encode())
                trickle = b"{" + b" " * 499
            else:
                trickle = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n"
            closed_at = None
            for byte in trickle:
                try:
                    s.send(bytes([byte]))
                except OSError:
                    closed_at = time.time()
                    break
                readable, _, _ = select.select([s], [], [], 0.25)
                if readable:
                    try:
                        chunk = s.recv(4096)
                    except OSError:
                        chunk = b""
                    if not chunk:
                        closed_at = time.time()
                        break
                    results[i] = ("answered", chunk[:100])
                    break
                if time.time() - start > 4 * READ_TIMEOUT + 3:
                    break
            s.close()
            if i not in results:
                results[i] = ("closed", closed_at - start) if closed_at else ("open", None)

        threads = [threading.Thread(target=slow_client, args=(i, i % 4 == 3)) for i in range(12)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        latencies = []
        while any(t.is_alive() for t in threads):
            status, elapsed = timed_get(self.port)
            self.assertEqual(status, 200)
            latencies.append(elapsed)
            time.sleep(0.1)
        for t in threads:
            t.join()
        self.assertGreater(len(latencies), 5)
        self.assertLess(max(latencies), 1.0, "other clients are served promptly meanwhile")
        for i, (what, when) in sorted(results.items()):
            self.assertEqual(what, "closed", (i, what, when))
            # The whole head must arrive within the read timeout; a body gets another one.
            limit = (2 * READ_TIMEOUT if i % 4 == 3 else READ_TIMEOUT) + 1.5
            self.assertLess(when, limit, (i, when))
            self.assertGreater(when, READ_TIMEOUT - 0.5, (i, when))
        self.assertEqual(self.registrations(), 0)

    def test_many_idle_connections_do_not_starve_a_new_one(self):
        idle = []
        try:
            for i in range(400):
                s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
                if i % 4 == 0:
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # a head never finished
                idle.append(s)
            start = time.time()
            for _ in range(5):
                status, elapsed = timed_get(self.port)
                self.assertEqual(status, 200)
                self.assertLess(elapsed, 1.0)
            res = self.server.anon.get("/api/v1/events/%d" % self.event["id"])
            self.assertEqual(res.status, 200)
            # Each of them is closed by the server once its read timeout has passed.
            for s in idle[::20]:
                s.settimeout(max(0.1, start + READ_TIMEOUT + 3 - time.time()))
                try:
                    self.assertEqual(s.recv(100), b"")
                except ConnectionResetError:
                    pass
        finally:
            for s in idle:
                s.close()
        self.assert_alive()

    # 2. Invalid UTF-8.

    def test_invalid_utf8_in_json_bodies_is_400_and_nothing_is_stored(self):
        good = {"name": "Valid Name", "email": "utf8@example.org", "mode": "in_person", "consent": True, "language": "en",
                "answers": {"profession": "Nurse"}}
        template = json.dumps(good).encode()
        bad_bytes = [b"\xff", b"\xfe\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82"]
        for bad in bad_bytes:
            for target in (b"Valid Name", b"Nurse", b"profession"):
                raw = template.replace(target, target[:3] + bad + target[3:], 1)
                err = self.assert_error(self.server.anon.request("POST", self.path, raw=raw), "validation", 400)
                self.assertIn("body", err["fields"], raw)
        # Escapes that are valid JSON but not valid text: a lone surrogate, a NUL, a control character.
        for escaped in ["\\ud800", "\\udc00x", "a\\u0000b", "\\u001b[31m"]:
            raw = template.replace(b"Valid Name", escaped.encode())
            self.assert_error(self.server.anon.request("POST", self.path, raw=raw), "validation", 400)
        # An organizer's event writes too.
        events_before = self.server.query("SELECT COUNT(*) FROM events")[0][0]
        event_raw = json.dumps(support.event_body(title="UTF8 Title Marker")).encode().replace(b"Marker", b"Mark\xff\xfeer")
        self.assert_error(self.server.api.request("POST", "/api/v1/events", raw=event_raw), "validation", 400)
        patch = b'{"title": {"en": "Bad \xc3\x28 title"}}'
        self.assert_error(self.server.api.request("PATCH", "/api/v1/events/%d" % self.event["id"], raw=patch), "validation", 400)
        login = b'{"email": "admin@example.org", "password": "\xff\xff"}'
        self.assertIn(self.server.anon.request("POST", "/api/v1/auth/login", raw=login).status, (400, 401))
        self.assertEqual(self.registrations(), 0)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM events")[0][0], events_before)
        self.assertEqual(self.server.anon.get("/api/v1/events/%d" % self.event["id"]).json()["title"]["en"], "Hostile HTTP Event")
        self.assert_alive()

    def test_invalid_utf8_in_query_strings_and_paths_is_400(self):
        api = self.server.api
        base = "/api/v1/events/%d" % self.event["id"]
        for target in [base + "/registrations?q=%FF%FE", base + "/registrations?q=%C0%AF", base + "/registrations?q=caf%C3",
                       base + "/registrations?status=%ED%A0%80", "/api/v1/events?upcoming=true&lang=%FF",
                       "/api/v1/outbox?status=%F4%90%80%80", base + "/registrations?q=a%00b", base + "/registrations?%FF=1"]:
            err = self.assert_error(api.get(target), "validation", 400)
            self.assertIn("query", err["fields"], target)
        for target in ["/api/v1/events/%FF%FE", "/api/v1/events/caf%C3", "/api/v1/registrations/%ED%A0%80",
                       "/api/v1/registrations/%C0%AF/calendar.ics", "/api/v1/events/%E2%82/registrations"]:
            err = self.assert_error(api.get(target), "validation", 400)
            self.assertIn("path", err["fields"], target)
        # Raw bytes that are not UTF-8, unencoded in the request line.
        for target in [b"/api/v1/events/\xff\xfe", base.encode() + b"/registrations?q=\xff"]:
            data, _ = exchange(self.port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                               self.server.token.encode() + b"\r\nConnection: close\r\n\r\n")
            status, headers, body = responses_in(data)[0]
            self.assert_error_bytes(status, headers, body, "validation", 400)
        # Pages are the single-page app whatever the address; never a crash.
        for target in ["/events/%FF%FE", "/manage/%C3", "/admin/%ED%A0%80"]:
            self.assertIn(self.server.anon.get(target).status, (200, 404), target)
        # Valid UTF-8 in a query still works.
        self.assertEqual(api.get(base + "/registrations?q=" + urllib.parse.quote("Zoë")).status, 200)
        self.assert_alive()

    # 3. Deep and huge JSON within (and beyond) the body limit.

    def test_huge_arrays_and_deep_nesting_get_clear_errors_fast(self):
        base = {"name": "Array Person", "email": "arrays@example.org", "mode": "in_person", "consent": True, "language": "en"}
        # 100 000 answers: beyond 64 KiB, refused before parsing.
        huge = dict(base, answers={"profession": "x", "topics": ["a"] * 100_000})
        self.assertGreater(len(json.dumps(huge)), API_TOO_LARGE)
        self.assert_error(self.server.anon.post(self.path, huge), "payload_too_large", 413)
        # 30 000 answers within the limit: a validation error naming the answer, quickly.
        many = dict(base, answers={"profession": "x", "topics": [0] * 30_000})
        raw = json.dumps(many, separators=(",", ":")).encode()
        self.assertLess(len(raw), API_TOO_LARGE)
        start = time.time()
        err = self.assert_error(self.server.anon.request("POST", self.path, raw=raw), "validation", 400)
        self.assertLess(time.time() - start, 2.0)
        self.assertTrue(any(k.startswith("answers") for k in err["fields"]), err)
        # Nested 31 deep inside an answer (within the parser's depth limit), and far deeper.
        for depth in (31, 5000):
            raw = json.dumps(dict(base))[:-1].encode() + b', "answers": {"profession": ' + b"[" * depth + b"]" * depth + b"}}"
            self.assert_error(self.server.anon.request("POST", self.path, raw=raw), "validation", 400)
        deep = (json.dumps(dict(base, answers={"profession": "x"}))[:-1] + ', "extra": ' + "[" * 5000 + "]" * 5000 + "}").encode()
        self.assert_error(self.server.anon.request("POST", self.path, raw=deep), "validation", 400)
        self.assertEqual(self.registrations(), 0)
        # Thousands of unknown answer keys: refused or dropped, never stored.
        keys = {"k%d" % i: 1 for i in range(5000)}
        keys["profession"] = "x"
        other = self.server.create_event(title="Many Keys")
        res = self.server.anon.post("/api/v1/events/%d/registrations" % other["id"], dict(base, answers=keys))
        self.assertIn(res.status, (201, 400), res)
        if res.status == 201:
            view = self.server.anon.get("/api/v1/registrations/%s" % res.json()["manage_token"]).json()
            self.assertNotIn("k1", view["answers"])
        # An event with more questions, sessions or speakers than allowed, all within 64 KiB.
        for field, item in [("questions", lambda i: {"id": "q%d" % i, "label": {"en": "Q"}, "type": "text"}),
                            ("speakers", lambda i: {"id": "s%d" % i, "name": "S"}),
                            ("partners", lambda i: {"name": "P", "role": "partner"})]:
            body = support.event_body(title="Too many " + field)
            body[field] = [item(i) for i in range(1200)]
            raw = json.dumps(body, separators=(",", ":")).encode()
            self.assertLess(len(raw), API_TOO_LARGE, field)
            start = time.time()
            err = self.assert_error(self.server.api.request("POST", "/api/v1/events", raw=raw), "validation", 400)
            self.assertLess(time.time() - start, 2.0)
            self.assertTrue(any(k.startswith(field) for k in err["fields"]), err)
        # Numbers no capacity can be.
        for value in [b"1e400", b"18446744073709551616", b"-1", b"2.5", b"-0.0", b"1e2"]:
            body = json.dumps(support.event_body(title="Odd numbers")).encode()
            body = re.sub(rb'"in_person": 50', b'"in_person": ' + value, body)
            self.assert_error(self.server.api.request("POST", "/api/v1/events", raw=body), "validation", 400)
        self.assert_alive()

    # 6. Security headers on every page and asset; no inline script in any page.

    def assert_security_headers(self, res, what):
        self.assertEqual(res.header("X-Content-Type-Options"), "nosniff", what)
        self.assertTrue(res.header("Referrer-Policy"), what)
        csp = csp_directives(res.header("Content-Security-Policy", ""))
        scripts = csp.get("script-src", csp.get("default-src"))
        self.assertIsNotNone(scripts, what)
        self.assertNotIn("'unsafe-inline'", scripts, what)
        self.assertNotIn("'unsafe-eval'", scripts, what)
        self.assertNotIn("*", scripts, what)
        self.assertIn(csp.get("frame-ancestors"), (["'none'"], ["'self'"]), what)
        self.assertEqual(csp.get("object-src"), ["'none'"], what)

    def web_files(self, extensions):
        for folder, dirs, files in os.walk(WEB):
            dirs[:] = [d for d in dirs if d != "node_modules" and not d.startswith(".")]
            for name in files:
                if name.endswith(extensions):
                    yield os.path.relpath(os.path.join(folder, name), WEB).replace(os.sep, "/")

    def test_security_headers_on_every_page_asset_and_error(self):
        anon = self.server.anon
        pages = sorted(self.web_files((".html",)))
        self.assertGreaterEqual(len(pages), 7, pages)
        checked = 0
        for rel in pages:
            res = anon.get("/" + rel)
            self.assertEqual(res.status, 200, rel)
            self.assertTrue(res.header("Content-Type", "").startswith("text/html"), rel)
            self.assert_security_headers(res, rel)
            checked += 1
        for route in ["/", "/past", "/events/some-event", "/manage/some-token", "/checkin", "/admin", "/admin/login",
                      "/admin/events/1/registrations", "/no/such/page"]:
            res = anon.get(route)
            self.assertIn(res.status, (200, 404), route)
            self.assertTrue(res.header("Content-Type", "").startswith("text/html"), route)
            self.assert_security_headers(res, route)
        assets = sorted(self.web_files((".js", ".mjs", ".css", ".svg", ".webmanifest", ".json")))
        self.assertTrue(any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), assets)
        for rel in assets:
            if rel in ("package.json", "package-lock.json"):
                continue
            res = anon.get("/" + rel)
            self.assertEqual(res.status, 200, rel)
            self.assert_security_headers(res, rel)
            checked += 1
            if rel.endswith(".js") and checked % 5 == 0:  # revalidation answers carry them too
                again = anon.get("/" + rel, headers={"If-None-Match": res.header("ETag")})
                self.assertEqual(again.status, 304, rel)
                self.assert_security_headers(again, rel + " (304)")
        for vendor in ["/vendor/chart.js/dist/chart.umd.js"]:
            res = anon.get(vendor)
            if res.status == 200:
                self.assert_security_headers(res, vendor)
        # API answers and errors, including those written before any routing.
        for res, what in [(anon.get("/api/v1/events"), "api"), (anon.get("/api/v1/nothing"), "404"), (anon.request("DELETE", "/healthz"), "405"),
                          (anon.get("/healthz"), "healthz"), (self.server.api.get("/api/v1/events/%d/registrations.csv" % self.event["id"]), "csv")]:
            self.assert_security_headers(res, what)
        data, _ = exchange(self.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n")
        status, headers, _ = responses_in(data)[0]
        self.assertIn("nosniff", headers.get("x-content-type-options", ""))
        self.assertIn("frame-ancestors", headers.get("content-security-policy", ""))

    def test_no_page_has_inline_script_or_event_handlers(self):
        class Scanner(html.parser.HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.problems = []
                self.in_script = False

            def handle_starttag(self, tag, attrs):
                for name, value in attrs:
                    if name.lower().startswith("on"):
                        self.problems.append("event handler attribute %s on <%s>" % (name, tag))
                    if name.lower() == "style":
                        self.problems.append("inline style on <%s> (style-src 'self')" % tag)
                    if name.lower() in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                        self.problems.append("javascript: URL in <%s %s>" % (tag, name))
                if tag == "script":
                    attrs = dict(attrs)
                    if not attrs.get("src") and attrs.get("type") != "application/json":
                        self.problems.append("inline <script> without src")
                    self.in_script = True
                if tag == "style":
                    self.problems.append("inline <style> block")

            def handle_endtag(self, tag):
                if tag == "script":
                    self.in_script = False

            def handle_data(self, data):
                if self.in_script and data.strip():
                    self.problems.append("script body: %r" % data.strip()[:60])

        pages = list(self.web_files((".html",)))
        self.assertTrue(pages)
        for rel in pages:
            with open(os.path.join(WEB, rel), encoding="utf-8") as f:
                text = f.read()
            scanner = Scanner()
            scanner.feed(text)
            self.assertEqual(scanner.problems, [], rel)


# 4 and 5. Payloads and Unicode through the API, the exports, the mail and Zoom.

def zoom_env(fake, **extra):
    env = {"ENSEMBLE_ZOOM_ACCOUNT_ID": "acc-1", "ENSEMBLE_ZOOM_CLIENT_ID": "client-1", "ENSEMBLE_ZOOM_CLIENT_SECRET": "secret-1",
           "ENSEMBLE_ZOOM_API_URL": fake.url + "/v2", "ENSEMBLE_ZOOM_OAUTH_URL": fake.url}
    env.update(extra)
    return env


def evil_event_body(title, fmt="hybrid"):
    body = ds.event_body(title=title, fmt=fmt, provider="zoom")
    body["summary"] = {"en": "Summary " + EVIL, "fr": "Résumé " + EVIL}
    body["description"] = {"en": "Description " + EVIL + "\n\n[click](javascript:alert(1)) <a href=\"javascript:alert(1)\">a</a>",
                           "fr": "Description FR " + EVIL}
    body["venue"] = {k: k + " " + EVIL for k in ("name", "address", "city", "province", "postal_code")}
    body["questions"] = [
        {"id": "note", "label": {"en": "=HYPERLINK(\"http://evil.example\") " + EVIL, "fr": "Note " + EVIL}, "type": "text"},
        {"id": "pick", "label": {"en": "Pick " + EVIL}, "type": "choice", "options": [{"id": "o1", "label": {"en": "Option " + EVIL}}]},
    ]
    body["speakers"] = [{"id": "sp1", "name": "Speaker " + EVIL, "bio": {"en": "Bio " + EVIL}, "affiliation": "Affiliation " + EVIL}]
    body["sessions"] = [{"title": {"en": "Session " + EVIL}, "starts_at": body["starts_at"], "ends_at": body["ends_at"],
                         "room": "Room " + EVIL, "speakers": ["sp1"]}]
    body["partners"] = [{"name": "Partner " + EVIL, "role": "host", "url": "https://example.org/?q=%3Cscript%3E"}]
    return body


def raw_header_block(path):
    with open(path, "rb") as f:
        return f.read().split(b"\r\n\r\n", 1)[0]


def decoded_header(path, name):
    """A header of an .eml decoded as RFC 2047 says (whitespace between adjacent encoded words is
    dropped; email.policy.default's address parser keeps it, which mail clients do not)."""
    with open(path, "rb") as f:
        raw = email.message_from_binary_file(f)[name]
    return str(email.header.make_header(email.header.decode_header(raw)))


def recipient_of(path):
    """(display name, address) of an .eml's To header."""
    value = decoded_header(path, "To")
    name, _, address = value.rpartition(" <")
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return name, address.rstrip(">")


class HostilePayloads(unittest.TestCase, ErrorBody):
    @classmethod
    def setUpClass(cls):
        cls.zoom = ds.Fake("zoom_fake.py", "--account", "acc-1", "--client-id", "client-1", "--client-secret", "secret-1")
        cls.server = ds.Server(zoom_env(cls.zoom)).start()
        cls.body = evil_event_body("Title " + EVIL)
        res = cls.server.request("POST", "/api/v1/events", cls.body)
        assert res.status == 201, res
        cls.event = res.json()
        assert cls.server.request("POST", "/api/v1/events/%d/publish" % cls.event["id"]).status == 200
        cls.unicode_title = "Sommet 🎉 王小明 محمد Zoë Éloïse — " + "界🎈é" * 12
        cls.unicode_event = cls.server.create_event(title=cls.unicode_title, provider="zoom")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.zoom.stop()

    def zoom_meeting(self, event_id):
        zoom_id = ds.wait_for(lambda: self.server.query("SELECT zoom_id FROM events WHERE id = ?", (event_id,))[0][0],
                              what="the Zoom meeting")
        return self.zoom.call("GET", "/_state")["meetings"][str(zoom_id)]

    def mails(self, address, count=1, kind=None):
        def found():
            got = [(p, m) for p, m in ((p, ds.read_eml(p)) for p in ds.mail_files(self.server.mail_dir)) if address in str(m["To"])]
            if kind:
                got = [(p, m) for p, m in got if str(m["X-Ensemble-Kind"]) == kind]
            return got if len(got) >= count else None
        return ds.wait_for(found, what="mail to " + address)

    def manage(self, reg, suffix=""):
        return self.server.request("GET", "/api/v1/registrations/%s%s" % (reg["manage_token"], suffix), token="")

    def test_payloads_are_stored_and_returned_verbatim_and_the_database_is_intact(self):
        s = self.server
        public = s.request("GET", "/api/v1/events/%d" % self.event["id"], token="").json()
        for key in ("title", "summary", "description", "venue", "speakers", "partners"):
            self.assertEqual(public[key], self.body[key], key)
        self.assertEqual([q["label"] for q in public["questions"]], [q["label"] for q in self.body["questions"]])
        self.assertEqual(public["questions"][1]["options"][0]["label"], self.body["questions"][1]["options"][0]["label"])
        self.assertEqual(public["sessions"][0]["title"], self.body["sessions"][0]["title"])
        self.assertEqual(public["sessions"][0]["room"], self.body["sessions"][0]["room"])
        # The Markdown rendering keeps the text and drops the markup and the javascript: link.
        rendered = public.get("description_html", {}).get("en", "")
        if rendered:
            self.assertNotIn("<script", rendered)
            self.assertNotIn("<img", rendered)
            self.assertNotIn("javascript:", rendered)
            self.assertIn("{{mustache}}", rendered)
        self.assertIn(public, s.request("GET", "/api/v1/events?upcoming=true", token="").json()["events"])

        name = "Name " + EVIL
        email_address = "o'brien+%s@example.org" % uuid.uuid4().hex[:6]
        reg = s.register(self.event["id"], email_address, name=name, answers={"note": "Answer " + EVIL, "pick": "o1"})
        view = self.manage(reg).json()
        self.assertEqual(view["name"], name)
        self.assertEqual(view["email"], email_address)
        self.assertEqual(view["answers"]["note"], "Answer " + EVIL)
        self.assertEqual(view["event"]["title"], self.body["title"])
        listed = s.request("GET", "/api/v1/events/%d/registrations?q=%s" % (self.event["id"], urllib.parse.quote(SQL))).json()
        self.assertTrue(listed["registrations"])  # the SQL text is searched for as text, in names that carry it
        self.assertTrue(all(SQL in r["name"] for r in listed["registrations"]), listed)
        listed = s.request("GET", "/api/v1/events/%d/registrations?q=%s" % (self.event["id"], urllib.parse.quote("o'brien"))).json()
        self.assertEqual([(r["name"], r["answers"]["note"]) for r in listed["registrations"]], [(name, "Answer " + EVIL)])
        data = s.request("GET", "/api/v1/registrations/%s/data" % reg["manage_token"], token="")
        self.assertEqual(data.status, 200)
        self.assertEqual(data.json()["name"], name)

        tables = {r[0] for r in s.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        self.assertTrue({"registrations", "events", "outbox"} <= tables, tables)
        self.assertEqual(s.query("SELECT name FROM registrations WHERE id = ?", (reg["id"],))[0][0], name)
        self.assertEqual(s.query("PRAGMA integrity_check")[0][0], "ok")

    def test_csv_export_neutralises_formulas_in_cells_and_headers(self):
        s = self.server
        event = s.create_event(title="CSV Payloads", fmt="in_person")
        patch = {"questions": [{"id": "note", "label": {"en": "=HYPERLINK(\"http://evil.example\",\"x\")"}, "type": "text"},
                               {"id": "other", "label": {"en": "@SUM(A1)"}, "type": "text"}]}
        self.assertEqual(s.request("PATCH", "/api/v1/events/%d" % event["id"], patch).status, 200)
        people = [("=cmd|' /C calc'!A0", "+SUM(1,2)"), ("\t=1+2 tabbed", "\r=2+3 returned"), (EVIL, "-2+3"), ("Zoë Éloïse Côté", "@x")]
        for i, (name, note) in enumerate(people):
            res = s.request("POST", "/api/v1/events/%d/registrations" % event["id"],
                            {"name": name, "email": addr("csv%d" % i), "mode": "in_person", "consent": True, "language": "en",
                             "answers": {"note": note, "other": "=1"}}, token="")
            self.assertIn(res.status, (201, 400), res)
        res = s.request("GET", "/api/v1/events/%d/registrations.csv" % event["id"])
        self.assertEqual(res.status, 200)
        self.assertTrue(res.body.startswith(b"\xef\xbb\xbf"), "a UTF-8 BOM keeps Excel's accents")
        rows = list(csv.reader(io.StringIO(res.body.decode("utf-8-sig"), newline="")))
        self.assertGreaterEqual(len(rows), 3)
        for row in rows:
            for cell in row:
                self.assertFalse(cell[:1] in ("=", "+", "-", "@", "\t", "\r"), "formula cell %r" % cell)
        header = rows[0]
        self.assertTrue(any("HYPERLINK" in h for h in header), header)
        names = [r[header.index("name")] for r in rows[1:]]
        self.assertIn("Zoë Éloïse Côté", names)
        self.assertIn(EVIL, names)

    def test_emails_escape_payloads_in_html_and_keep_them_in_text(self):
        address = addr("evil")
        name = "Name " + EVIL
        self.server.register(self.event["id"], address, name=name, answers={"note": "n"})
        path, msg = self.mails(address)[0]
        head = raw_header_block(path)
        head.decode("ascii")  # every header is 7-bit (RFC 2047 words for anything else)
        self.assertNotIn(b"<script", head)
        self.assertEqual(decoded_header(path, "Subject"), "Registration confirmed: Title " + EVIL)
        self.assertEqual(recipient_of(path), (name, address))
        text = msg.get_body(preferencelist=("plain",)).get_content()
        html_part = msg.get_body(preferencelist=("html",))
        self.assertEqual(html_part.get_content_charset(), "utf-8")
        html_body = html_part.get_content()
        self.assertIn(name, text)
        self.assertIn("{{mustache}}", text)
        self.assertIn("{{mustache}}", html_body)
        for raw in (SCRIPT, "<img", "onerror=alert(1)>", "<script"):
            self.assertNotIn(raw, html_body.replace("&lt;img", ""), raw)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html_body)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", html_body)
        # The venue and the title travel in the HTML too, escaped.
        self.assertIn("name Zoë", html_body)
        ics = [p for p in msg.iter_attachments() if p.get_filename() == "invite.ics"][0].get_content()
        ics = ics.decode("utf-8") if isinstance(ics, bytes) else ics
        lines, props = ds.parse_ics(ics)
        self.assertEqual(lines.count("BEGIN:VEVENT"), 1)
        self.assertIn("<script>alert(1)</script>", props["SUMMARY"][0])
        self.assertIn("\\;", props["SUMMARY"][0])

    def test_line_breaks_in_a_title_cannot_inject_mail_headers_or_calendar_lines(self):
        title = "Evil\r\nBcc: victim@example.org\r\nX-Injected: 1\nEND:VEVENT\nBEGIN:VEVENT"
        res = self.server.request("POST", "/api/v1/events", ds.event_body(title=title, fmt="in_person"))
        if res.status == 400:
            return  # refused outright: nothing to inject
        self.assertEqual(res.status, 201, res)
        event = res.json()
        self.assertEqual(self.server.request("POST", "/api/v1/events/%d/publish" % event["id"]).status, 200)
        address = addr("inject")
        reg = self.server.register(event["id"], address)
        path, msg = self.mails(address)[0]
        self.assertIsNone(msg["Bcc"])
        self.assertIsNone(msg["X-Injected"])
        for line in raw_header_block(path).split(b"\r\n"):
            self.assertFalse(line.lower().startswith((b"bcc:", b"x-injected:", b"end:", b"begin:")), line)
        lines, props = ds.parse_ics(self.manage(reg, "/calendar.ics").body.decode("utf-8"))
        self.assertEqual(lines.count("BEGIN:VEVENT"), 1)
        self.assertEqual(len(props["SUMMARY"]), 1)

    def test_unicode_names_travel_intact_everywhere(self):
        s = self.server
        meeting = self.zoom_meeting(self.unicode_event["id"])
        regs = {}
        for i, name in enumerate(UNICODE_NAMES + [LONG_ARABIC]):
            address = addr("uni%d" % i)
            mode = "online" if i % 2 == 0 or name == LONG_ARABIC else "in_person"
            regs[name] = (address, mode, s.register(self.unicode_event["id"], address, name=name, mode=mode,
                                                     language="fr" if i % 2 else "en"))
        # API: the manage page's data and the organizer's list.
        listed = s.request("GET", "/api/v1/events/%d/registrations" % self.unicode_event["id"]).json()["registrations"]
        self.assertEqual(sorted(r["name"] for r in listed), sorted(regs))
        for name, (address, mode, reg) in regs.items():
            view = self.manage(reg).json()
            self.assertEqual(view["name"], name)
            self.assertEqual(view["event"]["title"]["en"], self.unicode_title)
            found = s.request("GET", "/api/v1/events/%d/registrations?q=%s" % (self.unicode_event["id"], urllib.parse.quote(name.split()[0])))
            self.assertIn(name, [r["name"] for r in found.json()["registrations"]])
        # CSV with a BOM.
        res = s.request("GET", "/api/v1/events/%d/registrations.csv" % self.unicode_event["id"])
        self.assertTrue(res.body.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(res.body.decode("utf-8-sig"), newline="")))
        self.assertEqual(sorted(r[rows[0].index("name")] for r in rows[1:]), sorted(regs))
        # Calendar: the long title of 2-, 3- and 4-byte characters is folded at 75 octets, never inside one.
        raw = self.manage(regs[UNICODE_NAMES[0]][2], "/calendar.ics").body
        for line in raw.split(b"\r\n"):
            self.assertLessEqual(len(line), 75)
            line.decode("utf-8")
        lines, props = ds.parse_ics(raw.decode("utf-8"))
        self.assertEqual(props["SUMMARY"][0], self.unicode_title)
        # Email: RFC 2047 headers, UTF-8 bodies.
        for name, (address, mode, reg) in regs.items():
            path, msg = self.mails(address, kind="email.confirmation")[0]
            head = raw_header_block(path)
            head.decode("ascii")
            self.assertIn(b"=?UTF-8?", head)
            self.assertEqual(recipient_of(path), (name, address))
            self.assertIn(self.unicode_title, decoded_header(path, "Subject"))
            for part in (msg.get_body(preferencelist=("plain",)), msg.get_body(preferencelist=("html",))):
                self.assertEqual(part.get_content_charset(), "utf-8")
                self.assertIn(name, part.get_content())
        # Zoom: the registrant's first and last names, whole.
        zoom_id = s.query("SELECT zoom_id FROM events WHERE id = ?", (self.unicode_event["id"],))[0][0]
        for name, (address, mode, reg) in regs.items():
            if mode != "online":
                continue
            ds.wait_for(lambda: address in self.zoom.call("GET", "/_state")["meetings"][str(zoom_id)]["registrants"],
                        what="the Zoom registrant of " + name)
            registrant = self.zoom.call("GET", "/_state")["meetings"][str(zoom_id)]["registrants"][address]
            first, _, last = name.partition(" ")
            self.assertEqual((registrant["first_name"], registrant["last_name"]), (first, last), name)
            self.assertNotIn("\ufffd", registrant["first_name"] + registrant["last_name"])
        self.assertEqual(meeting["topic"], self.unicode_title)


# 7. Providers that hang, or present a certificate nobody trusts.

class SendGridLike(sendgrid_fake.SendGridHandler):
    """sendgrid_fake's handler in this process: it can hang without accepting (hang_seconds)."""

    hang_seconds = 0.0

    def dispatch(self, method):
        if not self.path.startswith("/_") and type(self).hang_seconds:
            self.read_body()
            time.sleep(type(self).hang_seconds)
            self.close_connection = True
            return  # never accepted, never answered
        super().dispatch(method)


class LocalFake:
    """A fake's handler class served from a thread of this process, over plain HTTP or TLS."""

    def __init__(self, handler, tls_files=None):
        self.handler = type("Handler", (handler,), {"hang_seconds": 0.0})
        self.handler.state = fake_http.State()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.server.daemon_threads = True
        self.handshakes = 0
        scheme = "http"
        if tls_files:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls_files)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True, do_handshake_on_connect=False)
            scheme = "https"
            original = self.server.get_request

            def get_request():
                conn, peer = original()
                self.handshakes += 1
                conn.settimeout(5)
                try:
                    conn.do_handshake()  # an untrusted certificate fails here
                except OSError:
                    conn.close()
                    raise
                return conn, peer
            self.server.get_request = get_request
        self.url = "%s://127.0.0.1:%d" % (scheme, self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def received(self):
        with self.handler.state.lock:
            return list(self.handler.state.requests)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def restart(server, env):
    """Stops the server (SIGTERM), changes its settings and starts it again on the same data."""
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(15)
    server.log_file.close()
    server.env.update(env)
    server.start()


class SlowProviders(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sendgrid = LocalFake(SendGridLike)
        cls.zoom = ds.Fake("zoom_fake.py", "--account", "acc-1", "--client-id", "client-1", "--client-secret", "secret-1")
        cls.server = ds.Server(zoom_env(cls.zoom, ENSEMBLE_EMAIL_PROVIDER="sendgrid", ENSEMBLE_SENDGRID_URL=cls.sendgrid.url,
                                        ENSEMBLE_SENDGRID_API_KEY="SG.test-key", ENSEMBLE_EMAIL_TIMEOUT_S="1",
                                        ENSEMBLE_ZOOM_TIMEOUT_S="1", ENSEMBLE_OUTBOX_MAX_ATTEMPTS="50")).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.zoom.stop()
        cls.sendgrid.handler.hang_seconds = 0
        cls.sendgrid.stop()

    def rows_of(self, recipient):
        return [m for m in self.server.outbox() if m["recipient"] == recipient]

    def test_an_email_provider_slower_than_the_timeout(self):
        event = self.server.create_event(title="Slow Mail", fmt="in_person")
        self.sendgrid.handler.hang_seconds = 3.0
        address = addr("slowmail")
        self.server.register(event["id"], address, name="Zoë Éloïse Côté")
        row = ds.wait_for(lambda: [m for m in self.rows_of(address) if m["attempts"] >= 2 and m["last_error"]], timeout=15,
                          what="two timed-out attempts")[0]
        self.assertEqual(row["status"], "pending")
        self.assertTrue(re.search(r"(?i)time|timed out", row["last_error"]), row["last_error"])
        self.assertEqual([r for r in self.sendgrid.received() if r["to"] == address], [])
        self.sendgrid.handler.hang_seconds = 0
        ds.wait_for(lambda: [m["status"] for m in self.rows_of(address)] == ["sent"], timeout=15, what="delivery after recovery")
        got = [r for r in self.sendgrid.received() if r["to"] == address]
        self.assertEqual(len(got), 1, "delivered exactly once")
        self.assertEqual(json.loads(got[0]["body"])["personalizations"][0]["to"][0]["name"], "Zoë Éloïse Côté")

    def test_a_zoom_slower_than_the_timeout(self):
        event = self.server.create_event(title="Slow Zoom", fmt="online", provider="zoom")
        zoom_id = ds.wait_for(lambda: self.server.query("SELECT zoom_id FROM events WHERE id = ?", (event["id"],))[0][0],
                              what="the meeting")
        self.zoom.control("slow", count=-1, delay=2.5)
        address = addr("slowzoom")
        reg = self.server.register(event["id"], address, name="محمد الأحمد", mode="online")
        row = ds.wait_for(lambda: [m for m in self.rows_of(address) if m["kind"] == "zoom.add_registrant" and m["attempts"] >= 2
                                   and m["last_error"]], timeout=15, what="timed-out Zoom calls")[0]
        self.assertEqual(row["status"], "pending")
        self.assertTrue(re.search(r"(?i)time|timed out", row["last_error"]), row["last_error"])
        self.zoom.control("ok")
        view = ds.wait_for(lambda: (lambda v: v if "join_url" in v else None)(
            self.server.request("GET", "/api/v1/registrations/" + reg["manage_token"], token="").json()), timeout=20, what="the join link")
        registrants = self.zoom.call("GET", "/_state")["meetings"][str(zoom_id)]["registrants"]
        self.assertEqual(list(registrants), [address])
        self.assertEqual(view["join_url"], registrants[address]["join_url"])
        self.assertEqual((registrants[address]["first_name"], registrants[address]["last_name"]), ("محمد", "الأحمد"))
        ds.wait_for(lambda: all(m["status"] == "sent" for m in self.rows_of(address)) and
                    any(m["kind"] == "email.join_link" or m["kind"] == "email.confirmation" for m in self.rows_of(address)),
                    timeout=20, what="every row of the registrant sent")
        kinds = collections.Counter(m["kind"] for m in self.rows_of(address))
        self.assertEqual(set(kinds.values()), {1}, kinds)
        mails = [r for r in self.sendgrid.received() if r["to"] == address]
        self.assertEqual(len(mails), len({r["message_id"] for r in mails}), "no message delivered twice")
        self.assertTrue(any(registrants[address]["join_url"] in r["body"] for r in mails), "the join link is mailed")


class UntrustedCertificate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("openssl"):
            raise unittest.SkipTest("openssl is not installed: no self-signed certificate to present")
        cls.tmp = tempfile.mkdtemp(prefix="ensemble-tls-")
        cls.cert, cls.key = os.path.join(cls.tmp, "cert.pem"), os.path.join(cls.tmp, "key.pem")
        out = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", cls.key, "-out", cls.cert,
                              "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise unittest.SkipTest("openssl could not make a certificate: " + out.stderr[-300:])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_a_self_signed_certificate_is_refused_and_delivery_resumes_at_the_right_address(self):
        tls_mail = LocalFake(SendGridLike, (self.cert, self.key))
        tls_zoom = LocalFake(fake_http.FakeHandler, (self.cert, self.key))
        plain_mail = LocalFake(SendGridLike)
        zoom = ds.Fake("zoom_fake.py", "--account", "acc-1", "--client-id", "client-1", "--client-secret", "secret-1")
        server = ds.Server({"ENSEMBLE_EMAIL_PROVIDER": "sendgrid", "ENSEMBLE_SENDGRID_URL": tls_mail.url,
                            "ENSEMBLE_SENDGRID_API_KEY": "SG.test-key", "ENSEMBLE_OUTBOX_MAX_ATTEMPTS": "50",
                            "ENSEMBLE_ZOOM_ACCOUNT_ID": "acc-1", "ENSEMBLE_ZOOM_CLIENT_ID": "client-1",
                            "ENSEMBLE_ZOOM_CLIENT_SECRET": "secret-1", "ENSEMBLE_ZOOM_API_URL": tls_zoom.url + "/v2",
                            "ENSEMBLE_ZOOM_OAUTH_URL": tls_zoom.url})
        try:
            server.start()
            in_person = server.create_event(title="TLS Mail", fmt="in_person")
            online = server.create_event(title="TLS Zoom", fmt="online", provider="zoom")
            address = addr("tls")
            server.register(in_person["id"], address, name="王小明")

            def failing():
                rows = {m["kind"]: m for m in server.outbox() if m["last_error"]}
                return rows if {"email.confirmation", "zoom.create"} <= set(rows) else None
            rows = ds.wait_for(failing, timeout=15, what="certificate errors on the outbox")
            for kind in ("email.confirmation", "zoom.create"):
                self.assertEqual(rows[kind]["status"], "pending", rows[kind])
                self.assertTrue(re.search(r"(?i)certificate|ssl|tls", rows[kind]["last_error"]), rows[kind]["last_error"])
            self.assertGreater(tls_mail.handshakes, 0)
            self.assertEqual(tls_mail.received(), [], "nothing goes to a server whose certificate is not trusted")
            self.assertEqual(tls_zoom.received(), [])

            restart(server, {"ENSEMBLE_SENDGRID_URL": plain_mail.url, "ENSEMBLE_ZOOM_API_URL": zoom.url + "/v2",
                             "ENSEMBLE_ZOOM_OAUTH_URL": zoom.url})
            for row in server.outbox():  # retry at once rather than at the next backoff
                if row["status"] == "failed":
                    server.request("POST", "/api/v1/outbox/%d/retry" % row["id"])
            ds.wait_for(lambda: all(m["status"] == "sent" for m in server.outbox()), timeout=20, what="every row sent after the fix")
            self.assertEqual([r["to"] for r in plain_mail.received()], [address])
            meetings = zoom.call("GET", "/_state")["meetings"]
            self.assertEqual([m["topic"] for m in meetings.values()], ["TLS Zoom"])
            self.assertEqual(server.query("SELECT zoom_id FROM events WHERE id = ?", (online["id"],))[0][0] in
                             {int(k) for k in meetings} | set(meetings), True)
        finally:
            server.stop()
            zoom.stop()
            for fake in (tls_mail, tls_zoom, plain_mail):
                fake.stop()


if __name__ == "__main__":
    unittest.main()
