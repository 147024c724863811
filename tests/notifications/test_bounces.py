"""Multipart emails and refused addresses, against a real SMTP server (aiosmtpd) that refuses
some recipients: 550 for good, 451 for now."""

from __future__ import annotations

from email.message import Message
from email.parser import BytesParser
from email.policy import default

import pytest
from sqlalchemy import select

from forum.accounts.notices import UNDELIVERABLE
from forum.areas.models import Role
from forum.extensions import db
from forum.models import utcnow
from forum.notifications import services as outbox
from forum.notifications.models import EmailAddressStatus, OutboxMessage
from forum.notifications.preferences import Mail, notify
from forum.notifications.topics import Topic
from tests.conftest import Inbox, free_port
from tests.factories import make_area, make_person_in, make_user

GONE = "gone@example.org"  # the server says 550: no such mailbox
BUSY = "busy@example.org"  # the server says 451: try again later


class RefusingInbox(Inbox):
    refused: dict[str, str]


@pytest.fixture(scope="module")
def server():
    from aiosmtpd.controller import Controller

    inbox = RefusingInbox(host="127.0.0.1", port=free_port())
    inbox.refused = {}

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            reply = inbox.refused.get(address.lower())
            if reply:
                return reply
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with inbox.lock:
                inbox.messages.append(BytesParser(policy=default).parsebytes(envelope.content))
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname=inbox.host, port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def smtp(server):
    server.clear()
    server.refused.clear()
    server.refused[GONE] = "550 5.1.1 No such mailbox here"
    server.refused[BUSY] = "451 4.2.0 Mailbox busy, try again later"
    return server


@pytest.fixture
def app_config(app_config, server):
    return {
        **app_config,
        "MAIL_TRANSPORT": "smtp",
        "MAIL_SERVER": server.host,
        "MAIL_PORT": server.port,
    }


def _queue(app, to, template="password_changed", kind=None):
    with app.test_request_context():
        message = outbox.queue_email(
            to, template, kind=kind or template, user=type("U", (), {"display_name": "Sam"})()
        )
        db.session.commit()
        return message.id


def _deliver(app):
    with app.app_context():
        return outbox.deliver_pending()


def _row(app, message_id) -> OutboxMessage:
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        db.session.expunge(row)
        return row


def _status(app, address) -> EmailAddressStatus | None:
    with app.app_context():
        status = outbox.address_status(address)
        if status is not None:
            db.session.expunge(status)
        return status


def _marked(app, address: str = GONE, *, account: dict | None = None) -> None:
    """Refuse `address` enough times to mark it; with `account`, it is someone's account."""
    with app.app_context():
        if account is not None:
            make_user(email=address, **account)
        for _ in range(outbox.UNDELIVERABLE_AFTER):
            outbox.record_refusal(address, "550 5.1.1 no such mailbox")
        db.session.commit()


def _parts(message: Message) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_a_service_email_is_text_and_html_without_unsubscribe_headers(app, smtp):
    _queue(app, "parent@example.org")
    assert _deliver(app)["sent"] == 1
    [message] = smtp.wait_for("parent@example.org")
    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    assert "Hello Sam" in parts["text/plain"] and "Hello Sam" in parts["text/html"]
    assert '<html lang="en">' in parts["text/html"]
    assert "<h1>Your Coproduce password has been changed</h1>" in parts["text/html"]
    assert "List-Unsubscribe" not in message and "List-Unsubscribe-Post" not in message


def test_an_optional_email_has_its_real_unsubscribe_link_in_both_parts_and_headers(app, smtp):
    with app.test_request_context():
        area = make_area(brand_colour="#4c2c92")
        person = make_person_in(area, Role.MEMBER, email="member@example.org")
        mail = Mail(
            template="thread_reply",
            kind="thread_reply",
            title="New reply",
            link="https://coproduce.test/t/1",
            context={
                "user": person,
                "thread": type("T", (), {"title": "School transport"})(),
                "link": "https://coproduce.test/t/1",
            },
        )
        message = notify(person, area, Topic.REPLIES, mail, audience="members")
        assert message is not None
        message_id = message.id
        db.session.commit()
    assert _deliver(app)["sent"] == 1
    [email] = smtp.wait_for("member@example.org")
    header = email["List-Unsubscribe"]
    assert header.startswith("<http") and "/unsubscribe/" in header
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header.strip("<>")
    parts = _parts(email)
    assert outbox.UNSUBSCRIBE_PLACEHOLDER not in parts["text/plain"]
    assert outbox.UNSUBSCRIBE_PLACEHOLDER not in parts["text/html"]
    assert f"emails: {link}" in parts["text/plain"]
    assert f'<a href="{link}">Unsubscribe from' in parts["text/html"]
    assert "background-color: #4c2c92" in parts["text/html"]
    # the stored copy never holds the real link
    row = _row(app, message_id)
    assert link not in row.body_text and link not in row.body_html


