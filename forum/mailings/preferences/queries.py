"""Reads for the "Your emails" page: which forums to show and every choice in them, in a
fixed number of statements however many forums a person belongs to."""

from __future__ import annotations

from sqlalchemy import or_, select

from forum.areas.models import Area, Membership, MembershipStatus
from forum.extensions import db
from forum.notifications.models import EmailPreference
from forum.notifications.preferences import default_for, topics_for
from forum.notifications.topics import Frequency, Topic


def areas_for(user) -> list[tuple[Area, MembershipStatus | None]]:
    """The forums the person belongs to or asked to join, and any other forum they have
    already made a choice for, by name, each with their membership's status (None: not a
    member)."""
    rows = db.session.execute(
        select(Area, Membership.status)
        .outerjoin(
            Membership,
            (Membership.area_id == Area.id)
            & (Membership.user_id == user.id)
            & Membership.status.in_((MembershipStatus.ACTIVE, MembershipStatus.PENDING)),
        )
        .where(
            or_(
                Membership.id.is_not(None),
                Area.id.in_(
                    select(EmailPreference.area_id).where(EmailPreference.user_id == user.id)
                ),
            )
        )
        .order_by(Area.name, Area.id)
    ).all()
    return [(area, status) for area, status in rows]


def choices_by_area(user, area_ids: list[int]) -> dict[int, dict[Topic, Frequency]]:
    """Every topic with how often the person wants it, per area, in one statement."""
    chosen: dict[int, dict[Topic, Frequency]] = {area_id: {} for area_id in area_ids}
    if area_ids:
        rows = db.session.execute(
            select(EmailPreference.area_id, EmailPreference.topic, EmailPreference.frequency).where(
                EmailPreference.user_id == user.id, EmailPreference.area_id.in_(area_ids)
            )
        )
        for area_id, topic, how_often in rows:
            chosen[area_id][topic] = how_often
    return {
        area_id: {topic: found.get(topic, default_for(user, topic)) for topic in topics_for(user)}
        for area_id, found in chosen.items()
    }


def select_choices_of(user):
    """Every choice the person has made, for "Your data"."""
    return (
        select(EmailPreference, Area.forum_name)
        .join(Area, Area.id == EmailPreference.area_id)
        .where(EmailPreference.user_id == user.id)
        .order_by(Area.forum_name, EmailPreference.topic)
    )
