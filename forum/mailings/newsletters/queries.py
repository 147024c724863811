"""Reading newsletters: who a message would go to (and how many), its figures once sent, the
area's archive, and URL loaders.

The audiences are selects, so counting one and walking it in batches for the fan-out use the
same rule, and neither loads more than a batch of people at a time. Each applies, in SQL, what
the send-time check (`forum/mailings/permissions.py`) would refuse anyway: not an active
member, suspended from the area, or the topic turned off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.areas.models import Membership, MembershipStatus
from forum.areas.queries import load_area
from forum.consultations.models import Consultation
from forum.discussions.models import Suspension
from forum.extensions import db
from forum.mailings.newsletters.models import (
    AudienceKind,
    Newsletter,
    NewsletterStatus,
    Visibility,
)
from forum.notifications.models import DigestItem, EmailPreference, OutboxMessage, Subscriber
from forum.notifications.topics import SUBSCRIBER_DEFAULT, Frequency, Topic
from forum.surveys.models import Response, Survey, counted_responses


@dataclass(frozen=True)
class Audience:
    """What a message is to be sent to: enough to count it before anything is saved."""

    area_id: int
    kind: AudienceKind
    visibility: Visibility
    consultation_id: int | None = None

    @classmethod
    def of(cls, newsletter: Newsletter) -> Audience:
        return cls(
            area_id=newsletter.area_id,
            kind=newsletter.audience,
            visibility=newsletter.visibility,
            consultation_id=newsletter.consultation_id,
        )


def _wants(owner_column, area_id: int, topic: Topic, default: Frequency):
    """A condition: the person (`owner_column` of `EmailPreference` matched to them) gets
    `topic` from the area, by their choice or by the topic's default."""
    chosen = and_(
        EmailPreference.area_id == area_id,
        EmailPreference.topic == topic,
    )
    if default is Frequency.NEVER:
        return exists().where(chosen, owner_column, EmailPreference.frequency != Frequency.NEVER)
    return ~exists().where(chosen, owner_column, EmailPreference.frequency == Frequency.NEVER)


def _active_member(area_id: int):
    return exists().where(
        Membership.area_id == area_id,
        Membership.user_id == User.id,
        Membership.status == MembershipStatus.ACTIVE,
    )


def _not_suspended(area_id: int, now: datetime):
    return ~exists().where(
        Suspension.area_id == area_id, Suspension.user_id == User.id, Suspension.until > now
    )


def _answered(audience: Audience):
    """A condition: the account has a counted response to the consultation's survey, which
    is not anonymous (an anonymous survey's responses name nobody, by design)."""
    return exists().where(
        Response.user_id == User.id,
        Response.area_id == audience.area_id,
        Response.survey_id == Survey.id,
        Survey.consultation_id == audience.consultation_id,
        Survey.is_anonymous.is_(False),
        counted_responses(),
    )


def select_user_recipients(audience: Audience, now: datetime) -> Select:
    """The accounts a message would go to, as a select of `User` ordered by id."""
    return select(User).where(*_user_conditions(audience, now)).order_by(User.id)


def _user_conditions(audience: Audience, now: datetime) -> list:
    topic = audience.kind.topic
    conditions = [
        _not_suspended(audience.area_id, now),
        _wants(EmailPreference.user_id == User.id, audience.area_id, topic, topic.default),
    ]
    if audience.kind is AudienceKind.RESPONDERS:
        conditions.append(_answered(audience))
        if audience.visibility is Visibility.MEMBERS:
            conditions.append(_active_member(audience.area_id))
    else:
        conditions.append(_active_member(audience.area_id))
    return conditions


def select_subscriber_recipients(audience: Audience, now: datetime) -> Select | None:
    """The public subscribers a message would go to (only a public audience has any), but not
    one whose address is an account that gets it already: nobody has it twice."""
    if audience.kind is not AudienceKind.PUBLIC:
        return None
    return (
        select(Subscriber)
        .where(
            Subscriber.area_id == audience.area_id,
            Subscriber.confirmed_at.is_not(None),
            ~exists().where(User.email == Subscriber.email, *_user_conditions(audience, now)),
            _wants(
                EmailPreference.subscriber_id == Subscriber.id,
                audience.area_id,
                Topic.NEWSLETTERS,
                SUBSCRIBER_DEFAULT,
            ),
        )
        .order_by(Subscriber.id)
    )


def _count(stmt: Select | None) -> int:
    if stmt is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


@dataclass(frozen=True)
class Reach:
    """How many people a message would go to, and why it might be nobody."""

    members: int
    subscribers: int
    #: when nobody would get it: the sentence that says why, for the organiser
    nobody_because: str | None = None

    @property
    def total(self) -> int:
        return self.members + self.subscribers


def count_recipients(audience: Audience, now: datetime) -> Reach:
    """How many people the audience has now: a handful of COUNT queries, whatever its size."""
    members = _count(select_user_recipients(audience, now))
    subscribers = _count(select_subscriber_recipients(audience, now))
    if members + subscribers:
        return Reach(members, subscribers)
    if audience.kind is AudienceKind.RESPONDERS:
        if audience.consultation_id is None:
            why = "choose the consultation whose responders should get it."
        else:
            why = (
                "nobody who answered this consultation while signed in still gets consultation "
                "emails"
                + (" and is still a member" if audience.visibility is Visibility.MEMBERS else "")
                + "."
            )
    else:
        why = "no member of the forum has chosen to get newsletters yet" + (
            ", and no public subscriber gets them." if audience.kind is AudienceKind.PUBLIC else "."
        )
    return Reach(0, 0, f"Nobody would get this: {why}")


