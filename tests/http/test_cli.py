"""The command line: migrate, user add and its errors, bad settings, and which address and database win."""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest

from tests.http import support


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ensemble-cli-")
        self.db = os.path.join(self.tmp, "cli.db")
        self.url = "sqlite:" + self.db

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def tables(self, path):
        con = sqlite3.connect(path)
        try:
            return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()

    def test_migrate_creates_the_schema_and_is_idempotent(self):
        out = support.run_cli(["migrate", "--database", self.url])
        self.assertEqual(out.returncode, 0, out.stderr)
        tables = self.tables(self.db)
        for t in ("users", "events", "seat_pools", "registrations", "outbox", "schema_migrations"):
            self.assertIn(t, tables)
        again = support.run_cli(["migrate", "--database", self.url])
        self.assertEqual(again.returncode, 0, again.stderr)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0],
                         con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0])
        con.close()
        # ENSEMBLE_DATABASE works as well as the flag.
        other = os.path.join(self.tmp, "env.db")
        out = support.run_cli(["migrate"], env={"ENSEMBLE_DATABASE": "sqlite:" + other})
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("users", self.tables(other))

    def test_user_add_creates_an_account_that_can_log_in(self):
        out = support.run_cli(["user", "add", "--email", "Chair@Example.org", "--name", "Summit Chair", "--role", "organizer",
                               "--password-stdin", "--database", self.url], stdin="a long enough password\n")
        self.assertEqual(out.returncode, 0, out.stderr)
        con = sqlite3.connect(self.db)
        email, role, hashed = con.execute("SELECT email, role, password_hash FROM users").fetchone()
        con.close()
        self.assertEqual((email, role), ("chair@example.org", "organizer"))
        self.assertTrue(hashed.startswith("$argon2id$"))
        with open(self.db, "rb") as f:
            self.assertNotIn(b"a long enough password", f.read())
        with support.Server(database_url=self.url, login=False) as s:
            res = s.anon.post("/api/v1/auth/login", {"email": "chair@example.org", "password": "a long enough password"})
            self.assertEqual(res.status, 200)
            self.assertEqual(res.json()["user"]["role"], "organizer")

    def test_user_add_errors(self):
        base = ["user", "add", "--email", "x@example.org", "--name", "X", "--role", "admin", "--database", self.url]
        out = support.run_cli(base, stdin="a long enough password\n")  # no --password-stdin
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("--password-stdin", out.stderr)
        out = support.run_cli(base + ["--password-stdin"], stdin="short\n")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("password", out.stderr)
        out = support.run_cli(["user", "add", "--email", "not-an-email", "--name", "X", "--role", "admin", "--password-stdin",
                               "--database", self.url], stdin="a long enough password\n")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("email", out.stderr)
        out = support.run_cli(["user", "add", "--email", "y@example.org", "--name", "Y", "--role", "superuser", "--password-stdin",
                               "--database", self.url], stdin="a long enough password\n")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("role", out.stderr)
        out = support.run_cli(["user", "add", "--email", "z@example.org", "--role", "admin", "--password-stdin", "--database", self.url],
                              stdin="a long enough password\n")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("name", out.stderr)
        ok = support.run_cli(base + ["--password-stdin"], stdin="a long enough password\n")
        self.assertEqual(ok.returncode, 0, ok.stderr)
        dup = support.run_cli(["user", "add", "--email", "X@EXAMPLE.ORG", "--name", "X", "--role", "admin", "--password-stdin",
                               "--database", self.url], stdin="another long password\n")
        self.assertNotEqual(dup.returncode, 0)
        self.assertIn("exists", dup.stderr)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT COUNT(*) FROM users").fetchone()[0], 1)
        con.close()

    def test_unknown_commands_and_missing_values(self):
        self.assertNotEqual(support.run_cli(["frobnicate"]).returncode, 0)
        self.assertNotEqual(support.run_cli([]).returncode, 0)
        out = support.run_cli(["serve", "--listen"])
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("--listen", out.stderr)

    def test_a_bad_setting_is_named_and_the_server_does_not_start(self):
        cases = [({"ENSEMBLE_HTTP_READ_TIMEOUT_S": "soon"}, None, "http.read_timeout_s"),
                 ({"ENSEMBLE_EMAIL_PROVIDER": "pigeon"}, None, "email.provider"),
                 ({"ENSEMBLE_LISTEN": "no-port-here"}, None, "listen"),
                 ({"ENSEMBLE_DATABASE": "mysql://db/x"}, None, "database"),
                 ({}, {"io_threads": 0}, "io_threads"),
                 ({}, {"http": {"body_limit_bytes": "big"}}, "http.body_limit_bytes"),
                 ({}, {"no_such_setting": 1}, "no_such_setting")]
        for env, file_settings, name in cases:
            args = ["serve", "--database", self.url, "--listen", "127.0.0.1:%d" % support.free_port()]
            if file_settings is not None:
                path = os.path.join(self.tmp, "bad.json")
                with open(path, "w") as f:
                    json.dump(file_settings, f)
                args += ["--config", path]
            out = support.run_cli(args, env=env, timeout=20)
            self.assertNotEqual(out.returncode, 0, name)
            self.assertIn(name, out.stderr, out.stderr)
        self.assertFalse(os.path.exists(self.db))  # nothing was started

    def wait_for_port(self, port, proc):
        deadline = time.time() + 20
        while time.time() < deadline:
            if proc.poll() is not None:
                return False
            try:
                if support.Client(port).get("/healthz", timeout=1).status == 200:
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def serve(self, args, env):
        env = dict(env)
        env.setdefault("ENSEMBLE_DATA_DIR", os.path.join(self.tmp, "data"))
        env.setdefault("ENSEMBLE_LOG_ACCESS_LOG", "off")
        return subprocess.Popen([support.BIN, "serve"] + args, env=support.clean_environment(env), cwd=support.ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def test_flags_override_the_file_and_environment_overrides_flags(self):
        file_port, flag_port, env_port = support.free_port(), support.free_port(), support.free_port()
        file_db, flag_db, env_db = (os.path.join(self.tmp, n) for n in ("file.db", "flag.db", "env.db"))
        config = os.path.join(self.tmp, "ensemble.json")
        with open(config, "w") as f:
            json.dump({"listen": "127.0.0.1:%d" % file_port, "database": "sqlite:" + file_db}, f)

        proc = self.serve(["--config", config, "--listen", "127.0.0.1:%d" % flag_port, "--database", "sqlite:" + flag_db], {})
        try:
            self.assertTrue(self.wait_for_port(flag_port, proc))
            self.assertTrue(os.path.exists(flag_db))
            self.assertFalse(os.path.exists(file_db))
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(15), 0)

        proc = self.serve(["--config", config, "--listen", "127.0.0.1:%d" % flag_port, "--database", "sqlite:" + flag_db],
                          {"ENSEMBLE_LISTEN": "127.0.0.1:%d" % env_port, "ENSEMBLE_DATABASE": "sqlite:" + env_db})
        try:
            self.assertTrue(self.wait_for_port(env_port, proc))
            self.assertTrue(os.path.exists(env_db))
            with self.assertRaises(OSError):
                support.Client(flag_port).get("/healthz", timeout=1)
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(15), 0)

        proc = self.serve(["--config", config], {})
        try:
            self.assertTrue(self.wait_for_port(file_port, proc))
            self.assertTrue(os.path.exists(file_db))
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(15), 0)


if __name__ == "__main__":
    unittest.main()
