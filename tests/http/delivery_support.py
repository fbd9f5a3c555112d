"""Helpers of the delivery tests: the fakes of tests/fakes as child processes, a server started
with them, and readers of the mail it sends. Standard library only; run with /usr/bin/python3."""

import email
import email.policy
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("ENSEMBLE_BIN") or os.path.join(ROOT, "build", "bin", "ensemble")
FAKES = os.path.join(ROOT, "tests", "fakes")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
ADMIN = ("delivery-admin@example.org", "delivery admin password 42")

# Fast retries and polling so that fault tests end in seconds.
FAST = {
    "ENSEMBLE_OUTBOX_POLL_INTERVAL_MS": "50",
    "ENSEMBLE_OUTBOX_BASE_DELAY_S": "1",
    "ENSEMBLE_OUTBOX_MAX_DELAY_S": "1",
    "ENSEMBLE_OUTBOX_LEASE_S": "10",
    "ENSEMBLE_REMINDERS_CHECK_INTERVAL_S": "1",
    "ENSEMBLE_RATE_LIMITS_LOGIN_PER_MINUTE_PER_IP": "0",
    "ENSEMBLE_RATE_LIMITS_LOGIN_PER_HOUR_PER_ACCOUNT": "0",
    "ENSEMBLE_RATE_LIMITS_REGISTRATION_PER_MINUTE_PER_IP": "0",
    "ENSEMBLE_LOG_ACCESS_LOG": "off",
    "ENSEMBLE_LOG_LEVEL": "warn",
}


