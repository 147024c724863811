"""Each person's choices of optional email, and `notify` sending by them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.areas.models import Role
from forum.extensions import db
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications.models import DigestItem, EmailPreference, OutboxMessage, Subscriber
from forum.notifications.topics import Frequency, Topic
from tests.factories import make_area, make_person_in
from tests.support import recorded_statements


def mail(**extra) -> preferences.Mail:
    return preferences.Mail(
        template="thread_reply",
        kind="thread_reply",
        title="New reply in “Transport”",
        link="https://example.org/t/1",
        summary="Someone replied.",
        context={
            "user": type("U", (), {"display_name": "Sam"})(),
            "thread": type("T", (), {"title": "Transport"})(),
            "link": "https://example.org/t/1",
            **extra,
        },
    )


@pytest.fixture
def world(app):
    with app.test_request_context():
        area = make_area()
        member = make_person_in(area, Role.MEMBER)
        subscriber = Subscriber(area_id=area.id, email="sub@example.org", confirmed_at=utcnow())
        db.session.add(subscriber)
        db.session.commit()
        yield area, member, subscriber


def test_defaults_are_lawful(world):
    area, member, subscriber = world
    mine = preferences.choices(member, area.id)
    assert mine[Topic.NEWSLETTERS] is Frequency.NEVER, "newsletters only after opting in"
    assert all(mine[t] is Frequency.IMMEDIATELY for t in Topic if t is not Topic.NEWSLETTERS)
    theirs = preferences.choices(subscriber, area.id)
    assert set(theirs) == {Topic.CONSULTATIONS, Topic.NEWSLETTERS, Topic.EVENTS}
    assert preferences.frequency(subscriber, area.id, Topic.REPLIES) is Frequency.NEVER


def test_choosing_keeps_one_row_and_only_when_it_differs(world):
    area, member, _ = world
    assert preferences.choose(member, area.id, Topic.CONSULTATIONS, Frequency.IMMEDIATELY) is False
    assert db.session.scalar(select(func.count()).select_from(EmailPreference)) == 0
    assert preferences.choose(member, area.id, Topic.CONSULTATIONS, Frequency.WEEKLY) is True
    assert preferences.choose(member, area.id, Topic.CONSULTATIONS, Frequency.WEEKLY) is False
    assert preferences.choose(member, area.id, Topic.CONSULTATIONS, Frequency.NEVER) is True
    assert db.session.scalar(select(func.count()).select_from(EmailPreference)) == 1
    assert preferences.frequency(member, area.id, Topic.CONSULTATIONS) is Frequency.NEVER


def test_a_subscriber_cannot_choose_a_members_topic(world):
    area, _, subscriber = world
    with pytest.raises(ValueError):
        preferences.choose(subscriber, area.id, Topic.REPLIES, Frequency.IMMEDIATELY)


def test_notify_queues_now_keeps_for_a_digest_or_does_nothing(world):
    area, member, _ = world
    message = preferences.notify(member, area, Topic.REPLIES, mail(), audience="personal")
    assert isinstance(message, OutboxMessage)
    assert (message.topic, message.user_id, message.area_id) == (Topic.REPLIES, member.id, area.id)
    assert "https://unsubscribe-link.invalid/" in message.body_text, (
        "the footer's link, made at sending"
    )

    preferences.choose(member, area.id, Topic.REPLIES, Frequency.DAILY)
    item = preferences.notify(member, area, Topic.REPLIES, mail(), audience="personal")
    assert isinstance(item, DigestItem)
    assert (item.frequency, item.title, item.sent_at) == (
        Frequency.DAILY,
        "New reply in “Transport”",
        None,
    )

    preferences.choose(member, area.id, Topic.REPLIES, Frequency.NEVER)
    assert preferences.notify(member, area, Topic.REPLIES, mail(), audience="personal") is None


def test_subscribers_get_only_public_mail_and_only_once_confirmed(world):
    area, _, subscriber = world
    assert (
        preferences.notify(subscriber, area, Topic.CONSULTATIONS, mail(), audience="members")
        is None
    )
    sent = preferences.notify(subscriber, area, Topic.CONSULTATIONS, mail(), audience="public")
    assert sent.subscriber_id == subscriber.id and sent.user_id is None
    subscriber.confirmed_at = None
    assert (
        preferences.notify(subscriber, area, Topic.CONSULTATIONS, mail(), audience="public") is None
    )


def test_notify_each_looks_up_choices_together(app, world):
    area, member, subscriber = world
    others = [make_person_in(area, Role.MEMBER) for _ in range(6)]
    preferences.choose(others[0], area.id, Topic.CONSULTATIONS, Frequency.NEVER)
    preferences.choose(others[1], area.id, Topic.CONSULTATIONS, Frequency.WEEKLY)
    people = [member, subscriber, *others]
    _ = [(person.id, person.email) for person in people], subscriber.confirmed_at
    with recorded_statements(app) as statements:
        done = preferences.notify_each(
            people, area, Topic.CONSULTATIONS, lambda person: mail(), audience="public"
        )
    assert done == 7, "everyone but the one who said never"
    selects = [s for s in statements if s.upper().startswith("SELECT")]
    assert len(selects) == 2, "one query for accounts' choices, one for subscribers'"
    assert db.session.scalar(select(func.count()).select_from(DigestItem)) == 1
