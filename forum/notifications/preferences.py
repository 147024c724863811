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
    chosen = dict(rows.all())
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


def notify(
    person,
    area,
    topic: Topic,
    mail: Mail,
    *,
    audience: str,
    about: str | None = None,
    how_often: Frequency | None = None,
    flush: bool = True,
):
    """Send `mail` to `person` as they chose for `topic` in `area`: queue it now, add it to
    their digest, or nothing. Returns the `OutboxMessage`, the `DigestItem` or None. Flushes.

    `audience` is "members" (only the area's active members may have it) or "public"
    (subscribers too) or "personal" (an account told about its own activity);
    `about` names what it is about ("consultation:12") so that sending can check again that
    the person may still see it. `how_often`, when the caller has looked it up already
    (`notify_each`), saves the query.
    """
    if how_often is None:
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
        if flush:
            db.session.flush()
        return item
    context = dict(mail.context or {})
    secrets: list[str] = []
    if isinstance(person, Subscriber):
        # a subscriber has no account page: their footer links to their own choices, a
        # signed link removed from the stored copy once the email is sent
        from forum.notifications.subscriber_tokens import make_token
        from forum.web.urls import external_url

        link = external_url("mailings.subscription", token=make_token(person))
        context["preferences_link"] = link
        secrets.append(link)
    return queue_email(
        person.email,
        mail.template,
        kind=mail.kind,
        flush=flush,
        secrets=secrets,
        optional=Optional(
            topic=topic, area_id=area.id, audience=audience, about=about, **_owner(person)
        ),
        area=area,
        **context,
    )


def frequencies(people: list, area_id: int, topic: Topic) -> list[Frequency]:
    """How often each of `people` wants `topic` from the area, in two queries at most however
    many there are (one for accounts, one for subscribers)."""
    users = [p.id for p in people if not isinstance(p, Subscriber)]
    subscribers = [p.id for p in people if isinstance(p, Subscriber)]
    chosen: dict[tuple[str, int], Frequency] = {}
    for column, ids, key in (
        (EmailPreference.user_id, users, "u"),
        (EmailPreference.subscriber_id, subscribers, "s"),
    ):
        for start in range(0, len(ids), 500):
            rows = db.session.execute(
                select(column, EmailPreference.frequency).where(
                    EmailPreference.area_id == area_id,
                    EmailPreference.topic == topic,
                    column.in_(ids[start : start + 500]),
                )
            )
            chosen.update({(key, person_id): how for person_id, how in rows})
    found = []
    for person in people:
        key = ("s", person.id) if isinstance(person, Subscriber) else ("u", person.id)
        if topic not in topics_for(person):
            found.append(Frequency.NEVER)
        else:
            found.append(chosen.get(key, default_for(person, topic)))
    return found


def notify_each(
    people: Iterable, area, topic: Topic, mail_for, *, audience: str, about: str | None = None
) -> int:
    """`notify` for many people, looking up their choices together and writing the emails
    together; `mail_for(person) -> Mail`. Returns how many were queued or kept for a digest.
    Flushes."""
    people = list(people)
    done = 0
    for person, how_often in zip(people, frequencies(people, area.id, topic), strict=True):
        if how_often is Frequency.NEVER:
            continue
        found = notify(
            person,
            area,
            topic,
            mail_for(person),
            audience=audience,
            about=about,
            how_often=how_often,
            flush=False,
        )
        if found is not None:
            done += 1
    db.session.flush()  # all of them together: a few multi-row INSERTs, not one per person
    return done
