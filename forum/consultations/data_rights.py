"""What consultations hold about a person: the consultations they created as an organiser,
and the changes of dates they made (with their reasons). They are the forum's, so deleting the
account keeps them, without the person's name."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.consultations.models import Consultation, DateChange
from forum.extensions import db


def personal_data(user: User) -> list[PersonalData]:
    made = db.session.execute(
        select(Consultation.title, Consultation.created_at)
        .where(Consultation.created_by_id == user.id)
        .order_by(Consultation.created_at.desc())
    ).all()
    changed = db.session.execute(
        select(
            Consultation.title,
            DateChange.kind,
            DateChange.field,
            DateChange.reason,
            DateChange.created_at,
        )
        .join(Consultation, Consultation.id == DateChange.consultation_id)
        .where(DateChange.actor_id == user.id)
        .order_by(DateChange.created_at.desc(), DateChange.id.desc())
    ).all()
    return [
        PersonalData(
            key="consultations_created",
            title="Consultations you created",
            about="As an organiser, you created these consultations.",
            when_deleted="They stay with the forum, without your name.",
            labels={"title": "Consultation", "created_at": "Created"},
            records=[{"title": title, "created_at": at} for title, at in made],
            empty="None.",
        ),
        PersonalData(
            key="consultation_date_changes",
            title="Changes you made to consultations' dates",
            about="As an organiser, you opened, extended or closed these consultations, or "
            "changed their dates, with the reason you gave.",
            when_deleted="They stay in the consultations' history, without your name.",
            labels={
                "consultation": "Consultation",
                "change": "Change",
                "reason": "Reason",
                "created_at": "When",
            },
            records=[
                {
                    "consultation": title,
                    "change": f"{kind.label}: {field.label.lower()}",
                    "reason": reason,
                    "created_at": at,
                }
                for title, kind, field, reason, at in changed
            ],
            empty="None.",
        ),
    ]


def erase(user: User) -> None:
    forget_actor(user, Consultation.created_by_id, DateChange.actor_id)
