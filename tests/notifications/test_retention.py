"""What the outbox keeps (issue 12, point 9): once an email is sent, no usable token is left in
any table; sent bodies are emptied after OUTBOX_KEEP_DAYS and the rows deleted after
OUTBOX_RECORD_DAYS, by `purge_sent`, which the outbox worker and `flask outbox purge` run."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts import services as accounts
from forum.extensions import db
from forum.models import utcnow
from forum.notifications import services as outbox
from forum.notifications.models import OutboxMessage
from forum.web.submissions import SubmissionKey
from tests.conftest import body_of, free_port, smtp_config

PASSWORD = "correct-horse-battery-staple"
LINK = re.compile(r"http\S+/(?:verify-email|reset-password|confirm-email)\S*/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def app_config(app_config, inbox):
    return {**app_config, **smtp_config(inbox)}


def _links(app) -> dict[str, tuple[str, str]]:
    """kind: (link, token) of each queued email with a token link."""
    found = {}
    with app.app_context():
        for message in db.session.scalars(select(OutboxMessage)):
            if match := LINK.search(message.body_text):
                found[message.kind] = (match.group(0), match.group(1))
    return found


def _every_stored_value(app) -> str:
    """Every value of every row of every table, as one string."""
    with app.app_context():
        return "\n".join(
            " ".join(str(value) for value in row)
            for table in db.metadata.sorted_tables
            for row in db.session.execute(select(table))
        )


def _ask_for_every_token_email(app) -> None:
    """A new account (verification), a reset, and an email change: the three token links."""
    with app.test_request_context():
        user = accounts.register(email="parent@example.org", display_name="Pat", password=PASSWORD)
        assert user is not None
        accounts.request_password_reset("parent@example.org")
        accounts.change_email(user, new_email="pat.new@example.org", password=PASSWORD)
        db.session.commit()


def test_after_sending_no_table_holds_a_reset_verification_or_email_change_token(app, inbox):
    _ask_for_every_token_email(app)
    links = _links(app)
    assert set(links) == {"verify_email", "reset_password", "change_email"}
    with app.app_context():
        assert outbox.deliver_pending()["sent"] == 4  # and "a change was asked for"
    # The people got their links...
    emails = inbox.wait_for("parent@example.org", count=3) + inbox.wait_for("pat.new@example.org")
    received = "".join(body_of(m) for m in emails)
    for link, _ in links.values():
        assert link in received
    # ...and nothing the platform stores can be used as one.
    stored = _every_stored_value(app)
    for kind, (_link, token) in links.items():
        assert token not in stored, kind
        assert link not in stored, kind
    with app.app_context():
        reset = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "reset_password")
        )
        assert outbox.REMOVED in reset.body_text
        assert "Follow this link to choose a new password" in reset.body_text
        assert reset.secret_values is None


def test_the_link_still_works_after_its_copy_is_removed(app, inbox, client):
    """Only the stored copy loses the link: the emailed one still resets the password."""
    with app.test_request_context():
        from tests.factories import make_user

        make_user(email="parent@example.org")
        db.session.commit()
        accounts.request_password_reset("parent@example.org")
        db.session.commit()
    [(link, _token)] = _links(app).values()
    with app.app_context():
        assert outbox.deliver_pending()["sent"] == 1
    path = link.split("localhost", 1)[1]
    assert client.get(path).status_code == 200


def test_an_email_to_be_retried_keeps_its_link_until_it_gives_up(app, inbox):
    _ask_for_every_token_email(app)
    links = _links(app)
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    with app.app_context():
        assert outbox.deliver_pending()["retry"] == 4
        reset = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "reset_password")
        )
        assert links["reset_password"][0] in reset.body_text, "needed for the next attempt"
        for _ in range(outbox.MAX_ATTEMPTS - 1):
            for message in db.session.scalars(select(OutboxMessage)):
                message.next_attempt_at = utcnow()
            db.session.commit()
            outbox.deliver_pending()
        assert all(m.failed_at for m in db.session.scalars(select(OutboxMessage)))
    stored = _every_stored_value(app)
    for kind, (link, token) in links.items():
        assert token not in stored and link not in stored, kind


def _message(*, kind="thread_reply", sent_days_ago=None, failed_days_ago=None, **fields):
    now = utcnow()
    message = OutboxMessage(
        to_address="parent@example.org",
        subject="Someone replied to “Transport to school”",
        body_text="Sam wrote: the bus never came.",
        kind=kind,
        created_at=now - timedelta(days=100),
        sent_at=None if sent_days_ago is None else now - timedelta(days=sent_days_ago),
        failed_at=None if failed_days_ago is None else now - timedelta(days=failed_days_ago),
        attempts=1,
        **fields,
    )
    db.session.add(message)
    return message


def test_purge_empties_old_sent_bodies_and_deletes_old_records(app):
    keep = app.config["OUTBOX_KEEP_DAYS"]
    record = app.config["OUTBOX_RECORD_DAYS"]
    assert (keep, record) == (7, 90)
    with app.app_context():
        fresh = _message(sent_days_ago=keep - 1)
        old = _message(sent_days_ago=keep + 1)
        gave_up = _message(failed_days_ago=keep + 1, last_error="SMTPRecipientsRefused: x")
        ancient = _message(sent_days_ago=record + 1)
        waiting = _message()  # not sent yet: never touched, however old
        db.session.commit()
        ids = {name: m.id for name, m in locals().items() if isinstance(m, OutboxMessage)}
        assert outbox.purge_sent(utcnow()) == {"emptied": 2, "deleted": 1, "addresses": 0}
        db.session.commit()
        db.session.expire_all()
        get = lambda name: db.session.get(OutboxMessage, ids[name])  # noqa: E731
        assert "the bus never came" in get("fresh").body_text
        for name in ("old", "gave_up"):
            kept = get(name)
            assert (kept.subject, kept.body_text, kept.last_error) == ("", "", None)
            assert kept.to_address == "parent@example.org" and kept.kind == "thread_reply"
            assert kept.purged_at is not None and (kept.sent_at or kept.failed_at)
        assert get("ancient") is None
        assert "the bus never came" in get("waiting").body_text
        # A second run finds nothing more to do.
        assert outbox.purge_sent(utcnow()) == {"emptied": 0, "deleted": 0, "addresses": 0}


def test_the_periods_come_from_the_configuration(app):
    app.config["OUTBOX_KEEP_DAYS"] = 1
    with app.app_context():
        _message(sent_days_ago=2)
        db.session.commit()
        assert outbox.purge_sent(utcnow())["emptied"] == 1


def test_flask_outbox_purge_runs_every_purge(app):
    now = utcnow()
    with app.app_context():
        _message(sent_days_ago=30)
        db.session.add(
            SubmissionKey(key="old-key-1", owner="user:1", created_at=now - timedelta(days=2))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "purge"])
    assert result.exit_code == 0, result.output
    assert "emptied 1 sent emails" in result.output
    assert "1 old submission keys" in result.output
    with app.app_context():
        assert db.session.scalar(select(SubmissionKey)) is None
        assert db.session.scalar(select(OutboxMessage)).body_text == ""


def test_the_watching_worker_purges_before_it_sends(app, inbox, monkeypatch):
    with app.app_context():
        _message(sent_days_ago=30)
        db.session.commit()

    class Stop(Exception):
        pass

    def stop(_seconds):
        raise Stop

    monkeypatch.setattr("forum.notifications.cli.time.sleep", stop)
    result = app.test_cli_runner().invoke(args=["outbox", "send", "--watch"])
    assert isinstance(result.exception, Stop)
    assert "emptied 1 sent emails" in result.output
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage)).body_text == ""
