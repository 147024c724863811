"""What local plans hold about a person: the commitments they added or last changed and the
progress updates they wrote, as an organiser or a partner's officer. These are the forum's and
the partners' public record, so deleting the account keeps them, without the person's name."""

from __future__ import annotations

from sqlalchemy import or_, select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.extensions import db
from forum.plans.models import Commitment, ProgressUpdate


def personal_data(user: User) -> list[PersonalData]:
    commitments = db.session.execute(
        select(Commitment.title, Commitment.created_by_id, Commitment.created_at)
        .where(or_(Commitment.created_by_id == user.id, Commitment.updated_by_id == user.id))
        .order_by(Commitment.created_at.desc())
    ).all()
    updates = db.session.execute(
        select(ProgressUpdate.text, ProgressUpdate.created_at, Commitment.title)
        .join(Commitment, Commitment.id == ProgressUpdate.commitment_id)
        .where(ProgressUpdate.created_by_id == user.id)
        .order_by(ProgressUpdate.created_at.desc())
    ).all()
    return [
        PersonalData(
            key="plan_work",
            title="Your work on local plans",
            about=(
                "Commitments you added or last changed, and progress updates you wrote, for "
                "the forum or for the organisation you speak for. They are public."
            ),
            when_deleted=(
                "They stay, because they are the public record of the plan, but no longer "
                "say who wrote them."
            ),
            labels={
                "what": "What",
                "commitment": "Commitment",
                "text": "What you wrote",
                "at": "When",
            },
            records=[
                {
                    "what": "Added" if created_by == user.id else "Last changed",
                    "commitment": title,
                    "at": at,
                }
                for title, created_by, at in commitments
            ]
            + [
                {"what": "Progress update", "commitment": title, "text": text, "at": at}
                for text, at, title in updates
            ],
            empty="None.",
        )
    ]


def erase(user: User) -> None:
    forget_actor(
        user, Commitment.created_by_id, Commitment.updated_by_id, ProgressUpdate.created_by_id
    )
