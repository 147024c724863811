"""One-click unsubscribe (RFC 8058) and the check made when an optional email is sent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.areas.models import Membership, MembershipStatus, Role
from forum.consultations.models import Consultation
from forum.discussions.models import Suspension
from forum.extensions import db
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications import services as outbox
from forum.notifications.models import OutboxMessage, Subscriber
from forum.notifications.tokens import make_token, read_token
from forum.notifications.topics import Frequency, Topic
from tests.conftest import body_of, smtp_config
from tests.factories import make_area, make_consultation, make_person_in


@pytest.fixture
def app_config(app_config, inbox):
    return {**app_config, **smtp_config(inbox)}


def _mail(consultation) -> preferences.Mail:
    return preferences.Mail(
        template="thread_reply",
        kind="thread_reply",
        title="New reply",
        link="https://example.org/t/1",
        context={
            "user": type("U", (), {"display_name": "Sam"})(),
            "thread": type("T", (), {"title": "Transport"})(),
            "link": "https://example.org/t/1",
        },
    )


@pytest.fixture
def world(app):
    with app.test_request_context():
        area = make_area()
        member = make_person_in(area, Role.MEMBER, email="member@example.org")
        consultation = make_consultation(area)
        db.session.commit()
        yield {"area": area, "member": member, "consultation": consultation}


def queue_for(person, world, *, audience="members", about=None):
    message = preferences.notify(
        person,
        world["area"],
        Topic.CONSULTATIONS,
        _mail(world["consultation"]),
        audience=audience,
        about=about,
    )
    db.session.commit()
    return message


def test_an_optional_email_carries_a_working_one_click_unsubscribe(app, client, world, inbox):
    queue_for(world["member"], world)
    assert outbox.deliver_pending()["sent"] == 1
    [message] = inbox.wait_for("member@example.org")
    header = "".join(str(message["List-Unsubscribe"]).split())
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https?://\S+)>", header).group(1)
    assert link in body_of(message), "the same link is visible in the footer"
    assert "unsubscribe-link.invalid" not in body_of(message)
    [row] = db.session.scalars(select(OutboxMessage))
    assert "/unsubscribe/" not in row.body_text, "the outbox never holds a working link"

    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert "Stop consultations emails" in page.text
    assert preferences.frequency(world["member"], world["area"].id, Topic.CONSULTATIONS) is (
        Frequency.IMMEDIATELY
    ), "showing the page changes nothing"

    # A mail program's POST: no cookies, no form token.
    response = client.post("/" + path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert preferences.frequency(world["member"], world["area"].id, Topic.CONSULTATIONS) is (
        Frequency.NEVER
    )
    again = client.get("/" + path)
    assert "You already get no consultations emails" in again.text


def test_the_unsubscribe_button_works_without_a_mail_program(app, client, world):
    token = make_token(area_id=world["area"].id, topic=Topic.REPLIES, user_id=world["member"].id)
    response = client.post(f"/unsubscribe/{token}", follow_redirects=True)
    assert response.status_code == 200
    assert "You have unsubscribed" in response.text
    assert preferences.frequency(world["member"], world["area"].id, Topic.REPLIES) is (
        Frequency.NEVER
    )
    assert preferences.frequency(world["member"], world["area"].id, Topic.OUTCOMES) is (
        Frequency.IMMEDIATELY
    ), "only the topic in the token stops"


def test_tokens_cannot_be_forged_or_turned_on_someone_else(app, client, world):
    token = make_token(area_id=world["area"].id, topic=Topic.REPLIES, user_id=world["member"].id)
    assert read_token(token).user_id == world["member"].id
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert read_token(tampered) is None
    other = make_person_in(world["area"], Role.MEMBER)
    db.session.commit()
    # The payload is signed: swapping in another person's id breaks the signature.
    payload, _, signature = token.rpartition(".")
    forged = make_token(area_id=world["area"].id, topic=Topic.REPLIES, user_id=other.id)
    assert forged.rpartition(".")[2] != signature
    assert read_token(payload + "." + forged.rpartition(".")[2]) is None
    for bad in (tampered, "nonsense", payload + "." + forged.rpartition(".")[2]):
        assert client.get(f"/unsubscribe/{bad}").status_code == 404
        assert client.post(f"/unsubscribe/{bad}").status_code == 404
        assert (
            client.post(f"/unsubscribe/{bad}", data={"List-Unsubscribe": "One-Click"})
        ).status_code == 404
    assert preferences.frequency(other, world["area"].id, Topic.REPLIES) is Frequency.IMMEDIATELY


def test_a_token_for_a_deleted_subscriber_changes_nothing(app, client, world):
    subscriber = Subscriber(area_id=world["area"].id, email="s@example.org", confirmed_at=utcnow())
    db.session.add(subscriber)
    db.session.commit()
    token = make_token(
        area_id=world["area"].id, topic=Topic.NEWSLETTERS, subscriber_id=subscriber.id
    )
    assert client.get(f"/unsubscribe/{token}").status_code == 200
    db.session.delete(subscriber)
    db.session.commit()
    assert client.post(f"/unsubscribe/{token}").status_code == 404


def _withdrawn_reason() -> str:
    [row] = db.session.scalars(select(OutboxMessage))
    assert row.sent_at is None and row.withdrawn_at is not None
    assert row.body_text == ""
    return row.last_error


def test_nothing_goes_to_someone_who_left_after_it_was_queued(app, world, inbox):
    queue_for(world["member"], world)
    membership = db.session.scalar(select(Membership).filter_by(user_id=world["member"].id))
    db.session.delete(membership)
    db.session.commit()
    assert outbox.deliver_pending()["withdrawn"] == 1
    assert "not a member" in _withdrawn_reason()
    assert inbox.to("member@example.org") == []


def test_nothing_goes_to_someone_suspended(app, world, inbox):
    queue_for(world["member"], world)
    db.session.add(
        Suspension(
            area_id=world["area"].id,
            user_id=world["member"].id,
            until=utcnow() + timedelta(days=3),
            reason="Cooling off",
        )
    )
    db.session.commit()
    assert outbox.deliver_pending()["withdrawn"] == 1
    assert "suspended" in _withdrawn_reason()


def test_nothing_goes_once_the_topic_is_turned_off(app, world, inbox):
    queue_for(world["member"], world)
    preferences.choose(world["member"], world["area"].id, Topic.CONSULTATIONS, Frequency.NEVER)
    db.session.commit()
    assert outbox.deliver_pending()["withdrawn"] == 1
    assert "turned off" in _withdrawn_reason()


def test_nothing_goes_about_a_consultation_the_person_may_no_longer_see(app, world, inbox):
    consultation = db.session.get(Consultation, world["consultation"].id)
    queue_for(world["member"], world, about=f"consultation:{consultation.id}")
    consultation.published_at = None
    db.session.commit()
    assert outbox.deliver_pending()["withdrawn"] == 1
    assert "draft" in _withdrawn_reason()


def test_a_pending_member_is_not_a_member(app, world, inbox):
    membership = db.session.scalar(select(Membership).filter_by(user_id=world["member"].id))
    membership.status = MembershipStatus.PENDING
    db.session.commit()
    queue_for(world["member"], world)
    assert outbox.deliver_pending()["withdrawn"] == 1


def test_personal_emails_need_no_membership_but_subscribers_get_only_public_ones(app, world, inbox):
    visitor = make_person_in(world["area"], None, email="visitor@example.org")
    subscriber = Subscriber(area_id=world["area"].id, email="s@example.org", confirmed_at=utcnow())
    db.session.add(subscriber)
    db.session.commit()
    queue_for(visitor, world, audience="personal")
    queue_for(subscriber, world, audience="public")
    assert outbox.deliver_pending()["sent"] == 2
    inbox.wait_for("visitor@example.org")
    [to_subscriber] = inbox.wait_for("s@example.org")
    assert "List-Unsubscribe" in to_subscriber


def test_service_emails_have_no_unsubscribe(app, world, inbox):
    outbox.queue_email(
        "member@example.org", "password_changed", kind="password_changed", user=world["member"]
    )
    db.session.commit()
    outbox.deliver_pending()
    [message] = inbox.wait_for("member@example.org")
    assert message["List-Unsubscribe"] is None


def test_a_subscribers_footer_links_to_their_own_choices_and_the_copy_forgets_it(app, world, inbox):
    subscriber = Subscriber(area_id=world["area"].id, email="s@example.org", confirmed_at=utcnow())
    db.session.add(subscriber)
    db.session.commit()
    queue_for(subscriber, world, audience="public")
    outbox.deliver_pending()
    [message] = inbox.wait_for("s@example.org")
    assert "/subscriptions/" in body_of(message)
    assert "/account/emails" not in body_of(message), "a subscriber has no account"
    [row] = db.session.scalars(select(OutboxMessage))
    assert "/subscriptions/" not in row.body_text + (row.body_html or "")
