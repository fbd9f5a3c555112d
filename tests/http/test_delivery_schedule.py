"""Scheduled messages: reminders before the start (only the nearest offset when several are due at
once, once per run), and the recording link to every confirmed registrant, once."""

import time
import unittest
import uuid
from datetime import datetime, timedelta

from tests.http import delivery_support as ds


def addr(tag):
    return "%s-%s@example.org" % (tag, uuid.uuid4().hex[:8])


class Scheduled(unittest.TestCase):
    def test_reminders_then_the_recording(self):
        with ds.Server() as server:
            event = server.create_event(title="Starting Soon", starts_in=timedelta(seconds=6))
            people = [(addr("inperson"), "in_person", "en"), (addr("online"), "online", "fr")]
            for i, (email, mode, lang) in enumerate(people):
                server.register(event["id"], email, mode=mode, language=lang, name="Person %d" % i)
            waiting = server.request("POST", "/api/v1/events/%d/registrations" % event["id"],
                                     {"name": "Late", "email": addr("late"), "mode": "in_person", "language": "en", "consent": True},
                                     token="")
            self.assertEqual(waiting.status, 201)
            ds.wait_for(lambda: [m for m in server.outbox() if m["kind"] == "email.reminder"], timeout=15, what="reminders to be planned")
            runs = server.query("SELECT minutes_before, messages FROM reminder_runs WHERE event_id = ? ORDER BY minutes_before",
                                (event["id"],))
            self.assertEqual(runs, [(60, 3), (1440, 0)])  # only the nearest offset sends
            self.assertEqual(len([m for m in server.outbox() if m["kind"] == "email.reminder"]), 3)
            online_mail = ds.wait_for(lambda: [m for m in ds.mails_to(server.mail_dir, people[1][0])
                                               if str(m["X-Ensemble-Kind"]) == "email.reminder"], what="the online reminder")[0]
            self.assertTrue(str(online_mail["Subject"]).startswith("Rappel : Sommet : Starting Soon commence dans"))
            self.assertIn("https://meet.example.org/room-7", online_mail.get_body(preferencelist=("plain",)).get_content())

            ds.wait_for(lambda: time.time() > starts_at(event), timeout=15, what="the event to start")
            res = server.request("PATCH", "/api/v1/events/%d" % event["id"], {"recording_url": "https://video.example.org/rec/1"})
            self.assertEqual(res.status, 200)
            res = server.request("PATCH", "/api/v1/events/%d" % event["id"], {"recording_url": "https://video.example.org/rec/2"})
            self.assertEqual(res.status, 200)
            for email, _, _ in people:
                got = ds.wait_for(lambda: [m for m in ds.mails_to(server.mail_dir, email) if str(m["X-Ensemble-Kind"]) == "email.recording"],
                                  what="the recording mail")
                self.assertEqual(len(got), 1)
                # Rendered when sent: the link is the first one, or the corrected one if it came in time.
                body = got[0].get_body(preferencelist=("plain",)).get_content()
                self.assertTrue("https://video.example.org/rec/1" in body or "https://video.example.org/rec/2" in body, body)
            server.wait_outbox_settled()
            self.assertEqual(len([m for m in server.outbox() if m["kind"] == "email.recording"]), 3)


def starts_at(event):
    return datetime.fromisoformat(event["starts_at"].replace("Z", "+00:00")).timestamp()


if __name__ == "__main__":
    unittest.main()