def wait_for(predicate, timeout=20, interval=0.1, what="condition"):
    """Polls until predicate() is truthy; returns its value or fails the test with `what`."""
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(interval)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Fake:
    """One fake service (sendgrid_fake.py, postmark_fake.py, zoom_fake.py, smtp_sink.py)."""

    def __init__(self, script, *args):
        self.proc = subprocess.Popen([PYTHON, os.path.join(FAKES, script)] + list(args), stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError("%s did not start: %r" % (script, line))
        self.port = int(line.split()[1])
        self.url = "http://127.0.0.1:%d" % self.port

    def call(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            data = json.dumps(body).encode() if body is not None else None
            conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
            res = conn.getresponse()
            return json.loads(res.read() or b"{}")
        finally:
            conn.close()

    def received(self):
        return self.call("GET", "/_received")["requests"]

    def control(self, mode, count=-1, **extra):
        body = {"mode": mode, "count": count}
        body.update(extra)
        self.call("POST", "/_control", body)

    def reset(self):
        self.call("POST", "/_reset", {})

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<Response %d %r>" % (self.status, self.body[:300])


class Server:
    """The real ensemble binary on a free port with a temporary SQLite database and mail folder."""

    def __init__(self, env=None, postgres=False):
        self.tmp = tempfile.mkdtemp(prefix="ensemble-delivery-")
        self.port = free_port()
        self.db_path = os.path.join(self.tmp, "ensemble.db")
        self.pg_name = None
        database = "sqlite:" + self.db_path
        if postgres:
            self.pg_name = "ens_deliv_http_" + uuid.uuid4().hex[:10]
            psql(pg_admin_url(), "CREATE DATABASE " + self.pg_name)
            database = pg_database_url(self.pg_name)
        self.mail_dir = os.path.join(self.tmp, "mail")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ENSEMBLE_")}
        self.env.update(FAST)
        self.env.update({
            "ENSEMBLE_LISTEN": "127.0.0.1:%d" % self.port,
            "ENSEMBLE_DATABASE": database,
            "ENSEMBLE_DATA_DIR": os.path.join(self.tmp, "data"),
            "ENSEMBLE_MAIL_DIR": self.mail_dir,
            "ENSEMBLE_PUBLIC_URL": "http://127.0.0.1:%d" % self.port,
            "ENSEMBLE_MAIL_FROM": "Équipe Ensemble <events@summit.example.org>",
        })
        self.env.update(env or {})
        self.proc = None
        self.token = None
        self.runs = 0

    def start(self):
        if self.token is None:
            out = subprocess.run([BIN, "user", "add", "--email", ADMIN[0], "--name", "Admin", "--role", "admin", "--password-stdin"],
                                 input=ADMIN[1] + "\n", capture_output=True, text=True, env=self.env, cwd=ROOT, timeout=60)
            if out.returncode != 0:
                raise RuntimeError("user add failed: " + out.stderr)
        self.runs += 1
        self.log_path = os.path.join(self.tmp, "server-%d.log" % self.runs)
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen([BIN, "serve"], env=self.env, cwd=ROOT, stdout=self.log_file, stderr=self.log_file)
        deadline = time.time() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited: " + self.log())
            try:
                if self.request("GET", "/healthz", token="").status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("the server did not start: " + self.log())
            time.sleep(0.05)
        if self.token is None:
            res = self.request("POST", "/api/v1/auth/login", {"email": ADMIN[0], "password": ADMIN[1]}, token="")
            if res.status != 200:
                raise RuntimeError("login failed: %r" % res)
            self.token = res.json()["token"]
        return self

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except (OSError, AttributeError):
            return ""

    def kill(self):
        """SIGKILL: no chance to finish anything."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log_file.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log_file.close()
        if self.pg_name:
            try:
                psql(pg_admin_url(), "DROP DATABASE IF EXISTS " + self.pg_name + " WITH (FORCE)")
            except RuntimeError:
                pass
        if os.environ.get("ENSEMBLE_TEST_KEEP") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)

    def request(self, method, path, body=None, token=None, headers=None, raw=None):
        hdrs = dict(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            hdrs.setdefault("Content-Type", "application/json")
        tok = self.token if token is None else token
        if tok:
            hdrs["Authorization"] = "Bearer " + tok
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            res = conn.getresponse()
            return Response(res.status, res.getheaders(), res.read())
        finally:
            conn.close()

    def create_event(self, publish=True, **overrides):
        res = self.request("POST", "/api/v1/events", event_body(**overrides))
        if res.status != 201:
            raise AssertionError("cannot create the event: %r" % res)
        event = res.json()
        if publish:
            res = self.request("POST", "/api/v1/events/%d/publish" % event["id"])
            if res.status != 200:
                raise AssertionError("cannot publish the event: %r" % res)
            event = res.json()
        return event

    def register(self, event_id, email, name="Amina Diallo", mode="in_person", language="en", **extra):
        body = {"name": name, "email": email, "mode": mode, "language": language, "consent": True}
        body.update(extra)
        res = self.request("POST", "/api/v1/events/%d/registrations" % event_id, body, token="")
        if res.status != 201:
            raise AssertionError("cannot register: %r" % res)
        return res.json()

    def outbox(self, status=""):
        res = self.request("GET", "/api/v1/outbox" + ("?status=" + status if status else ""))
        if res.status != 200:
            raise AssertionError("cannot list the outbox: %r" % res)
        return res.json()["messages"]

    def query(self, sql, params=()):
        if self.pg_name:
            if params:
                raise ValueError("parameters are only for SQLite")
            return [tuple(int(v) if v.lstrip("-").isdigit() else v for v in row)
                    for row in psql(pg_database_url(self.pg_name), sql)]
        import sqlite3
        con = sqlite3.connect(self.db_path, timeout=10)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def wait_outbox_settled(self, timeout=20):
        """Waits until no row is pending or being sent; returns every message."""
        wait_for(lambda: not self.outbox("pending"), timeout, what="the outbox to drain")
        return self.outbox()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


PG_URL = os.environ.get("ENSEMBLE_TEST_PG_URL", "")


def _pg_with_database(url, name):
    base, _, query = url.partition("?")
    return base.rpartition("/")[0] + "/" + name + (("?" + query) if query else "")


def pg_admin_url():
    return os.environ.get("ENSEMBLE_TEST_PG_ADMIN") or _pg_with_database(PG_URL, "postgres")


def pg_database_url(name):
    return _pg_with_database(PG_URL, name)


def psql(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], capture_output=True,
                         text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("psql failed: " + out.stderr)
    return [line.split("|") for line in out.stdout.splitlines() if line]


def iso(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_body(title="Licensing Pathways Summit", fmt="hybrid", provider="manual", starts_in=timedelta(days=30), **extra):
    start = datetime.now(timezone.utc).replace(microsecond=0) + starts_in
    body = {
        "title": {"en": title, "fr": "Sommet : " + title},
        "summary": {"en": "Panels, mentors & licensing advice.", "fr": "Panels, mentors et conseils."},
        "format": fmt,
        "timezone": "America/Toronto",
        "starts_at": iso(start),
        "ends_at": iso(start + timedelta(hours=3)),
        "capacity": {},
        "registration": {"waitlist": True},
        "languages": ["en", "fr"],
    }
    if fmt != "online":
        body["venue"] = {"name": "Toronto Reference Library", "address": "789 Yonge St", "city": "Toronto", "province": "ON",
                         "postal_code": "M4W 2G8"}
        body["capacity"]["in_person"] = 20
    if fmt != "in_person":
        body["capacity"]["online"] = 20
        if provider == "manual":
            body["online"] = {"provider": "manual", "join_url": "https://meet.example.org/room-7", "passcode": "pass-4321"}
        else:
            body["online"] = {"provider": provider, "zoom_type": "meeting"}
    body.update(extra)
    return body


def read_eml(path):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.default)


def mail_files(folder):
    return sorted(glob.glob(os.path.join(folder, "*.eml")))


def mails_to(folder, address):
    return [m for m in (read_eml(p) for p in mail_files(folder)) if address in str(m["To"])]


def parse_ics(text):
    """Unfolds an iCalendar text and returns (lines, properties by name); checks line lengths."""
    assert text.endswith("\r\n"), "iCalendar lines end with CRLF"
    raw_lines = text.split("\r\n")[:-1]
    for line in raw_lines:
        assert len(line.encode("utf-8")) <= 75, "line longer than 75 octets: %r" % line
    unfolded = []
    for line in raw_lines:
        if line.startswith((" ", "\t")):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    props = {}
    for line in unfolded:
        name, _, value = line.partition(":")
        props.setdefault(name.split(";")[0], []).append(value)
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    assert "BEGIN" in props and "VEVENT" in props["BEGIN"]
    return unfolded, props


def signed_webhook(secret, body_bytes, timestamp=None):
    import hashlib
    import hmac
    ts = str(int(time.time()) if timestamp is None else timestamp)
    sig = "v0=" + hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body_bytes, hashlib.sha256).hexdigest()
    return {"x-zm-signature": sig, "x-zm-request-timestamp": ts}
