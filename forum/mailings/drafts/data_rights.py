"""What reminders about unsent answers hold about a person: which consultations they were
reminded about. Deleting the account deletes them."""

from __future__ import annotations

from sqlalchemy import delete, select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.mailings.drafts.models import DraftReminder


def personal_data(user: User) -> list[PersonalData]:
    rows = db.session.execute(
        select(Consultation.title, DraftReminder.created_at)
        .join(Consultation, Consultation.id == DraftReminder.consultation_id)
        .where(DraftReminder.user_id == user.id)
        .order_by(DraftReminder.created_at.desc(), DraftReminder.id.desc())
    ).all()
    return [
        PersonalData(
            key="unsent_answer_reminders",
            title="Reminders about answers you had not sent",
            about="We emailed you once before these consultations closed, because you had "
            "saved answers and not sent them. We keep this so we do not remind you twice.",
            when_deleted="Deleted.",
            labels={"title": "Consultation", "created_at": "Reminded"},
            records=[{"title": title, "created_at": at} for title, at in rows],
            empty="None.",
        )
    ]


def erase(user: User) -> None:
    db.session.execute(delete(DraftReminder).where(DraftReminder.user_id == user.id))
