"""Each person's choices of optional email, and sending an optional email by them.

`notify()` is how every optional email leaves an area: it looks up how often the person wants
that topic from that area, and queues the email now (with its unsubscribe link and headers), or
keeps a line for their daily or weekly digest, or does nothing. Service emails (verification,
reset, moderation of one's own post) go through `services.queue_email` directly and cannot be
turned off. Whoever a person is, the same checks run again when the email is sent
(`services.may_send`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from forum.extensions import db
from forum.notifications.models import DigestItem, EmailPreference, Subscriber
from forum.notifications.services import Optional, queue_email
from forum.notifications.topics import SUBSCRIBER_DEFAULT, Frequency, Topic

# A "person" below is whoever an optional email can go to: an account (the accounts package's
# `User`, of which only `id` and `email` are used) or a public `Subscriber`.


def _owner(person) -> dict:
    if isinstance(person, Subscriber):
        return {"subscriber_id": person.id}
    return {"user_id": person.id}


def default_for(person, topic: Topic) -> Frequency:
    if isinstance(person, Subscriber):
        return SUBSCRIBER_DEFAULT if topic.for_subscribers else Frequency.NEVER
    return topic.default


def topics_for(person) -> tuple[Topic, ...]:
    """The topics a person can choose between: subscribers only the public ones."""
    if isinstance(person, Subscriber):
        return tuple(topic for topic in Topic if topic.for_subscribers)
    return tuple(Topic)


def choices(person, area_id: int) -> dict[Topic, Frequency]:
    """Every topic the person can have from the area, with how often (their choice or the
    default), in one query."""
    rows = db.session.execute(
        select(EmailPreference.topic, EmailPreference.frequency).filter_by(
            area_id=area_id, **_owner(person)
        )
    )
    chosen = dict(rows.tuples().all())
    return {topic: chosen.get(topic, default_for(person, topic)) for topic in topics_for(person)}


def frequency(person, area_id: int, topic: Topic) -> Frequency:
    if topic not in topics_for(person):
        return Frequency.NEVER
    chosen = db.session.scalar(
        select(EmailPreference.frequency).filter_by(area_id=area_id, topic=topic, **_owner(person))
    )
    return chosen or default_for(person, topic)


def choose(person, area_id: int, topic: Topic, how_often: Frequency) -> bool:
    """Set how often the person wants a topic from an area; True if it changed. Flushes."""
    if topic not in topics_for(person):
        raise ValueError(f"{topic} cannot be chosen by this person")
    row = db.session.scalar(
        select(EmailPreference).filter_by(area_id=area_id, topic=topic, **_owner(person))
    )
    if row is None:
        if how_often is default_for(person, topic):
            return False
        db.session.add(
            EmailPreference(area_id=area_id, topic=topic, frequency=how_often, **_owner(person))
        )
    elif row.frequency is how_often:
        return False
    else:
        row.frequency = how_often
    db.session.flush()
    return True


@dataclass(frozen=True)
class Mail:
    """What an optional email says, for `notify`: the template and its context for an email of
    its own, and a line, a few words and a link for a digest."""

    template: str
    kind: str
    title: str
    link: str
    summary: str = ""
    context: dict | None = None


def notify(person, area, topic: Topic, mail: Mail, *, audience: str, about: str | None = None):
    """Send `mail` to `person` as they chose for `topic` in `area`: queue it now, add it to
    their digest, or nothing. Returns the `OutboxMessage`, the `DigestItem` or None. Flushes.

    `audience` is "members" (only the area's active members may have it) or "public"
    (subscribers too); `about` names what it is about ("consultation:12") so that sending can
    check again that the person may still see it.
    """
    how_often = frequency(person, area.id, topic)
    if how_often is Frequency.NEVER:
        return None
    if isinstance(person, Subscriber) and (not person.is_confirmed or audience != "public"):
        return None
    if how_often.is_digest:
        item = DigestItem(
            area_id=area.id,
            topic=topic,
            frequency=how_often,
            title=mail.title[:200],
            summary=mail.summary,
            link=mail.link[:500],
            audience=audience,
            about=about,
            **_owner(person),
        )
        db.session.add(item)
        db.session.flush()
        return item
    return queue_email(
        person.email,
        mail.template,
        kind=mail.kind,
        optional=Optional(
            topic=topic, area_id=area.id, audience=audience, about=about, **_owner(person)
        ),
        area=area,
        **(mail.context or {}),
    )


def notify_each(people: Iterable, area, topic: Topic, mail_for, *, audience: str, about=None):
    """`notify` for many people; `mail_for(person) -> Mail`. Returns how many were queued or
    kept for a digest."""
    done = 0
    for person in people:
        if notify(person, area, topic, mail_for(person), audience=audience, about=about):
            done += 1
    return done
