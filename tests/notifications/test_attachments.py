"""Files sent with an email (an event's .ics): kept on the outbox row as text, sent as a
multipart/mixed message after the text and HTML parts, and emptied with the body."""

from __future__ import annotations

from datetime import timedelta

from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import Attachment, build_email, purge_sent, queue_email

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def test_an_attachment_is_sent_after_both_parts(app):
    with app.app_context():
        message = queue_email(
            "parent@example.org",
            "password_changed",
            kind="password_changed",
            attachments=[Attachment("event.ics", "text/calendar", ICS)],
            user={"display_name": "Sam"},
        )
        email = build_email(message)
        assert email.get_content_type() == "multipart/mixed"
        parts = list(email.iter_parts())
        assert parts[0].get_content_type() == "multipart/alternative"
        (attached,) = list(email.iter_attachments())
        assert attached.get_content_type() == "text/calendar"
        assert attached.get_filename() == "event.ics"
        assert attached.get_content().replace("\r\n", "\n") == ICS.replace("\r\n", "\n")


def test_an_email_without_attachments_stays_as_it_was(app):
    with app.app_context():
        message = queue_email(
            "parent@example.org",
            "password_changed",
            kind="password_changed",
            user={"display_name": "Sam"},
        )
        assert message.attachments is None
        assert build_email(message).get_content_type() == "multipart/alternative"


def test_attachments_go_with_the_body(app):
    with app.app_context():
        message = queue_email(
            "parent@example.org",
            "password_changed",
            kind="password_changed",
            attachments=[Attachment("event.ics", "text/calendar", ICS)],
            user={"display_name": "Sam"},
        )
        message.sent_at = utcnow() - timedelta(days=60)
        db.session.flush()
        purge_sent(utcnow())
        db.session.refresh(message)
        assert message.attachments is None and message.body_text == ""
