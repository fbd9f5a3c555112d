"""Delivered mail is real MIME in the attendee's language, with the ticket and calendar attached;
the file and SMTP providers; the organizer's outbox view."""

import os
import tempfile
import unittest
import uuid

from tests.http import delivery_support as ds


def addr(tag):
    return "%s-%s@example.org" % (tag, uuid.uuid4().hex[:8])


class FileProviderMail(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ds.Server().start()
        cls.event = cls.server.create_event()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def mail_for(self, address, count=1):
        return ds.wait_for(lambda: (lambda m: m if len(m) >= count else None)(ds.mails_to(self.server.mail_dir, address)),
                           what="mail to " + address)

    def test_in_person_confirmation_is_mime_with_text_html_ticket_and_calendar(self):
        email = addr("amina")
        reg = self.server.register(self.event["id"], email, name="Amina <Diallo> & Co")
        msg = self.mail_for(email)[0]
        self.assertEqual(msg.get_content_type(), "multipart/mixed")
        self.assertEqual(str(msg["Subject"]), "Registration confirmed: Licensing Pathways Summit")
        self.assertEqual(msg["From"].addresses[0].display_name, "Équipe Ensemble")
        self.assertTrue(msg["Message-ID"].startswith("<outbox-"))
        parts = list(msg.iter_parts())
        self.assertEqual(parts[0].get_content_type(), "multipart/alternative")
        text = parts[0].get_body(preferencelist=("plain",)).get_content()
        html = parts[0].get_body(preferencelist=("html",)).get_content()
        self.assertIn("Hello Amina <Diallo> & Co", text)
        self.assertIn("Amina &lt;Diallo&gt; &amp; Co", html)
        self.assertNotIn("<Diallo>", html)
        manage = "/manage/" + reg["manage_token"]
        self.assertIn(manage, text)
        self.assertIn(manage, html)
        self.assertNotIn("meet.example.org", text)  # join links are for online seats only
        attachments = {p.get_filename(): p for p in msg.iter_attachments()}
        self.assertEqual(set(attachments), {"invite.ics", "ticket.png"})
        self.assertTrue(attachments["ticket.png"].get_content().startswith(b"\x89PNG\r\n\x1a\n"))
        ics = attachments["invite.ics"].get_content()
        if isinstance(ics, bytes):
            ics = ics.decode("utf-8")
        _, props = ds.parse_ics(ics)
        self.assertEqual(props["UID"][0].split("@")[0], "event-%d-registration-%d" % (self.event["id"], reg["id"]))
        self.assertEqual(props["SUMMARY"][0], "Licensing Pathways Summit")
        self.assertIn("789 Yonge St", props["LOCATION"][0])
        self.assertTrue(props["DTSTART"][0].endswith("Z"))

    def test_french_online_registrant_gets_french_mail_with_the_join_link(self):
        email = addr("elodie")
        self.server.register(self.event["id"], email, name="Élodie Côté", mode="online", language="fr")
        msg = self.mail_for(email)[0]
        self.assertEqual(str(msg["Subject"]), "Inscription confirmée : Sommet : Licensing Pathways Summit")
        self.assertEqual(msg["To"].addresses[0].display_name, "Élodie Côté")
        text = msg.get_body(preferencelist=("plain",)).get_content()
        self.assertIn("Bonjour Élodie Côté", text)
        self.assertIn("https://meet.example.org/room-7", text)
        self.assertIn("Code secret : pass-4321", text)
        names = [p.get_filename() for p in msg.iter_attachments()]
        self.assertEqual(names, ["invite.ics"])

    def test_waitlist_and_cancellation_mails(self):
        small = self.server.create_event(title="Small Room", fmt="in_person", capacity={"in_person": 1})
        first, second = addr("first"), addr("second")
        first_reg = self.server.register(small["id"], first)
        self.server.register(small["id"], second, waitlist=True)
        waiting = self.mail_for(second)[0]
        self.assertIn("waitlist", str(waiting["Subject"]))
        self.assertIn("position 1", waiting.get_body(preferencelist=("plain",)).get_content())
        res = self.server.request("POST", "/api/v1/registrations/%s/cancel" % first_reg["manage_token"], token="")
        self.assertEqual(res.status, 200)
        cancelled = self.mail_for(first, 2)
        self.assertIn("Registration cancelled", [str(m["Subject"]).split(":")[0] for m in cancelled])
        promoted = self.mail_for(second, 2)
        subjects = [str(m["Subject"]) for m in promoted]
        self.assertTrue(any(s.startswith("A seat is yours") for s in subjects), subjects)

    def test_outbox_lists_messages_by_status(self):
        email = addr("listed")
        self.server.register(self.event["id"], email)
        self.mail_for(email)
        messages = ds.wait_for(lambda: [m for m in self.server.outbox("sent") if m["recipient"] == email], what="a sent row")
        m = messages[0]
        self.assertEqual(m["kind"], "email.confirmation")
        self.assertEqual(m["status"], "sent")
        self.assertEqual(m["attempts"], 1)
        self.assertEqual(set(["id", "kind", "recipient", "status", "attempts", "last_error", "next_attempt_at"]) - set(m), set())
        self.assertEqual(self.server.request("GET", "/api/v1/outbox?status=bogus").status, 400)
        self.assertEqual(self.server.request("GET", "/api/v1/outbox", token="").status, 401)
        self.assertEqual(self.server.request("POST", "/api/v1/outbox/%d/retry" % m["id"]).status, 409)  # already sent
        self.assertEqual(self.server.request("POST", "/api/v1/outbox/999999/retry").status, 404)
        metrics = self.server.request("GET", "/metrics").body.decode()
        sent = [line for line in metrics.splitlines() if line.startswith("ensemble_outbox_sent_total ")]
        self.assertTrue(sent and float(sent[0].split()[1]) >= 1, metrics[-2000:])


class SmtpProviderMail(unittest.TestCase):
    def test_mail_goes_through_a_real_smtp_server(self):
        folder = tempfile.mkdtemp(prefix="ensemble-smtp-")
        sink = ds.Fake("smtp_sink.py", "--dir", folder)
        try:
            with ds.Server({"ENSEMBLE_EMAIL_PROVIDER": "smtp", "ENSEMBLE_SMTP_URL": "smtp://127.0.0.1:%d" % sink.port}) as server:
                event = server.create_event()
                email = addr("smtp")
                server.register(event["id"], email, name="Ngozi Okafor")
                msg = ds.wait_for(lambda: ds.mails_to(folder, email), what="the SMTP sink to receive the mail")[0]
                self.assertEqual(msg["X-Envelope-To"], email)
                self.assertEqual(msg["X-Envelope-From"], "events@summit.example.org")
                self.assertEqual(msg.get_content_type(), "multipart/mixed")
                self.assertEqual({p.get_filename() for p in msg.iter_attachments()}, {"invite.ics", "ticket.png"})
                sent = server.wait_outbox_settled()
                self.assertEqual([m["status"] for m in sent], ["sent"])
        finally:
            sink.stop()
            for p in ds.mail_files(folder):
                os.remove(p)
            os.rmdir(folder)


if __name__ == "__main__":
    unittest.main()
