"""Starts the real ensemble binary for black-box HTTP tests and talks to it.

A Server gets a free loopback port, a temporary data directory, a fresh SQLite file (or a new
PostgreSQL database when asked and ENSEMBLE_TEST_PG_URL is set), an admin account made with
`ensemble user add --password-stdin`, and a logged-in session. Nothing outside the standard
library is used.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("ENSEMBLE_BIN") or os.path.join(ROOT, "build", "bin", "ensemble")
PG_URL = os.environ.get("ENSEMBLE_TEST_PG_URL", "")
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "correct horse battery staple"

# Limits that would get in the way of tests not about them; each can be set back per server.
RELAXED = {
    "ENSEMBLE_RATE_LIMITS_LOGIN_PER_MINUTE_PER_IP": "0",
    "ENSEMBLE_RATE_LIMITS_LOGIN_PER_HOUR_PER_ACCOUNT": "0",
    "ENSEMBLE_RATE_LIMITS_REGISTRATION_PER_MINUTE_PER_IP": "0",
}


SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "WARNING: ThreadSanitizer",
                     "ERROR: ThreadSanitizer", "SUMMARY: UndefinedBehaviorSanitizer")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environment(extra=None):
    """The process environment without ENSEMBLE_* settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENSEMBLE_")}
    env.update(extra or {})
    return env


def run_cli(args, env=None, stdin=None, timeout=60):
    return subprocess.run([BIN] + args, input=stdin, capture_output=True, text=True, env=clean_environment(env), cwd=ROOT,
                          timeout=timeout)


# PostgreSQL, through psql (the tests use nothing outside the standard library).

def _pg_with_database(url, name):
    base, _, query = url.partition("?")
    head, _, _ = base.rpartition("/")
    return head + "/" + name + (("?" + query) if query else "")


def pg_admin_url():
    return os.environ.get("ENSEMBLE_TEST_PG_ADMIN") or _pg_with_database(PG_URL, "postgres")


def psql(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], capture_output=True,
                         text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("psql failed: " + out.stderr)
    return [line.split("|") for line in out.stdout.splitlines() if line]


def create_pg_database():
    name = "ens_http_" + uuid.uuid4().hex[:12]
    psql(pg_admin_url(), "CREATE DATABASE " + name)
    return name, _pg_with_database(PG_URL, name)


def drop_pg_database(name):
    try:
        psql(pg_admin_url(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
    except Exception:
        pass


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name, default=None):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return default

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self):
        return self.body.decode("utf-8")

    def __repr__(self):
        return "<Response %d %r>" % (self.status, self.body[:300])


class Client:
    """HTTP/1.1 to one server; a new connection per request unless `conn` is given."""

    def __init__(self, port, token=None):
        self.port = port
        self.token = token

    def request(self, method, path, body=None, headers=None, token=None, raw=None, content_type="application/json", timeout=30):
        hdrs = dict(headers or {})
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode("utf-8")
        if data is not None and content_type and "Content-Type" not in hdrs:
            hdrs["Content-Type"] = content_type
        tok = token if token is not None else self.token
        if tok and "Authorization" not in hdrs:
            hdrs["Authorization"] = "Bearer " + tok
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            res = conn.getresponse()
            return Response(res.status, res.getheaders(), res.read())
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


