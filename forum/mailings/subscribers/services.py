"""Subscribing without an account, confirming, and deleting a subscription. Flush, never
commit; the caller commits.

Nothing here says whether an address was subscribed already: the page that asks looks the
same either way, and what differs goes by email to the address itself (a confirmation link,
or "you are already subscribed, here is your link"). Emails to someone who has not confirmed
are forgotten once sent (the address and body are blanked on the outbox row), so a mistyped
or malicious address is not kept beyond the week its request lives.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import CursorResult, delete, select

from forum.extensions import db
from forum.mailings.subscribers.queries import CONFIRM_WITHIN, digest, get_subscriber
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications import subscriber_tokens as tokens
from forum.notifications.models import DigestItem, EmailPreference, OutboxMessage, Subscriber
from forum.notifications.services import queue_email
from forum.notifications.topics import SUBSCRIBER_DEFAULT, SUBSCRIBER_TOPICS, Frequency, Topic
from forum.web.urls import external_url

#: kinds of email sent to a subscriber's address that are not tied to the subscriber's row
#: (so its deletion cannot cascade to them)
SUBSCRIBER_KINDS = ("subscriber_confirm", "subscriber_already", "subscriber_welcome")


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def preferences_link(subscriber: Subscriber) -> str:
    return external_url("mailings.subscription", token=tokens.make_token(subscriber))


def _set_topics(subscriber: Subscriber, wanted: Iterable[Topic]) -> None:
    wanted = set(wanted)
    for topic in SUBSCRIBER_TOPICS:
        how_often = SUBSCRIBER_DEFAULT if topic in wanted else Frequency.NEVER
        preferences.choose(subscriber, subscriber.area_id, topic, how_often)


def subscribe(area, email: str, topics: Iterable[Topic]) -> Subscriber | None:
    """Ask for `area`'s public announcements about `topics` at `email`.

    A new address (or one whose earlier request was never confirmed) gets a confirmation
    link, valid for `CONFIRM_WITHIN`; until it is followed nothing else is sent to it. An
    address already subscribed is changed in no way, and is emailed its preferences link.
    Returns the unconfirmed subscriber, or None when the address was subscribed already.
    """
    email = normalise(email)
    topics = [topic for topic in topics if topic.for_subscribers]
    subscriber = get_subscriber(area.id, email)
    if subscriber is not None and subscriber.is_confirmed:
        link = preferences_link(subscriber)
        message = queue_email(
            email,
            "subscriber_already",
            kind="subscriber_already",
            secrets=[link],
            area=area,
            link=link,
        )
        message.is_forgotten_once_sent = True
        return None
    secret = secrets.token_urlsafe(32)
    if subscriber is None:
        subscriber = Subscriber(area_id=area.id, email=email)
        db.session.add(subscriber)
    subscriber.confirm_digest = digest(secret)
    # a new request starts the week again
    subscriber.created_at = utcnow()
    db.session.flush()
    _set_topics(subscriber, topics)
    link = external_url("mailings.confirm_subscription", token=secret)
    message = queue_email(
        email,
        "subscriber_confirm",
        kind="subscriber_confirm",
        secrets=[link],
        area=area,
        link=link,
        topics=[topic for topic in SUBSCRIBER_TOPICS if topic in topics],
        days=CONFIRM_WITHIN.days,
    )
    message.is_forgotten_once_sent = True
    return subscriber


def confirm(subscriber: Subscriber, area) -> Subscriber:
    """The subscriber followed their link: from now on they get what they chose. They are
    emailed the link to their choices, to keep."""
    if subscriber.is_confirmed:
        return subscriber
    subscriber.confirmed_at = utcnow()
    subscriber.confirm_digest = None
    db.session.flush()
    link = preferences_link(subscriber)
    queue_email(
        subscriber.email,
        "subscriber_welcome",
        kind="subscriber_welcome",
        secrets=[link],
        area=area,
        link=link,
        topics=[
            topic
            for topic, how_often in preferences.choices(subscriber, area.id).items()
            if how_often is not Frequency.NEVER
        ],
    )
    return subscriber


def delete_subscription(subscriber: Subscriber) -> None:
    """Delete the subscriber and everything kept about them: their choices, digest lines and
    emails (those still to be sent are cancelled)."""
    for model in (EmailPreference, DigestItem, OutboxMessage):
        db.session.execute(
            delete(model)
            .where(model.subscriber_id == subscriber.id)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.to_address == subscriber.email,
            OutboxMessage.kind.in_(SUBSCRIBER_KINDS),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.delete(subscriber)
    db.session.flush()


def purge_unconfirmed(now: datetime) -> int:
    """Requests to subscribe whose link was not followed within `CONFIRM_WITHIN` are deleted
    (with the choices made when asking). Returns how many."""
    stale = select(Subscriber.id).where(
        Subscriber.confirmed_at.is_(None), Subscriber.created_at < now - CONFIRM_WITHIN
    )
    db.session.execute(
        delete(EmailPreference)
        .where(EmailPreference.subscriber_id.in_(stale))
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        delete(Subscriber)
        .where(Subscriber.confirmed_at.is_(None), Subscriber.created_at < now - CONFIRM_WITHIN)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount or 0
