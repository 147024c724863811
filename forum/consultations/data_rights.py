"""What consultations hold about a person: the consultations they created as an organiser.
They are the forum's, so deleting the account keeps them, without the person's name."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.consultations.models import Consultation
from forum.extensions import db


def personal_data(user: User) -> list[PersonalData]:
    made = db.session.execute(
        select(Consultation.title, Consultation.created_at)
        .where(Consultation.created_by_id == user.id)
        .order_by(Consultation.created_at.desc())
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
        )
    ]


def erase(user: User) -> None:
    forget_actor(user, Consultation.created_by_id)
