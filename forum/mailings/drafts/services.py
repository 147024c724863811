"""Sending reminders about answers saved but not sent (the scheduled job)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import delete, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import User
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.mailings.announcements.services import time_left
from forum.mailings.drafts.models import DraftReminder
from forum.mailings.drafts.queries import due_draft_reminders
from forum.models import utcnow
from forum.notifications.preferences import Mail, notify
from forum.notifications.topics import Topic
from forum.web.time import london
from forum.web.urls import external_url


def remind_one(consultation: Consultation, user: User, *, now: datetime) -> bool:
    """Claim the reminder (a unique row, in a savepoint) and queue the email through the
    person's choices for the consultations topic; False when it was claimed already."""
    try:
        with db.session.begin_nested():
            db.session.add(DraftReminder(consultation_id=consultation.id, user_id=user.id))
    except IntegrityError:
        return False
    left = time_left(consultation.closes_at, now)
    with_base = external_url(
        "surveys.answer", area_slug=consultation.area.slug, slug=consultation.slug
    )
    notify(
        user,
        consultation.area,
        Topic.CONSULTATIONS,
        Mail(
            template="unsent_answers",
            kind="unsent_answers",
            title=f"Your answers are not sent yet: {consultation.title}",
            link=with_base,
            summary=f"You saved answers and have not sent them. It closes in {left}.",
            context={
                "consultation": consultation,
                "name": user.display_name,
                "link": with_base,
                "left": left,
                "closes": london(consultation.closes_at),
            },
        ),
        audience="personal",
        about=f"consultation:{consultation.id}",
    )
    return True


def send_draft_reminders(now: datetime | None = None) -> int:
    """The scheduled job: every reminder due now, committing after each. Returns how many
    were sent; safe on as many workers as run."""
    now = now or utcnow()
    due = due_draft_reminders(now)
    db.session.commit()
    sent = 0
    for consultation_id, user_id in due:
        consultation = db.session.get(Consultation, consultation_id)
        user = db.session.get(User, user_id)
        if consultation is None or user is None:
            continue
        try:
            told = remind_one(consultation, user, now=now)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        sent += told
    return sent


#: a reminder's record is kept this long after its consultation closed, then deleted
KEEP_AFTER_CLOSING = timedelta(days=30)


def purge_old_reminders(now: datetime) -> int:
    """The retention purge: the record of a reminder goes 30 days after its consultation
    closed (it only stops a second reminder while the consultation could still be answered).
    Returns how many."""
    closed = select(Consultation.id).where(Consultation.closes_at < now - KEEP_AFTER_CLOSING)
    result = db.session.execute(
        delete(DraftReminder)
        .where(DraftReminder.consultation_id.in_(closed))
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount or 0
