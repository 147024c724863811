"""Who is due a reminder about answers saved but not sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select

from forum.accounts.models import User
from forum.areas.models import Membership, MembershipStatus
from forum.consultations.models import Consultation
from forum.discussions.models import Suspension
from forum.extensions import db
from forum.mailings.announcements.models import ReminderSettings
from forum.mailings.announcements.queries import REMINDER_LATEST
from forum.mailings.drafts.models import DraftReminder
from forum.surveys.models import Answer, Response, ResponseStatus, Survey

#: the reminder goes this long before closing
NOTICE = timedelta(days=2)


def due_draft_reminders(now: datetime) -> list[tuple[int, int]]:
    """(consultation id, user id) of every reminder due at `now`, in one query: a draft
    holding answers, in a survey that is not anonymous, of a consultation open at `now` and
    closing within `NOTICE` (but not within `REMINDER_LATEST`), whose organisers have not
    turned its reminders off; to an active member of its area with a confirmed address, not
    suspended, who has not had one for it."""
    member = exists().where(
        Membership.area_id == Consultation.area_id,
        Membership.user_id == User.id,
        Membership.status == MembershipStatus.ACTIVE,
    )
    suspended = exists().where(
        Suspension.area_id == Consultation.area_id,
        Suspension.user_id == User.id,
        Suspension.until > now,
    )
    reminded = exists().where(
        DraftReminder.consultation_id == Consultation.id, DraftReminder.user_id == User.id
    )
    has_answer = exists().where(Answer.response_id == Response.id)
    rows = db.session.execute(
        select(Consultation.id, User.id)
        .select_from(Response)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .join(User, User.id == Response.user_id)
        .outerjoin(ReminderSettings, ReminderSettings.consultation_id == Consultation.id)
        .where(
            Response.status == ResponseStatus.DRAFT,
            Survey.is_anonymous.is_(False),
            has_answer,
            Consultation.published_at.is_not(None),
            Consultation.responded_at.is_(None),
            Consultation.opens_at <= now,
            Consultation.closes_at > now + REMINDER_LATEST,
            Consultation.closes_at <= now + NOTICE,
            or_(ReminderSettings.is_on.is_(None), ReminderSettings.is_on.is_(True)),
            User.email_verified_at.is_not(None),
            member,
            ~suspended,
            ~reminded,
        )
        .order_by(Consultation.closes_at, Consultation.id, User.id)
    ).all()
    return [(consultation_id, user_id) for consultation_id, user_id in rows]