def consultation_choices(area) -> list[tuple[int, str]]:
    """Consultations of the area whose responders a message can go to: those with a survey
    that is not anonymous, newest first."""
    rows = db.session.execute(
        select(Consultation.id, Consultation.title)
        .join(Survey, Survey.consultation_id == Consultation.id)
        .where(
            Consultation.area_id == area.id,
            Consultation.published_at.is_not(None),
            Survey.is_anonymous.is_(False),
        )
        .order_by(Consultation.opens_at.desc(), Consultation.id.desc())
    )
    return [(cid, title) for cid, title in rows]


def get_consultation(area, consultation_id: int | None) -> Consultation | None:
    """The area's consultation with a survey that is not anonymous, or None."""
    if consultation_id is None:
        return None
    return db.session.scalar(
        select(Consultation)
        .join(Survey, Survey.consultation_id == Consultation.id)
        .where(
            Consultation.id == consultation_id,
            Consultation.area_id == area.id,
            Survey.is_anonymous.is_(False),
        )
    )


@dataclass(frozen=True)
class Figures:
    """A sent message's figures: counts only, never who."""

    queued: int
    delivered: int
    failed: int
    withdrawn: int
    in_digests: int
    unsubscribed: int

    @property
    def waiting(self) -> int:
        return self.queued - self.delivered - self.failed - self.withdrawn


def figures(newsletter: Newsletter) -> Figures:
    """Counted from the outbox rows and digest lines that carry the message's `about` (an
    index on each), in three queries. "Unsubscribed" is how many of its recipients turned the
    message's topic off in the area after it was sent: preference changes, counted."""
    about = newsletter.about
    queued, delivered, failed, withdrawn = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((OutboxMessage.sent_at.is_not(None), 1), else_=0)), 0),
            func.coalesce(func.sum(case((OutboxMessage.failed_at.is_not(None), 1), else_=0)), 0),
            func.coalesce(func.sum(case((OutboxMessage.withdrawn_at.is_not(None), 1), else_=0)), 0),
        ).where(OutboxMessage.about == about)
    ).one()
    in_digests = db.session.scalar(select(func.count()).where(DigestItem.about == about)) or 0
    unsubscribed = 0
    if newsletter.sent_at is not None:
        users = (
            select(OutboxMessage.user_id)
            .where(OutboxMessage.about == about)
            .union(select(DigestItem.user_id).where(DigestItem.about == about))
        )
        subscribers = (
            select(OutboxMessage.subscriber_id)
            .where(OutboxMessage.about == about)
            .union(select(DigestItem.subscriber_id).where(DigestItem.about == about))
        )
        unsubscribed = (
            db.session.scalar(
                select(func.count()).where(
                    EmailPreference.area_id == newsletter.area_id,
                    EmailPreference.topic == newsletter.audience.topic,
                    EmailPreference.frequency == Frequency.NEVER,
                    EmailPreference.updated_at >= newsletter.sent_at,
                    or_(
                        EmailPreference.user_id.in_(users),
                        EmailPreference.subscriber_id.in_(subscribers),
                    ),
                )
            )
            or 0
        )
    return Figures(queued, delivered, failed, withdrawn, in_digests, unsubscribed)


def select_archive(area, *, members_only_too: bool) -> Select:
    """Sent messages of the area, newest first; members-only ones only when asked."""
    stmt = select(Newsletter).where(
        Newsletter.area_id == area.id,
        Newsletter.status.in_((NewsletterStatus.SENDING, NewsletterStatus.SENT)),
    )
    if not members_only_too:
        stmt = stmt.where(Newsletter.visibility == Visibility.PUBLIC)
    return stmt.order_by(Newsletter.sent_at.desc(), Newsletter.id.desc())


def select_for_organisers(area) -> Select:
    """Every message of the area, drafts and withdrawn ones too, newest first."""
    return (
        select(Newsletter)
        .where(Newsletter.area_id == area.id)
        .order_by(Newsletter.created_at.desc(), Newsletter.id.desc())
    )


def get_newsletter(area, newsletter_id: int) -> Newsletter:
    newsletter = db.session.scalar(
        select(Newsletter)
        .options(joinedload(Newsletter.area), joinedload(Newsletter.consultation))
        .where(Newsletter.id == newsletter_id, Newsletter.area_id == area.id)
    )
    if newsletter is None:
        abort(404)
    return newsletter


def load_newsletter(kwargs: dict) -> dict:
    """URL loader: area_slug and newsletter_id → area and newsletter (404 unless the area's)."""
    kwargs = load_area(kwargs)
    kwargs["newsletter"] = get_newsletter(kwargs["area"], kwargs.pop("newsletter_id"))
    return kwargs


def still_for(area_id: int, newsletter_id: int, person, is_member: bool) -> str | None:
    """The send-time check of an email about a newsletter (`ABOUT_CHECKS["newsletter"]`):
    why it must not go now, or None."""
    newsletter = db.session.get(Newsletter, newsletter_id)
    if newsletter is None or newsletter.area_id != area_id:
        return "the message was deleted"
    if newsletter.status is NewsletterStatus.WITHDRAWN:
        return "the message was withdrawn"
    if not newsletter.is_out:
        return "the message is not being sent"
    if newsletter.visibility is Visibility.MEMBERS and not is_member:
        return "the message is for members only"
    return None