def test_a_refused_address_is_marked_after_three_refusals_and_gets_no_more_email(app, smtp):
    first = _queue(app, GONE)
    assert _deliver(app)["failed"] == 1, "a 5xx is not tried again"
    row = _row(app, first)
    assert row.failed_at is not None and row.attempts == 1
    assert "550" in row.last_error
    assert _status(app, GONE).permanent_failures == 1
    assert not _status(app, GONE).is_undeliverable

    for _ in range(outbox.UNDELIVERABLE_AFTER - 1):
        _queue(app, GONE)
        assert _deliver(app)["failed"] == 1
    status = _status(app, GONE)
    assert status.permanent_failures == outbox.UNDELIVERABLE_AFTER and status.is_undeliverable

    # no more email to it: withdrawn when its turn comes …
    refused = _queue(app, GONE)
    assert _deliver(app) == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0, "withdrawn": 1}
    refused = _row(app, refused)
    assert refused.withdrawn_at is not None and "undeliverable" in refused.last_error
    assert refused.body_text == "" and refused.body_html == ""
    # … except what the person asks for just then, which could mend it (refused here: the
    # address still does not work, so it counts once more)
    asked = _queue(app, GONE, "reset_password", "reset_password")
    assert _deliver(app)["failed"] == 1
    assert _row(app, asked).withdrawn_at is None
    assert _status(app, GONE).permanent_failures == outbox.UNDELIVERABLE_AFTER + 1

    # the person asks for the address to be tried again: the mark goes, email goes again
    smtp.refused.pop(GONE)
    with app.app_context():
        person = make_user(email=GONE)
        assert outbox.try_address_again(GONE, actor=person) is True
        db.session.commit()
    assert _status(app, GONE) is None
    _queue(app, GONE)
    assert _deliver(app)["sent"] == 1
    smtp.wait_for(GONE)


def test_a_message_queued_before_the_mark_is_withdrawn_when_its_turn_comes(app, smtp):
    waiting = _queue(app, GONE)
    _marked(app)
    assert _deliver(app)["withdrawn"] == 1
    assert _row(app, waiting).withdrawn_at is not None


def test_a_451_is_tried_again_later_and_not_counted_against_the_address(app, smtp):
    message_id = _queue(app, BUSY)
    assert _deliver(app)["retry"] == 1
    row = _row(app, message_id)
    assert row.failed_at is None and row.attempts == 1 and "451" in row.last_error
    assert row.next_attempt_at > utcnow()
    assert _status(app, BUSY) is None

    smtp.refused.pop(BUSY)
    with app.app_context():
        db.session.get(OutboxMessage, message_id).next_attempt_at = utcnow()
        db.session.commit()
    assert _deliver(app)["sent"] == 1


def test_a_successful_send_forgets_earlier_refusals(app, smtp):
    _queue(app, GONE)
    _deliver(app)
    assert _status(app, GONE).permanent_failures == 1
    smtp.refused.pop(GONE)
    _queue(app, GONE)
    assert _deliver(app)["sent"] == 1
    assert _status(app, GONE) is None


def test_addresses_are_compared_without_case(app, smtp):
    with app.app_context():
        for _ in range(outbox.UNDELIVERABLE_AFTER):
            outbox.record_refusal("Gone@Example.org", "550")
        db.session.commit()
        assert outbox.is_undeliverable("gone@example.org")
        assert db.session.scalar(select(EmailAddressStatus.address)) == "gone@example.org"


def test_forgetting_an_address_forgets_its_refusals_and_html_copies(app, smtp):
    _queue(app, GONE)
    _deliver(app)
    with app.app_context():
        outbox.forget_addresses({GONE})
        db.session.commit()
        assert outbox.address_status(GONE) is None
        assert db.session.scalar(select(OutboxMessage)) is None


def test_the_person_is_told_after_signing_in_and_can_try_again(app, smtp, client, auth):
    _marked(app, account={})
    response = auth.login(GONE, pages=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Our emails to you are not arriving" in page
    assert UNDELIVERABLE.split(":")[0] in page

    account = client.get("/account").get_data(as_text=True)
    assert f"Our emails to {GONE} are not arriving" in account
    assert "Try this address again" in account
    assert 'href="/account/email"' in account

    response = client.post_form("/account/email/try-again", {})
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    assert _status(app, GONE) is None
    assert "We will send emails to your address again" in client.get("/account").get_data(
        as_text=True
    )
    assert "Try this address again" not in client.get("/account").get_data(as_text=True)


def test_trying_again_needs_the_form_token(app, smtp, client, auth):
    _marked(app, account={})
    auth.login(GONE)
    response = client.post("/account/email/try-again", data={})
    assert response.status_code in (303, 400)
    assert _status(app, GONE).is_undeliverable


def test_nothing_is_noted_against_an_address_we_said_we_would_not_keep(app, smtp):
    with app.test_request_context():
        message = outbox.queue_email(
            GONE, "password_changed", kind="survey_confirm_response", user={"display_name": "S"}
        )
        message.is_forgotten_once_sent = True
        db.session.commit()
    assert _deliver(app)["failed"] == 1
    assert _status(app, GONE) is None


def test_staff_are_told_too_after_the_code_step(app, smtp, client, auth):
    _marked(app, account={"is_admin": True})
    response = auth.login(GONE, pages=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Our emails to you are not arriving" in page


def test_nobody_is_told_when_their_address_works(app, smtp, client, auth):
    with app.app_context():
        make_user(email="fine@example.org")
        outbox.record_refusal("fine@example.org", "550")  # once: not marked
        db.session.commit()
    response = auth.login("fine@example.org", pages=True)
    assert "not arriving" not in client.get(response.headers["Location"]).get_data(as_text=True)
    account = client.get("/account").get_data(as_text=True)
    assert "not arriving" not in account and "Try this address again" not in account
