"""The outbox against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import utcnow
from forum.notifications import services as outbox
from forum.notifications.models import OutboxMessage
from tests.conftest import body_of, free_port, make_app, smtp_config


@pytest.fixture
def app_config(app_config, inbox):
    return {**app_config, **smtp_config(inbox)}


def queue(app, n=1, to="parent@example.org"):
    with app.test_request_context():
        for i in range(n):
            outbox.queue_email(
                to,
                "password_changed",
                kind="password_changed",
                user=type("U", (), {"display_name": f"Person {i}"})(),
            )
        db.session.commit()


def rows(app):
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_queued_email_is_delivered_once(app, inbox):
    queue(app)
    with app.app_context():
        assert outbox.deliver_pending() == {
            "sent": 1,
            "retry": 0,
            "failed": 0,
            "skipped": 0,
            "withdrawn": 0,
        }
        assert outbox.deliver_pending()["sent"] == 0
    [message] = inbox.wait_for("parent@example.org")
    assert message["Subject"] == "Your Coproduce password has been changed"
    assert message["Message-ID"].startswith("<outbox-")
    assert "Hello Person 0" in body_of(message)
    [row] = rows(app)
    assert row.sent_at is not None and row.attempts == 1


def test_failures_retry_with_backoff_then_send(app, inbox):
    queue(app)
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    with app.app_context():
        assert outbox.deliver_pending()["retry"] == 1
        assert outbox.deliver_pending()["retry"] == 0, "not due again until the backoff passes"
    [row] = rows(app)
    assert row.attempts == 1 and row.sent_at is None and "Error" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=50)

    app.config["MAIL_PORT"] = inbox.port
    with app.app_context():
        message = db.session.get(OutboxMessage, row.id)
        message.next_attempt_at = utcnow()
        db.session.commit()
        assert outbox.deliver_pending()["sent"] == 1
    inbox.wait_for("parent@example.org")


def test_gives_up_after_too_many_attempts(app, inbox):
    queue(app)
    app.config["MAIL_PORT"] = free_port()
    with app.app_context():
        for _ in range(outbox.MAX_ATTEMPTS):
            message = db.session.scalar(select(OutboxMessage))
            message.next_attempt_at = utcnow()
            db.session.commit()
            outbox.deliver_pending()
    [row] = rows(app)
    assert row.failed_at is not None and row.attempts == outbox.MAX_ATTEMPTS


def test_backoff_grows_and_is_capped():
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.backoff(30) == timedelta(hours=6)


@pytest.mark.real_commits
def test_two_workers_never_send_the_same_row(app, inbox):
    queue(app, n=20)
    second = make_app(app.config.copy())
    results = []

    def work(flask_app, name):
        with flask_app.app_context():
            results.append(outbox.deliver_pending(worker=name))
            db.session.remove()

    threads = [threading.Thread(target=work, args=(a, n)) for a, n in ((app, "a"), (second, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["sent"] for r in results) == 20
    messages = inbox.wait_for("parent@example.org", count=20)
    assert len(messages) == 20
    assert len({m["Message-ID"] for m in messages}) == 20
    with second.app_context():
        db.engine.dispose()


def test_console_transport_logs_instead_of_sending(app, inbox, caplog):
    caplog.set_level(logging.INFO, logger="coproduce.outbox")
    app.config["MAIL_TRANSPORT"] = "console"
    queue(app)
    with app.app_context():
        assert outbox.deliver_pending()["sent"] == 1
    assert "Your Coproduce password has been changed" in caplog.text
    assert inbox.to("parent@example.org") == []


def test_cli_send(app, inbox):
    queue(app, n=2)
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output
    inbox.wait_for("parent@example.org", count=2)