class Server:
    """One running ensemble process with its own data; use as a context manager or start()/stop()."""

    def __init__(self, env=None, database="sqlite", web_root=None, relaxed=True, database_url=None, login=True):
        self.port = free_port()
        self.tmp = tempfile.mkdtemp(prefix="ensemble-http-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.sqlite_path = None
        self.pg_name = None
        self.owns_pg = False
        if database_url:
            self.database_url = database_url
        elif database == "postgresql":
            if not PG_URL:
                raise RuntimeError("ENSEMBLE_TEST_PG_URL is not set")
            self.pg_name, self.database_url = create_pg_database()
            self.owns_pg = True
        else:
            self.sqlite_path = os.path.join(self.tmp, "ensemble.db")
            self.database_url = "sqlite:" + self.sqlite_path
        self.env = {
            "ENSEMBLE_LISTEN": "127.0.0.1:%d" % self.port,
            "ENSEMBLE_DATABASE": self.database_url,
            "ENSEMBLE_DATA_DIR": self.data_dir,
            "ENSEMBLE_MAIL_DIR": os.path.join(self.tmp, "mail"),
            "ENSEMBLE_PUBLIC_URL": "http://127.0.0.1:%d" % self.port,
            "ENSEMBLE_LOG_ACCESS_LOG": "off",
            "ENSEMBLE_LOG_LEVEL": "warn",
        }
        if relaxed:
            self.env.update(RELAXED)
        if web_root:
            self.env["ENSEMBLE_WEB_ROOT"] = web_root
        self.env.update(env or {})
        self.want_login = login
        self.proc = None
        self.token = None
        self.csrf = None
        self.client = Client(self.port)

    # Lifecycle.

    def add_admin(self):
        out = run_cli(["user", "add", "--email", ADMIN_EMAIL, "--name", "Admin", "--role", "admin", "--password-stdin"],
                      env=self.env, stdin=ADMIN_PASSWORD + "\n")
        if out.returncode != 0 and "exists" not in out.stderr:
            raise RuntimeError("user add failed: " + out.stderr)

    def start(self, add_admin=True):
        if add_admin:
            self.add_admin()
        self._close_logs()  # a restart appends to the same logs
        self.stdout = open(os.path.join(self.tmp, "stdout.log"), "ab")
        self.stderr = open(os.path.join(self.tmp, "stderr.log"), "ab")
        self.proc = subprocess.Popen([BIN, "serve"], env=clean_environment(self.env), cwd=ROOT, stdout=self.stdout, stderr=self.stderr)
        deadline = time.time() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited with %s: %s" % (self.proc.returncode, self.log()))
            try:
                if Client(self.port).get("/healthz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("the server did not answer /healthz: " + self.log())
            time.sleep(0.05)
        if add_admin and self.want_login:
            self.login()
        return self

    def login(self):
        res = self.client.post("/api/v1/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        if res.status != 200:
            raise RuntimeError("login failed: %r" % res)
        body = res.json()
        self.token = body["token"]
        self.csrf = body["csrf_token"]
        self.client.token = self.token
        return body

    def log(self):
        try:
            with open(os.path.join(self.tmp, "stderr.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except OSError:
            return ""

    def terminate(self, timeout=15):
        """SIGTERM and wait; returns the exit code (None when it had to be killed)."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def _close_logs(self):
        for name in ("stdout", "stderr"):
            f = getattr(self, name, None)
            if f:
                f.close()
                setattr(self, name, None)

    def sanitizer_reports(self):
        """Reports of ASan, LSan, UBSan or TSan in the server's stderr (the sanitizer builds print
        them there and may go on running, or report leaks only at exit)."""
        try:
            with open(os.path.join(self.tmp, "stderr.log"), "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return []
        lines = text.splitlines()
        first = next((i for i, line in enumerate(lines) if any(marker in line for marker in SANITIZER_MARKERS)), None)
        return [] if first is None else lines[first:first + 80]

    def stop(self):
        self.terminate()
        self._close_logs()
        reports = self.sanitizer_reports()
        if self.owns_pg:
            drop_pg_database(self.pg_name)
        shutil.rmtree(self.tmp, ignore_errors=True)
        if reports:
            raise AssertionError("the server's sanitizer reported:\n" + "\n".join(reports))

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # Requests as the admin (Bearer), or anonymously with anon.

    @property
    def api(self):
        return self.client

    @property
    def anon(self):
        return Client(self.port, token=None)

    def create_event(self, body=None, publish=True, **overrides):
        body = dict(body or event_body(**overrides))
        res = self.client.post("/api/v1/events", body)
        if res.status != 201:
            raise AssertionError("cannot create the event: %r" % res)
        event = res.json()
        if publish:
            res = self.client.post("/api/v1/events/%d/publish" % event["id"])
            if res.status != 200:
                raise AssertionError("cannot publish the event: %r" % res)
            event = res.json()
        return event

    def register(self, event_ref, name="Amina Diallo", email=None, mode="in_person", headers=None, **fields):
        body = {"name": name, "email": email or ("p-%s@example.org" % uuid.uuid4().hex[:10]), "mode": mode, "language": "en",
                "consent": True, "answers": {"profession": "Nurse"}}
        body.update(fields)
        return self.anon.post("/api/v1/events/%s/registrations" % event_ref, body, headers=headers)

    # Reading the database behind the API.

    def query(self, sql, params=()):
        if self.sqlite_path:
            import sqlite3
            con = sqlite3.connect(self.sqlite_path, timeout=10)
            try:
                return [list(r) for r in con.execute(sql, params).fetchall()]
            finally:
                con.close()
        if params:
            raise ValueError("parameters are only for SQLite")
        return [[_pg_value(v) for v in row] for row in psql(self.database_url, sql)]


def _pg_value(v):
    try:
        return int(v)
    except ValueError:
        return v


def iso(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_body(title="Hybrid Seminar on Licensing", in_person=50, online=50, waitlist=True, days=30, fmt="hybrid", **extra):
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days)
    body = {
        "title": {"en": title, "fr": "Séminaire : " + title},
        "summary": {"en": "Panels, mentors and licensing advice.", "fr": "Panels, mentors et conseils."},
        "description": {"en": "**Welcome.** Bring your credentials.", "fr": "**Bienvenue.**"},
        "format": fmt,
        "timezone": "America/Toronto",
        "starts_at": iso(start),
        "ends_at": iso(start + timedelta(hours=3)),
        "capacity": {},
        "registration": {"waitlist": waitlist},
        "languages": ["en", "fr"],
        "questions": [
            {"id": "profession", "label": {"en": "Profession", "fr": "Profession"}, "type": "text", "required": True},
            {"id": "province", "label": {"en": "Province"}, "type": "choice",
             "options": [{"id": "on", "label": {"en": "Ontario"}}, {"id": "qc", "label": {"en": "Quebec", "fr": "Québec"}}]},
        ],
    }
    if fmt != "online":
        body["venue"] = {"name": "Toronto Reference Library", "address": "789 Yonge St", "city": "Toronto", "province": "ON",
                         "postal_code": "M4W 2G8"}
        body["capacity"]["in_person"] = in_person
    if fmt != "in_person":
        body["capacity"]["online"] = online
        body["online"] = {"provider": "manual", "join_url": "https://zoom.us/j/5550001111?pwd=SECRETPWD", "passcode": "pass-4321"}
    body.update(extra)
    return body


def in_threads(n, fn):
    """Runs fn(i) for i in range(n) in n threads started together; returns the results in order."""
    results = [None] * n
    errors = []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def contains_key(value, key):
    if isinstance(value, dict):
        return key in value or any(contains_key(v, key) for v in value.values())
    if isinstance(value, list):
        return any(contains_key(v, key) for v in value)
    return False
