"""What newsletters hold about a person: the messages they wrote as an organiser. They are the
forum's, so deleting the account keeps them, without the person's name. Who got a message is
on the outbox's rows (forum/notifications), which go with the account."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.extensions import db
from forum.mailings.newsletters.models import Newsletter


def personal_data(user: User) -> list[PersonalData]:
    made = db.session.execute(
        select(Newsletter.subject, Newsletter.created_at)
        .where(Newsletter.created_by_id == user.id)
        .order_by(Newsletter.created_at.desc())
    ).all()
    return [
        PersonalData(
            key="newsletters_written",
            title="Messages you wrote to families",
            about="As an organiser, you wrote these newsletters and messages.",
            when_deleted="They stay with the forum, without your name.",
            labels={"subject": "Subject", "created_at": "Written"},
            records=[{"subject": subject, "created_at": at} for subject, at in made],
            empty="None.",
        )
    ]


def erase(user: User) -> None:
    forget_actor(user, Newsletter.created_by_id)
