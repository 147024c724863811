"""Subscribing without an account: double opt-in, nothing said about who was subscribed
already, signed links that work for one subscription only, and everything deleted on
request or when a request is never confirmed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.mailings.subscribers import queries
from forum.mailings.subscribers import services as subscribers
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications import subscriber_tokens as tokens
from forum.notifications.models import DigestItem, EmailPreference, OutboxMessage, Subscriber
from forum.notifications.topics import Frequency, Topic
from tests.factories import make_area

LINK = "/subscribe/confirm/"


@pytest.fixture
def area(app):
    with app.test_request_context():
        area = make_area(slug="northshire")
        db.session.commit()
        yield area


def _secret_from(message: OutboxMessage) -> str:
    """The confirmation secret, read from the outbox before it is sent (and scrubbed)."""
    body = message.body_text
    return body.split(LINK, 1)[1].split()[0]


def _subscribe(area, email="sam@example.org", topics=(Topic.CONSULTATIONS, Topic.EVENTS)):
    subscriber = subscribers.subscribe(area, email, topics)
    db.session.commit()
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return subscriber, message


def test_subscribing_sends_a_confirmation_and_nothing_else(app, area):
    with app.test_request_context():
        subscriber, message = _subscribe(area, "  Sam@Example.ORG ")
        assert subscriber.email == "sam@example.org"
        assert not subscriber.is_confirmed
        assert message.kind == "subscriber_confirm"
        assert message.to_address == "sam@example.org"
        assert message.is_forgotten_once_sent
        assert message.topic is None  # a service email: no unsubscribe, always sent
        # the link is a secret: stored only as a digest, and scrubbed from the sent copy
        secret = _secret_from(message)
        assert subscriber.confirm_digest == queries.digest(secret)
        assert secret not in (subscriber.confirm_digest or "")
        assert message.secret_values and secret in message.secret_values
        # what they ticked is what they will get; the rest is off
        assert preferences.choices(subscriber, area.id) == {
            Topic.CONSULTATIONS: Frequency.IMMEDIATELY,
            Topic.NEWSLETTERS: Frequency.NEVER,
            Topic.EVENTS: Frequency.IMMEDIATELY,
        }


def test_an_unconfirmed_subscriber_gets_no_optional_email(app, area):
    with app.test_request_context():
        subscriber, _ = _subscribe(area)
        mail = preferences.Mail(template="subscriber_welcome", kind="x", title="t", link="l")
        assert preferences.notify(subscriber, area, Topic.EVENTS, mail, audience="public") is None


def test_confirming_starts_the_emails_and_sends_the_link_to_keep(app, area):
    with app.test_request_context():
        subscriber, message = _subscribe(area)
        found = queries.get_unconfirmed(_secret_from(message))
        assert found is not None and found.id == subscriber.id
        subscribers.confirm(found, area)
        db.session.commit()
        assert subscriber.is_confirmed and subscriber.confirm_digest is None
        welcome = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "subscriber_welcome")
        ).one()
        link = subscribers.preferences_link(subscriber)
        assert link in welcome.body_text and link in welcome.secret_values
        # the confirmation link is used up
        assert queries.get_unconfirmed(_secret_from(message)) is None


def test_asking_again_before_confirming_sends_a_new_link_and_takes_the_new_choice(app, area):
    with app.test_request_context():
        first, first_message = _subscribe(area)
        again, second_message = _subscribe(area, topics=(Topic.NEWSLETTERS,))
        assert again.id == first.id
        assert queries.get_unconfirmed(_secret_from(first_message)) is None
        assert queries.get_unconfirmed(_secret_from(second_message)).id == first.id
        assert preferences.choices(again, area.id)[Topic.NEWSLETTERS] is Frequency.IMMEDIATELY
        assert preferences.choices(again, area.id)[Topic.EVENTS] is Frequency.NEVER


def test_an_address_already_subscribed_is_not_changed_and_is_emailed_its_link(app, area):
    with app.test_request_context():
        subscriber, message = _subscribe(area)
        subscribers.confirm(queries.get_unconfirmed(_secret_from(message)), area)
        db.session.commit()
        before = preferences.choices(subscriber, area.id)
        assert subscribers.subscribe(area, "SAM@example.org", [Topic.NEWSLETTERS]) is None
        db.session.commit()
        assert preferences.choices(subscriber, area.id) == before
        already = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "subscriber_already")
        ).one()
        assert subscribers.preferences_link(subscriber) in already.body_text
        assert already.is_forgotten_once_sent


def test_a_confirmation_link_stops_working_after_a_week(app, area):
    with app.test_request_context():
        subscriber, message = _subscribe(area)
        subscriber.created_at = utcnow() - queries.CONFIRM_WITHIN - timedelta(minutes=1)
        db.session.commit()
        assert queries.get_unconfirmed(_secret_from(message)) is None


@pytest.mark.parametrize("secret", ["", "x" * 500, "nope", "\u202etoken"])
def test_made_up_confirmation_links_find_nothing(app, area, secret):
    with app.test_request_context():
        _subscribe(area)
        assert queries.get_unconfirmed(secret) is None


def _confirmed(area, email="sam@example.org"):
    subscriber, message = _subscribe(area, email)
    subscribers.confirm(queries.get_unconfirmed(_secret_from(message)), area)
    db.session.commit()
    return subscriber


def test_a_preferences_link_opens_one_subscription_only(app, area):
    with app.test_request_context():
        sam = _confirmed(area)
        token = tokens.make_token(sam)
        assert queries.get_by_token(token).id == sam.id
        other_area = make_area(slug="southshire")
        kim = _confirmed(other_area, "kim@example.org")
        kim_token = tokens.make_token(kim)
        assert queries.get_by_token(kim_token).id == kim.id
        # forged, altered, or pointing at another area or another subscriber: nothing
        assert queries.get_by_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB")) is None
        assert queries.get_by_token("not-a-token") is None
        from itsdangerous import URLSafeSerializer

        forged = URLSafeSerializer("another-key", salt=tokens.SALT).dumps([sam.id, area.id, 1])
        assert queries.get_by_token(forged) is None
        signer = tokens._serializer()
        stamp = int(sam.confirmed_at.timestamp())
        assert queries.get_by_token(signer.dumps([sam.id, other_area.id, stamp])) is None
        assert queries.get_by_token(signer.dumps([kim.id, area.id, stamp])) is None
        assert queries.get_by_token(signer.dumps([sam.id, area.id, stamp + 1])) is None
        assert queries.get_by_token(signer.dumps(["1", area.id, stamp])) is None
        assert queries.get_by_token(signer.dumps([sam.id, area.id])) is None
        # an unsubscribe token (another salt) is not a preferences link
        from forum.notifications.tokens import make_token as unsubscribe_token

        assert (
            queries.get_by_token(
                unsubscribe_token(area_id=area.id, topic=Topic.EVENTS, subscriber_id=sam.id)
            )
            is None
        )


def test_an_unconfirmed_subscriber_has_no_preferences_link(app, area):
    with app.test_request_context():
        subscriber, _ = _subscribe(area)
        with pytest.raises(ValueError):
            tokens.make_token(subscriber)


def test_deleting_a_subscription_deletes_everything_about_it(app, area):
    with app.test_request_context():
        sam = _confirmed(area)
        kim = _confirmed(area, "kim@example.org")
        for person in (sam, kim):
            preferences.choose(person, area.id, Topic.EVENTS, Frequency.WEEKLY)
            preferences.notify(
                person,
                area,
                Topic.EVENTS,
                preferences.Mail(template="x", kind="x", title="An event", link="/e"),
                audience="public",
            )
        db.session.commit()
        token = tokens.make_token(sam)
        sam_id, kim_id = sam.id, kim.id
        subscribers.delete_subscription(sam)
        db.session.commit()
        assert queries.get_by_token(token) is None
        for model in (EmailPreference, DigestItem, OutboxMessage):
            owners = set(db.session.scalars(select(model.subscriber_id)))
            assert sam_id not in owners
            assert kim_id in owners or model is OutboxMessage
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.to_address == "sam@example.org")
            )
            == 0
        )
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.to_address == "kim@example.org")
            )
            == 2
        )
        assert [s.email for s in db.session.scalars(select(Subscriber))] == ["kim@example.org"]


def test_unconfirmed_requests_are_purged_after_a_week(app, area):
    with app.test_request_context():
        old, _ = _subscribe(area, "old@example.org")
        recent, _ = _subscribe(area, "recent@example.org")
        confirmed = _confirmed(area, "kept@example.org")
        now = utcnow()
        old.created_at = now - timedelta(days=8)
        confirmed.created_at = now - timedelta(days=80)
        db.session.commit()
        assert subscribers.purge_unconfirmed(now) == 1
        db.session.commit()
        assert sorted(s.email for s in db.session.scalars(select(Subscriber))) == [
            "kept@example.org",
            "recent@example.org",
        ]
        assert subscribers.purge_unconfirmed(now) == 0
