"""config/ensemble.example.json documents every setting with its default, and the server starts with it.

The settings are derived from the code: every `take(root, "/...")` of load_config in
server/config.cpp, with the defaults written in the structs of server/config.hpp.
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from tests.http import support

ROOT = support.ROOT
EXAMPLE = os.path.join(ROOT, "config", "ensemble.example.json")


def loader_settings():
    """JSON pointers of every setting load_config reads ("/http/read_timeout_s")."""
    with open(os.path.join(ROOT, "server", "config.cpp"), encoding="utf-8") as f:
        return re.findall(r"take\(root,\s*\"(/[^\"]+)\"", f.read())


def env_aliases():
    """The extra variable names of load_config's aliases[] table."""
    with open(os.path.join(ROOT, "server", "config.cpp"), encoding="utf-8") as f:
        return set(re.findall(r"\{\"(ENSEMBLE_[A-Z0-9_]+)\",\s*\"/", f.read()))


def _literal(text, type_name):
    """The Python value of a C++ default initializer, or None when it is not a plain literal."""
    text = text.strip()
    if text.startswith('"') and text.endswith('"'):
        return json.loads(text)
    if text in ("true", "false"):
        return text == "true"
    arithmetic = re.compile(r"^[\d\s*+\-/()]+$")
    if arithmetic.match(text):
        return int(eval(text, {"__builtins__": {}}))  # noqa: S307 - digits and operators only
    if text.startswith("{") and text.endswith("}"):
        parts = [p for p in text[1:-1].split(",") if p.strip()]
        if all(arithmetic.match(p) for p in parts):
            return [int(eval(p, {"__builtins__": {}})) for p in parts]  # noqa: S307
    return None


def code_defaults():
    """Defaults of the settings structs of server/config.hpp, by JSON pointer (where they are literals)."""
    with open(os.path.join(ROOT, "server", "config.hpp"), encoding="utf-8") as f:
        header = f.read()
    structs = {}
    for name, body in re.findall(r"struct (\w+) \{(.*?)\n\};", header, re.S):
        members = {}
        for line in body.splitlines():
            line = re.sub(r"\s*//[^\"]*$", "", line).strip()
            if not line.endswith(";") or "(" in line:
                continue
            m = re.match(r"^([\w:<>, ]+?)\s+(\w+)(?:\s*=\s*(.+))?;$", line)
            if not m:
                continue
            type_name, member, init = m.groups()
            if init is not None:
                members[member] = _literal(init, type_name)
            elif type_name == "std::string":
                members[member] = ""
            elif type_name.startswith("std::vector"):
                members[member] = []
            else:
                members[member] = None
        structs[name] = members
    defaults = {}
    groups = {}
    for member, value in structs.get("config", {}).items():
        defaults["/" + member] = value
    for line in re.search(r"struct config \{(.*?)\n\};", header, re.S).group(1).splitlines():
        m = re.match(r"^\s*(\w+_settings)\s+(\w+);", line)
        if m:
            groups[m.group(1)] = m.group(2)
    for struct, group in groups.items():
        for member, value in structs.get(struct, {}).items():
            defaults["/" + group + "/" + member] = value
    return defaults


def example_leaves(node, pointer=""):
    """(pointer, value) of every setting of the example, comments (keys starting with '_') left out."""
    for key, value in node.items():
        if key.startswith("_"):
            continue
        if isinstance(value, dict):
            yield from example_leaves(value, pointer + "/" + key)
        else:
            yield pointer + "/" + key, value


def env_name(pointer):
    return "ENSEMBLE" + pointer.upper().replace("/", "_")


class ExampleConfig(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(EXAMPLE, encoding="utf-8") as f:
            cls.example = json.load(f)
        cls.leaves = dict(example_leaves(cls.example))

    def test_the_setting_scan_finds_the_settings(self):
        settings = loader_settings()
        self.assertGreater(len(settings), 50, "load_config's take() calls were not found; has it changed shape?")
        self.assertIn("/http/read_timeout_s", settings)

    def test_every_setting_is_in_the_example_and_nothing_else(self):
        settings = set(loader_settings())
        self.assertEqual(sorted(settings - set(self.leaves)), [], "settings missing from config/ensemble.example.json")
        self.assertEqual(sorted(set(self.leaves) - settings), [], "keys of the example that are not settings")

    def test_the_example_gives_the_defaults(self):
        defaults = code_defaults()
        checked = 0
        for pointer in loader_settings():
            default = defaults.get(pointer)
            if default is None:
                continue
            checked += 1
            with self.subTest(setting=pointer):
                self.assertEqual(self.leaves.get(pointer), default)
        self.assertGreater(checked, 50, "the defaults of server/config.hpp were not found")

    def test_every_setting_has_a_comment_naming_its_variable(self):
        def check(node, pointer):
            if pointer:
                self.assertIn("_comment", node, "group %s has no _comment" % pointer)
            for key, value in node.items():
                if key.startswith("_"):
                    continue
                if isinstance(value, dict):
                    check(value, pointer + "/" + key)
                    continue
                with self.subTest(setting=pointer + "/" + key):
                    comment = node.get("_" + key)
                    self.assertIsInstance(comment, str, "no _%s comment beside it" % key)
                    self.assertIn(env_name(pointer + "/" + key), comment)

        check(self.example, "")

    def test_the_environment_example_names_only_real_variables(self):
        known = {env_name(p) for p in loader_settings()} | env_aliases()
        self.assertIn("ENSEMBLE_SMTP_PASSWORD", known)
        with open(os.path.join(ROOT, "config", "ensemble.env.example"), encoding="utf-8") as f:
            names = re.findall(r"^#?(ENSEMBLE_[A-Z0-9_]+)=", f.read(), re.M)
        self.assertGreater(len(names), 10)
        for name in names:
            with self.subTest(variable=name):
                self.assertIn(name[:-5] if name.endswith("_FILE") else name, known)

    # The server loads it.

    def start(self, config_path, tmp):
        port = support.free_port()
        env = {
            "ENSEMBLE_DATA_DIR": os.path.join(tmp, "data"),
            "ENSEMBLE_MAIL_DIR": os.path.join(tmp, "mail"),
            "ENSEMBLE_LOG_ACCESS_LOG": "off",
        }
        log = open(os.path.join(tmp, "stderr.log"), "wb")
        self.addCleanup(log.close)
        proc = subprocess.Popen([support.BIN, "serve", "--config", config_path, "--listen", "127.0.0.1:%d" % port, "--database",
                                 "sqlite:" + os.path.join(tmp, "ensemble.db")],
                                env=support.clean_environment(env), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)

        def stop():
            if proc.poll() is None:
                proc.kill()
                proc.wait()

        self.addCleanup(stop)
        deadline = time.time() + 30
        while True:
            if proc.poll() is not None:
                with open(os.path.join(tmp, "stderr.log"), "rb") as f:
                    self.fail("the server exited with %s: %s" % (proc.returncode, f.read().decode("utf-8", "replace")[-2000:]))
            try:
                if support.Client(port).get("/healthz", timeout=2).status == 200:
                    return proc, port
            except (OSError, http.client.HTTPException):
                pass
            self.assertLess(time.time(), deadline, "the server did not answer /healthz")
            time.sleep(0.05)

    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(15), 0, "the server should stop cleanly on SIGTERM")

    def temp_dir(self):
        tmp = tempfile.mkdtemp(prefix="ensemble-config-")
        self.addCleanup(shutil.rmtree, tmp, True)
        return tmp

    def test_the_server_starts_with_the_example(self):
        self.assertTrue(os.path.exists(support.BIN), "no server binary at %s (make build)" % support.BIN)
        tmp = self.temp_dir()
        proc, port = self.start(EXAMPLE, tmp)
        client = support.Client(port)
        self.assertEqual(client.get("/api/v1/events").status, 200)
        # No webhook secret in the example: the Zoom endpoint is off.
        self.assertEqual(client.post("/api/v1/integrations/zoom/webhook", {"event": "x"}).status, 404)
        self.stop(proc)

    def test_a_secret_file_key_as_the_example_describes(self):
        self.assertTrue(os.path.exists(support.BIN), "no server binary at %s (make build)" % support.BIN)
        tmp = self.temp_dir()
        secret = os.path.join(tmp, "zoom-webhook-secret")
        with open(secret, "w") as f:
            f.write("s3cret-webhook-token\n")
        os.chmod(secret, 0o600)
        config = json.loads(json.dumps(self.example))
        config["zoom"]["webhook_secret_file"] = secret
        del config["zoom"]["webhook_secret"]
        path = os.path.join(tmp, "ensemble.json")
        with open(path, "w") as f:
            json.dump(config, f)
        proc, port = self.start(path, tmp)
        # The secret was read: the endpoint exists and checks signatures.
        res = support.Client(port).post("/api/v1/integrations/zoom/webhook", {"event": "x"})
        self.assertEqual(res.status, 401, res)
        self.stop(proc)


if __name__ == "__main__":
    unittest.main()
