"""Login, logout and the current account; Bearer and cookie credentials with CSRF; login rate limits."""

import unittest

from tests.http import support


def cookie_of(res):
    for value in res.header_all("Set-Cookie"):
        if value.startswith("ensemble_session="):
            return value
    return None


class AuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        res = cls.server.api.post("/api/v1/users", {"email": "organizer@example.org", "name": "Olu Organizer", "role": "organizer",
                                                    "password": "organizer password 1"})
        assert res.status == 201, res

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def login(self, email=support.ADMIN_EMAIL, password=support.ADMIN_PASSWORD):
        return self.server.anon.post("/api/v1/auth/login", {"email": email, "password": password})

    def test_login_answers_token_csrf_user_and_a_safe_cookie(self):
        res = self.login(email="  ADMIN@Example.org ")
        self.assertEqual(res.status, 200, res)
        body = res.json()
        self.assertTrue(body["token"])
        self.assertTrue(body["csrf_token"])
        self.assertEqual(set(body["user"]) >= {"id", "email", "name", "role"}, True)
        self.assertEqual(body["user"]["email"], support.ADMIN_EMAIL)
        self.assertEqual(body["user"]["role"], "admin")
        self.assertNotIn("password", res.text)
        self.assertNotIn("argon2", res.text)
        cookie = cookie_of(res)
        self.assertIsNotNone(cookie, res.headers)
        attrs = [a.strip().lower() for a in cookie.split(";")]
        self.assertIn("httponly", attrs)
        self.assertIn("samesite=lax", attrs)
        self.assertEqual(cookie.split(";")[0], "ensemble_session=" + body["token"])
        self.assertEqual(res.header("Cache-Control"), "no-store")

    def test_wrong_password_and_unknown_email_look_the_same(self):
        wrong = self.login(password="not the password at all")
        unknown = self.login(email="nobody-here@example.org")
        self.assertEqual(wrong.status, 401)
        self.assertEqual(unknown.status, 401)
        self.assertEqual(wrong.body, unknown.body)
        self.assertEqual(wrong.json()["error"]["code"], "unauthenticated")
        self.assertIsNone(cookie_of(wrong))

    def test_login_needs_both_fields(self):
        res = self.server.anon.post("/api/v1/auth/login", {"email": support.ADMIN_EMAIL})
        self.assertEqual(res.status, 400)
        self.assertIn("password", res.json()["error"]["fields"])

    def test_me_with_bearer_and_cookie(self):
        body = self.login().json()
        me = self.server.anon.get("/api/v1/auth/me", token=body["token"])
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json()["email"], support.ADMIN_EMAIL)
        self.assertEqual(me.json()["role"], "admin")
        by_cookie = self.server.anon.get("/api/v1/auth/me", headers={"Cookie": "theme=dark; ensemble_session=" + body["token"]})
        self.assertEqual(by_cookie.status, 200)
        self.assertEqual(by_cookie.json()["id"], body["user"]["id"])

    def test_no_or_bad_credentials_are_401(self):
        anon = self.server.anon
        for res in [anon.get("/api/v1/auth/me"), anon.get("/api/v1/auth/me", token="ens_s_not-a-real-token"),
                    anon.get("/api/v1/auth/me", headers={"Cookie": "ensemble_session=forged"}),
                    anon.get("/api/v1/auth/me", headers={"Authorization": "Basic YWRtaW46YWRtaW4="}),
                    anon.post("/api/v1/events", support.event_body())]:
            self.assertEqual(res.status, 401, res)
            self.assertEqual(res.json()["error"]["code"], "unauthenticated")

    def test_cookie_writes_need_the_csrf_header(self):
        body = self.login().json()
        cookie = {"Cookie": "ensemble_session=" + body["token"]}
        anon = self.server.anon
        res = anon.post("/api/v1/events", support.event_body(title="Cookie Without CSRF"), headers=cookie)
        self.assertEqual(res.status, 403, res)
        self.assertEqual(res.json()["error"]["code"], "forbidden")
        res = anon.post("/api/v1/events", support.event_body(title="Cookie With Wrong CSRF"),
                        headers=dict(cookie, **{"X-CSRF-Token": "x" + body["csrf_token"]}))
        self.assertEqual(res.status, 403, res)
        other = self.login().json()
        res = anon.post("/api/v1/events", support.event_body(title="Cookie With Another Session CSRF"),
                        headers=dict(cookie, **{"X-CSRF-Token": other["csrf_token"]}))
        self.assertEqual(res.status, 403, res)
        res = anon.post("/api/v1/events", support.event_body(title="Cookie With CSRF"),
                        headers=dict(cookie, **{"X-CSRF-Token": body["csrf_token"]}))
        self.assertEqual(res.status, 201, res)
        # Reads need no CSRF token; Bearer writes need none either.
        self.assertEqual(anon.get("/api/v1/auth/me", headers=cookie).status, 200)
        self.assertEqual(anon.post("/api/v1/events", support.event_body(title="Bearer Write"), token=body["token"]).status, 201)

    def test_logout_ends_the_session(self):
        body = self.login().json()
        res = self.server.anon.post("/api/v1/auth/logout", token=body["token"])
        self.assertEqual(res.status, 204)
        cleared = cookie_of(res)
        self.assertIsNotNone(cleared)
        self.assertIn("max-age=0", cleared.lower())
        self.assertEqual(self.server.anon.get("/api/v1/auth/me", token=body["token"]).status, 401)
        self.assertEqual(self.server.anon.post("/api/v1/auth/logout", token=body["token"]).status, 401)
        # Other sessions of the same account go on.
        self.assertEqual(self.server.api.get("/api/v1/auth/me").status, 200)

    def test_an_organizer_is_forbidden_admin_work(self):
        body = self.login("organizer@example.org", "organizer password 1").json()
        self.assertEqual(body["user"]["role"], "organizer")
        res = self.server.anon.get("/api/v1/users", token=body["token"])
        self.assertEqual(res.status, 403)
        self.assertEqual(res.json()["error"]["code"], "forbidden")
        res = self.server.anon.post("/api/v1/users", {"email": "x@example.org", "name": "X", "role": "admin", "password": "p" * 20},
                                    token=body["token"])
        self.assertEqual(res.status, 403)

    def test_a_disabled_account_is_logged_out_and_cannot_log_in(self):
        res = self.server.api.post("/api/v1/users", {"email": "leaving@example.org", "name": "Leaving", "role": "organizer",
                                                     "password": "leaving password 1"})
        self.assertEqual(res.status, 201)
        uid = res.json()["id"]
        session = self.login("leaving@example.org", "leaving password 1").json()
        self.assertEqual(self.server.api.patch("/api/v1/users/%d" % uid, {"disabled": True}).status, 200)
        self.assertEqual(self.server.anon.get("/api/v1/auth/me", token=session["token"]).status, 401)
        self.assertEqual(self.login("leaving@example.org", "leaving password 1").status, 401)


