"""Shared plumbing of the fake external services: a threaded HTTP server that records what it
receives and can be told to misbehave.

Control endpoints (on every fake):
  GET  /_received           -> {"requests": [...]} every request recorded, oldest first
  POST /_reset              -> forgets what was received and goes back to normal
  POST /_control {"mode": "ok"|"fail"|"429"|"slow"|"drop", "count": N, "status": 500,
                  "retry_after": "2", "delay": 3.0}
        the next N requests of the service (count -1: until told otherwise) fail that way:
        fail answers `status` (default 500), 429 answers 429 with Retry-After, slow waits
        `delay` seconds before answering normally, drop closes the connection without answer.
The fake prints "PORT <n>" on its first line of output once it listens (port 0 picks a free one).
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.mode = "ok"
        self.count = 0
        self.status = 500
        self.retry_after = "1"
        self.delay = 2.0

    def take_fault(self):
        """The fault the next request meets, or None."""
        with self.lock:
            if self.mode == "ok" or self.count == 0:
                return None
            if self.count > 0:
                self.count -= 1
            return {"mode": self.mode, "status": self.status, "retry_after": self.retry_after, "delay": self.delay}


class FakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set per fake

    def log_message(self, fmt, *args):  # quiet
        pass

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status, body=None, headers=None):
        data = b""
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def control(self, method, body):
        st = self.state
        if self.path == "/_received" and method == "GET":
            with st.lock:
                self.reply(200, {"requests": list(st.requests)})
            return True
        if self.path == "/_reset" and method == "POST":
            with st.lock:
                st.requests.clear()
                st.mode, st.count = "ok", 0
            self.reply(200, {"ok": True})
            return True
        if self.path == "/_control" and method == "POST":
            cmd = json.loads(body or b"{}")
            with st.lock:
                st.mode = cmd.get("mode", "ok")
                st.count = int(cmd.get("count", -1))
                st.status = int(cmd.get("status", 500))
                st.retry_after = str(cmd.get("retry_after", "1"))
                st.delay = float(cmd.get("delay", 2.0))
            self.reply(200, {"ok": True})
            return True
        return False

    def record(self, method, body, **extra):
        entry = {"method": method, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                 "body": body.decode("utf-8", "replace"), "at": time.time()}
        entry.update(extra)
        with self.state.lock:
            self.state.requests.append(entry)

    def dispatch(self, method):
        body = self.read_body()
        if self.path.startswith("/_"):
            if not self.control(method, body):
                self.reply(404, {"message": "unknown control path"})
            return
        fault = self.state.take_fault()
        if fault:
            if fault["mode"] == "drop":
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass
                return
            if fault["mode"] == "fail":
                self.reply(fault["status"], {"code": fault["status"], "message": "fake failure"})
                return
            if fault["mode"] == "429":
                self.reply(429, {"code": 429, "message": "Too many requests"}, {"Retry-After": fault["retry_after"]})
                return
            if fault["mode"] == "slow":
                time.sleep(fault["delay"])
        self.handle_api(method, body)

    def handle_api(self, method, body):  # overridden
        self.reply(404, {"message": "not found"})

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")


def serve(handler_class, port):
    handler_class.state = State()
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_class)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def port_argument():
    args = sys.argv[1:]
    if "--port" in args:
        return int(args[args.index("--port") + 1])
    return 0


def option(name, default=""):
    args = sys.argv[1:]
    if name in args:
        return args[args.index(name) + 1]
    return default
