"""Reads for announcements: which consultations are due an email, who their audience is, and
what has been sent.

The audience of a consultation is its area's active members (with a confirmed address, not
suspended) and, for a public consultation, the area's confirmed subscribers. Whether each of
them gets the email, and how (now or in a digest), is their own choice
(`preferences.notify_each`), checked again when it is sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, exists, or_, select

from forum.accounts.models import User
from forum.areas.models import Membership, MembershipStatus
from forum.consultations.models import Audience, Consultation
from forum.discussions.models import Suspension
from forum.extensions import db
from forum.mailings.announcements.models import (
    DAYS_BEFORE_MAX,
    DEFAULT_DAYS_BEFORE,
    Announcement,
    Occasion,
    ReminderSettings,
)
from forum.notifications.models import Subscriber
from forum.surveys.models import Response, ResponseStatus, Survey

#: a consultation that opened (or was published already open) longer ago than this is not
#: announced: it opened before announcements existed, or while no worker ran, and an
#: "it is open" email days late would mislead more than help
CATCH_UP = timedelta(days=2)
#: a reminder is not sent when less time than this is left before closing (a worker that was
#: down for days should not send "3 days left" an hour before the end)
REMINDER_LATEST = timedelta(hours=6)


def select_due_openings(now: datetime) -> Select:
    """Ids of published consultations open at `now` that have not been announced, and that
    opened, or were published, within `CATCH_UP` (oldest opening first)."""
    announced = exists().where(
        Announcement.consultation_id == Consultation.id,
        Announcement.occasion == Occasion.OPENED,
    )
    return (
        select(Consultation.id)
        .where(
            Consultation.published_at.is_not(None),
            Consultation.responded_at.is_(None),
            Consultation.opens_at <= now,
            Consultation.closes_at > now,
            or_(
                Consultation.opens_at >= now - CATCH_UP, Consultation.published_at >= now - CATCH_UP
            ),
            ~announced,
        )
        .order_by(Consultation.opens_at, Consultation.id)
    )


def settings_of(consultation: Consultation) -> ReminderSettings | None:
    return db.session.get(ReminderSettings, consultation.id)


def reminder_at(consultation: Consultation, settings: ReminderSettings | None) -> datetime | None:
    """When the reminder before the current closing date is due, or None when there is none:
    turned off, or the consultation is open for less time than the reminder's notice (the
    opening email says as much)."""
    if settings is not None and not settings.is_on:
        return None
    days = settings.days_before if settings is not None else DEFAULT_DAYS_BEFORE
    due = consultation.closes_at - timedelta(days=days)
    if due < consultation.opens_at:
        return None
    return due


def due_reminders(now: datetime) -> list[int]:
    """Ids of open consultations whose reminder is due at `now` and not yet sent, in three
    queries however many there are."""
    rows = db.session.execute(
        select(Consultation, ReminderSettings)
        .outerjoin(ReminderSettings, ReminderSettings.consultation_id == Consultation.id)
        .where(
            Consultation.published_at.is_not(None),
            Consultation.responded_at.is_(None),
            Consultation.opens_at <= now,
            Consultation.closes_at > now + REMINDER_LATEST,
            Consultation.closes_at <= now + timedelta(days=DAYS_BEFORE_MAX),
            or_(ReminderSettings.is_on.is_(None), ReminderSettings.is_on.is_(True)),
        )
        .order_by(Consultation.closes_at, Consultation.id)
    ).all()
    candidates = [
        consultation
        for consultation, settings in rows
        if (due := reminder_at(consultation, settings)) is not None and due <= now
    ]
    if not candidates:
        return []
    sent = set(
        db.session.execute(
            select(Announcement.consultation_id, Announcement.occasion).where(
                Announcement.consultation_id.in_([c.id for c in candidates]),
                Announcement.occasion.startswith("reminder:"),
            )
        ).all()
    )
    return [c.id for c in candidates if (c.id, Occasion.reminder(c.closes_at)) not in sent]


def survey_of(consultation: Consultation) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.consultation_id == consultation.id))


def is_anonymous(consultation: Consultation) -> bool:
    survey = survey_of(consultation)
    return survey is not None and survey.is_anonymous


def responded_user_ids(consultation: Consultation) -> set[int]:
    """The accounts with a submitted response to the consultation's survey. Never asked of an
    anonymous survey (its responses carry no account, and the platform must not try to tell
    who answered): callers remind everyone or nobody there."""
    return set(
        db.session.scalars(
            select(Response.user_id)
            .join(Survey, Survey.id == Response.survey_id)
            .where(
                Survey.consultation_id == consultation.id,
                Survey.is_anonymous.is_(False),
                Response.status == ResponseStatus.SUBMITTED,
                Response.user_id.is_not(None),
            )
            .distinct()
        )
    )


def members_of(area_id: int, now: datetime) -> list[User]:
    """The area's active members with a confirmed address who are not suspended now."""
    suspended = exists().where(
        Suspension.area_id == area_id,
        Suspension.user_id == User.id,
        Suspension.until > now,
    )
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.area_id == area_id,
                Membership.status == MembershipStatus.ACTIVE,
                User.email_verified_at.is_not(None),
                ~suspended,
            )
            .order_by(User.id)
        )
    )


def subscribers_of(area_id: int) -> list[Subscriber]:
    """The area's confirmed public subscribers."""
    return list(
        db.session.scalars(
            select(Subscriber)
            .where(Subscriber.area_id == area_id, Subscriber.confirmed_at.is_not(None))
            .order_by(Subscriber.id)
        )
    )


def audience_of(consultation: Consultation, now: datetime) -> list:
    """Everyone a consultation is announced to: members, and subscribers too when it is
    public."""
    people: list = list(members_of(consultation.area_id, now))
    if consultation.audience is Audience.PUBLIC:
        people += subscribers_of(consultation.area_id)
    return people


def announcements_of(consultation: Consultation) -> list[Announcement]:
    """What the consultation's audience has been told, oldest first."""
    return list(
        db.session.scalars(
            select(Announcement)
            .where(Announcement.consultation_id == consultation.id)
            .order_by(Announcement.created_at, Announcement.id)
        )
    )