class SecureCookieTest(unittest.TestCase):
    def test_the_cookie_is_secure_behind_https(self):
        with support.Server(env={"ENSEMBLE_PUBLIC_URL": "https://events.example.org"}) as s:
            res = s.anon.post("/api/v1/auth/login", {"email": support.ADMIN_EMAIL, "password": support.ADMIN_PASSWORD})
            attrs = [a.strip().lower() for a in cookie_of(res).split(";")]
            self.assertIn("secure", attrs)
            self.assertIn("httponly", attrs)


class LoginRateLimitTest(unittest.TestCase):
    def test_too_many_logins_from_one_address_get_429_with_retry_after(self):
        with support.Server(env={"ENSEMBLE_RATE_LIMITS_LOGIN_PER_MINUTE_PER_IP": "5"}) as s:
            statuses = []
            for i in range(8):
                res = s.anon.post("/api/v1/auth/login", {"email": "admin@example.org", "password": "wrong password %d" % i})
                statuses.append(res.status)
            self.assertIn(429, statuses)
            self.assertTrue(all(st == 401 for st in statuses[: statuses.index(429)]), statuses)
            self.assertGreaterEqual(statuses.index(429), 3)  # the server's own login used one token
            limited = res
            self.assertEqual(limited.status, 429)
            self.assertEqual(limited.json()["error"]["code"], "rate_limited")
            self.assertGreaterEqual(int(limited.header("Retry-After")), 1)
            self.assertLessEqual(int(limited.header("Retry-After")), 60)
            # Even the right password is refused until the bucket refills.
            self.assertEqual(s.anon.post("/api/v1/auth/login", {"email": support.ADMIN_EMAIL, "password": support.ADMIN_PASSWORD}).status, 429)

    def test_guessing_one_account_is_limited_per_account(self):
        with support.Server(env={"ENSEMBLE_RATE_LIMITS_LOGIN_PER_HOUR_PER_ACCOUNT": "4"}) as s:
            statuses = [s.anon.post("/api/v1/auth/login", {"email": "Admin@example.org", "password": "guess %d" % i}).status
                        for i in range(6)]
            self.assertEqual(statuses[-1], 429, statuses)


if __name__ == "__main__":
    unittest.main()
