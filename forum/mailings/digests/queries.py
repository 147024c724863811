"""Reads for the digest job: who has items waiting, and their choices, a batch at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute

from forum.extensions import db
from forum.notifications.models import DigestItem, EmailPreference
from forum.notifications.topics import Frequency, Topic


def select_waiting(owner: InstrumentedAttribute, how_often: Frequency, now: datetime) -> Select:
    """Ids of the people (`owner` is `DigestItem.user_id` or `.subscriber_id`) with items of
    this frequency not yet sent, made up to `now`, lowest id first."""
    return (
        select(owner)
        .where(
            DigestItem.frequency == how_often,
            DigestItem.sent_at.is_(None),
            owner.is_not(None),
            DigestItem.created_at <= now,
        )
        .group_by(owner)
        .order_by(owner)
    )


def people_waiting(
    owner: InstrumentedAttribute, how_often: Frequency, now: datetime, *, after: int, limit: int
) -> list[int]:
    """The next `limit` people after id `after` with items waiting (keyset pages: a person
    another worker has just sent to is not met again)."""
    stmt = select_waiting(owner, how_often, now).where(owner > after).limit(limit)
    return list(db.session.scalars(stmt))


def chosen_frequencies(
    owner: str, person_ids: Sequence[int], area_ids: Sequence[int]
) -> dict[tuple[int, int, Topic], Frequency]:
    """(person id, area id, topic) -> the frequency each person chose, for many people in
    one query; missing means the topic's default."""
    column = getattr(EmailPreference, owner)
    rows = db.session.execute(
        select(
            column, EmailPreference.area_id, EmailPreference.topic, EmailPreference.frequency
        ).where(column.in_(person_ids), EmailPreference.area_id.in_(area_ids))
    )
    return {(person, area, topic): how for person, area, topic, how in rows}


def unsent_items_of(user_id: int) -> list[DigestItem]:
    """An account's digest items still waiting to be sent, oldest first ("Your data")."""
    return list(
        db.session.scalars(
            select(DigestItem)
            .where(DigestItem.user_id == user_id, DigestItem.sent_at.is_(None))
            .order_by(DigestItem.created_at, DigestItem.id)
        )
    )
