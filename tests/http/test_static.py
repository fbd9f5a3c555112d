"""Static files: content types, ETag and 304, and nothing outside the web root or hidden is ever served."""

import os
import shutil
import socket
import tempfile
import unittest

from tests.http import support

SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT"


def raw_get(port, target):
    """GET with the target sent exactly as written (no client-side normalisation)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % target).encode("latin-1"))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


class StaticFilesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.base = tempfile.mkdtemp(prefix="ensemble-web-")
        web = os.path.join(cls.base, "web")
        files = {
            "index.html": "<!doctype html><title>Ensemble</title>",
            "404.html": "<!doctype html><title>Not here</title>",
            "event.html": "<!doctype html><title>Event</title>",
            "js/app.js": "export const ready = true;\n",
            "js/module.mjs": "export default 1;\n",
            "css/site.css": "body { font-family: sans-serif; }\n",
            "img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "data/strings.json": '{"hello": "bonjour"}',
            ".env": "SECRET=" + SECRET,
            "js/.hidden.js": SECRET,
            "package.json": '{"secret": "%s"}' % SECRET,
            "notes.md": SECRET,
            "node_modules/chart.js/dist/chart.umd.js": "/* chart */",
            "node_modules/chart.js/package.json": SECRET,
        }
        for name, text in files.items():
            path = os.path.join(web, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        with open(os.path.join(cls.base, "secret.txt"), "w") as f:
            f.write(SECRET)
        with open(os.path.join(cls.base, "secret.js"), "w") as f:
            f.write(SECRET)
        os.symlink(os.path.join(cls.base, "secret.txt"), os.path.join(web, "link.txt"))
        os.symlink(os.path.join(cls.base, "secret.js"), os.path.join(web, "js", "link.js"))
        cls.server = support.Server(web_root=web).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.base, ignore_errors=True)

    def test_content_types(self):
        expected = {"/index.html": "text/html; charset=utf-8", "/js/app.js": "text/javascript; charset=utf-8",
                    "/js/module.mjs": "text/javascript; charset=utf-8", "/css/site.css": "text/css; charset=utf-8",
                    "/img/logo.svg": "image/svg+xml", "/data/strings.json": "application/json; charset=utf-8"}
        for path, ctype in expected.items():
            res = self.server.anon.get(path)
            self.assertEqual(res.status, 200, path)
            self.assertEqual(res.header("Content-Type"), ctype, path)
            self.assertEqual(res.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(self.server.anon.get("/").text, "<!doctype html><title>Ensemble</title>")
        self.assertEqual(self.server.anon.get("/events/some-slug").text, "<!doctype html><title>Event</title>")

    def test_etag_and_304(self):
        res = self.server.anon.get("/js/app.js")
        etag = res.header("ETag")
        self.assertTrue(etag and etag.startswith('"') and etag.endswith('"'), etag)
        again = self.server.anon.get("/js/app.js", headers={"If-None-Match": etag})
        self.assertEqual(again.status, 304)
        self.assertEqual(again.body, b"")
        other = self.server.anon.get("/js/app.js", headers={"If-None-Match": '"something-else"'})
        self.assertEqual(other.status, 200)
        head = self.server.anon.request("HEAD", "/js/app.js")
        self.assertEqual(head.status, 200)
        self.assertEqual(head.body, b"")
        self.assertEqual(int(head.header("Content-Length")), len(res.body))

    def test_unknown_pages_get_the_404_page(self):
        res = self.server.anon.get("/no/such/page")
        self.assertEqual(res.status, 404)
        self.assertIn("Not here", res.text)
        res = self.server.anon.get("/api/v1/no/such/thing")
        self.assertEqual(res.status, 404)
        self.assertEqual(res.json()["error"]["code"], "not_found")

    def test_no_traversal_hidden_or_internal_files(self):
        targets = ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/js/../../secret.txt", "/js/%2e%2e/%2e%2e/secret.txt",
                   "/..%2fsecret.txt", "/js%2f..%2f..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "//etc/passwd", "/%2fetc%2fpasswd",
                   "/..%5csecret.txt", "/.env", "/%2eenv", "/js/.hidden.js", "/link.txt", "/js/link.js", "/package.json",
                   "/notes.md", "/node_modules/chart.js/package.json", "/index.html%00.js",
                   "/vendor/chart.js/dist/../../../secret.js", "/vendor/chart.js/dist/%2e%2e/%2e%2e/%2e%2e/secret.js",
                   "/vendor/chart.js/package.json", "/vendor/chart.js/dist/..%2f..%2f..%2fsecret.js"]
        for target in targets:
            status, data = raw_get(self.server.port, target)
            self.assertIn(status, (400, 404), target)
            self.assertNotIn(SECRET.encode(), data, target)
            self.assertNotIn(b"root:", data, target)
        status, data = raw_get(self.server.port, "/vendor/chart.js/dist/chart.umd.js")
        self.assertEqual(status, 200)
        self.assertIn(b"/* chart */", data)


if __name__ == "__main__":
    unittest.main()
