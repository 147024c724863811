"""Making and queueing the daily and weekly digests, and forgetting what they held.

`send_digests(now, frequency)` takes the people with items of that frequency waiting, 500 at a
time, each batch in its own transaction: it claims their items (one conditional UPDATE that
sets `sent_at` and returns the rows it changed, so two workers never take the same item),
checks each item again as the person stands now, and queues one email per person per area,
in that same transaction. An item the person may no longer have is marked sent and left out;
a digest with nothing left is not sent at all.

An item is left out when, at sending:

- the person has since set its topic to "never" (they asked for no more of it);
- `hooks.email_recipient_allowed` says no: they left the forum or were suspended, a
  subscriber's address is no longer confirmed, or what it is about was deleted, taken back to
  draft or made members-only.

An item whose topic the person has since moved to "straight away", or to the other digest,
still goes in the digest it was made for: it was already waiting, and sending it now on its
own would only make it later. What is made after the change follows the new choice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import selectinload

from forum import hooks
from forum.accounts.models import User
from forum.areas.models import Area
from forum.consultations.models import Consultation
from forum.discussions.models import Thread
from forum.extensions import db
from forum.mailings.digests import queries
from forum.mailings.permissions import known_people
from forum.mailings.subscribers.services import preferences_link as subscriber_preferences_link
from forum.notifications.models import DigestItem, Subscriber
from forum.notifications.preferences import choices, choose, default_for, topics_for
from forum.notifications.services import Account, Optional, queue_email
from forum.notifications.topics import Frequency, Topic
from forum.web.time import london

#: people per batch, and per transaction
BATCH = 500

#: sent (or left out) digest items are deleted this long after
KEEP_SENT = timedelta(days=30)

#: the columns an item is claimed with, in the order `_claim` returns them
_CLAIMED = (
    DigestItem.id,
    DigestItem.area_id,
    DigestItem.user_id,
    DigestItem.subscriber_id,
    DigestItem.topic,
    DigestItem.title,
    DigestItem.summary,
    DigestItem.link,
    DigestItem.audience,
    DigestItem.about,
    DigestItem.created_at,
)


@dataclass(frozen=True)
class Line:
    """One item as the digest shows it."""

    title: str
    summary: str
    link: str


@dataclass
class Group:
    """The items of one topic, under its heading."""

    topic: Topic
    label: str
    lines: list[Line] = field(default_factory=list)


def send_digests(now: datetime, frequency: Frequency, *, batch_size: int = BATCH) -> int:
    """Queue the `frequency` (daily or weekly) digest of everyone with items made up to
    `now`. Returns how many emails were queued. Commits after each batch of people, so it
    can be stopped at any point and run again, on any number of workers at once, with no
    digest sent twice and no item in two digests."""
    if not frequency.is_digest:
        raise ValueError(f"{frequency} is not a digest")
    queued = 0
    for owner in ("user_id", "subscriber_id"):
        after = 0
        while True:
            ids = queries.people_waiting(
                getattr(DigestItem, owner), frequency, now, after=after, limit=batch_size
            )
            if not ids:
                break
            after = ids[-1]
            queued += _send_batch(owner, ids, frequency, now)
            db.session.commit()
    return queued


def send_daily_digests(now: datetime) -> int:
    """The scheduled job: every day at 07:00 Europe/London."""
    return send_digests(now, Frequency.DAILY)


def send_weekly_digests(now: datetime) -> int:
    """The scheduled job: Mondays at 07:00 Europe/London."""
    return send_digests(now, Frequency.WEEKLY)


def _claim(owner: str, person_ids: Sequence[int], frequency: Frequency, now: datetime) -> list:
    """Mark the people's waiting items sent and return them: only the rows this UPDATE
    changed, so an item another worker claimed first is not returned here."""
    column = getattr(DigestItem, owner)
    rows = db.session.execute(
        update(DigestItem)
        .where(
            column.in_(person_ids),
            DigestItem.frequency == frequency,
            DigestItem.sent_at.is_(None),
            DigestItem.created_at <= now,
        )
        .values(sent_at=now)
        .returning(*_CLAIMED)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted(rows, key=lambda row: (row.created_at, row.id))


def _people(owner: str, person_ids: set[int]) -> dict[int, object]:
    if owner == "user_id":
        users = db.session.scalars(select(User).where(User.id.in_(person_ids)))
        return {user.id: user for user in users}
    subscribers = db.session.scalars(select(Subscriber).where(Subscriber.id.in_(person_ids)))
    return {subscriber.id: subscriber for subscriber in subscribers}


def _load_what_items_are_about(abouts: set[str]) -> list:
    """Load what the items are about into the session in a query per kind, so the checks'
    `db.session.get` finds them there instead of asking the database once per item."""
    ids: dict[str, set[int]] = defaultdict(set)
    for about in abouts:
        kind, _, raw_id = about.partition(":")
        if raw_id.isdigit():
            ids[kind].add(int(raw_id))
    loaded: list = []
    if ids["consultation"]:
        loaded += db.session.scalars(
            select(Consultation).where(Consultation.id.in_(ids["consultation"]))
        )
    if ids["thread"]:
        loaded += db.session.scalars(
            select(Thread).where(Thread.id.in_(ids["thread"])).options(selectinload(Thread.board))
        )
    return loaded


def _send_batch(owner: str, person_ids: list[int], frequency: Frequency, now: datetime) -> int:
    items = _claim(owner, person_ids, frequency, now)
    if not items:
        return 0
    is_account = owner == "user_id"
    people = _people(owner, {getattr(item, owner) for item in items})
    area_ids = {item.area_id for item in items}
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(area_ids)))}
    chosen = queries.chosen_frequencies(owner, list(people), list(area_ids))
    abouts = {item.about for item in items if item.about}
    kept: dict[tuple[int, int], list] = defaultdict(list)
    allowed: dict[tuple, str | None] = {}
    with known_people(people if is_account else (), area_ids):
        # held here while the batch is checked: the session only keeps what is referenced
        subjects = _load_what_items_are_about(abouts)
        for item in items:
            person_id = getattr(item, owner)
            found = people.get(person_id)
            if found is None or item.area_id not in areas:
                continue
            if isinstance(found, Subscriber) and not found.is_confirmed:
                continue
            if item.topic not in topics_for(found):
                continue
            how = chosen.get((person_id, item.area_id, item.topic), default_for(found, item.topic))
            if how is Frequency.NEVER:
                continue
            key = (person_id, item.area_id, item.audience, item.about)
            if key not in allowed:
                person = Account(person_id) if is_account else found
                reasons = hooks.email_recipient_allowed.results(
                    person, item.area_id, item.audience, item.about
                )
                allowed[key] = reasons[0] if reasons else None
            if allowed[key] is None:
                kept[(person_id, item.area_id)].append(item)
        del subjects
    for (person_id, area_id), lines in kept.items():
        person = people[person_id]
        still = {
            topic
            for topic in Topic
            if chosen.get((person_id, area_id, topic), default_for(person, topic)) is frequency
        }
        _queue(person, areas[area_id], lines, frequency, now, still=still)
    return len(kept)


def _queue(
    person, area: Area, items: list, frequency: Frequency, now: datetime, *, still: set[Topic]
) -> None:
    """One digest email. `still` are the topics the person has at this frequency now: the
    outbox row is filed under the first of the digest's topics among them, so that stopping
    the digest (which sets them to "never") stops this one too if it has not gone yet."""
    groups: dict[Topic, Group] = {}
    for topic in Topic:
        for item in items:
            if item.topic is topic:
                group = groups.setdefault(topic, Group(topic, topic.label))
                group.lines.append(Line(item.title, item.summary or "", item.link))
    is_subscriber = isinstance(person, Subscriber)
    extra: dict = {}
    if is_subscriber:
        audience = "public"
        owner = {"subscriber_id": person.id}
        # a subscriber has no account: their choices are on the page their own signed link
        # opens, a secret taken out of the stored copy once the email is sent
        link = subscriber_preferences_link(person)
        extra = {"preferences_link": link, "secrets": [link]}
    else:
        audience = "personal" if any(i.audience == "personal" for i in items) else "members"
        owner = {"user_id": person.id}
    ordered = list(groups.values())
    named = next((group.topic for group in ordered if group.topic in still), ordered[0].topic)
    queue_email(
        person.email,
        "digest",
        kind=f"digest_{frequency.value}",
        optional=Optional(
            # a digest spans topics: one names it (see above); its unsubscribe link stops the
            # whole digest (`notifications.services.DIGEST_KINDS`)
            topic=named,
            area_id=area.id,
            audience=audience,
            **owner,
        ),
        area=area,
        name=None if is_subscriber else person.display_name,
        frequency_word=frequency.value,
        groups=ordered,
        count=sum(len(group.lines) for group in ordered),
        up_to=london(now, "%-I:%M%p on %A %-d %B %Y"),
        topics_text=_joined([group.label.lower() for group in ordered]),
        is_subscriber=is_subscriber,
        **extra,
    )


def _joined(words: list[str]) -> str:
    """Words joined as people write them: "a and b", "a, b and c"."""
    if len(words) < 3:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def stop_digest(person, area_id: int, frequency: Frequency) -> list[Topic]:
    """The person asked for no more of their `frequency` email from the area: every topic
    they have at that frequency is set to "never". Returns those topics. Flushes."""
    stopped = [topic for topic, how in choices(person, area_id).items() if how is frequency]
    for topic in stopped:
        choose(person, area_id, topic, Frequency.NEVER)
    return stopped


def purge_sent_items(now: datetime) -> int:
    """Digest items sent (or left out) more than `KEEP_SENT` ago are deleted."""
    result = db.session.execute(
        delete(DigestItem)
        .where(DigestItem.sent_at.is_not(None), DigestItem.sent_at < now - KEEP_SENT)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount
