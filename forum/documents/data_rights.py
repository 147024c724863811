"""What documents hold about a person: their requests for another format (with the note and
address they gave) and, for organisers, the documents they added and the requests they
answered. Deleting the account deletes the person's requests; the documents and answers stay
with the forum, without the person's name."""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.documents.models import Document, FormatRequest
from forum.extensions import db


def _theirs(user: User):
    return or_(
        FormatRequest.user_id == user.id,
        func.lower(FormatRequest.email) == user.email.lower(),
    )


def personal_data(user: User) -> list[PersonalData]:
    asked = db.session.scalars(
        select(FormatRequest).where(_theirs(user)).order_by(FormatRequest.created_at.desc())
    ).all()
    added = db.session.execute(
        select(Document.title, Document.created_at)
        .where(Document.added_by_id == user.id)
        .order_by(Document.created_at.desc())
    ).all()
    return [
        PersonalData(
            key="format_requests",
            title="Your requests for other formats",
            about=(
                "Easy read, large print and other versions you asked a forum for, with your "
                "note and the address for the answer. The forum's organisers can see them."
            ),
            when_deleted="They are deleted.",
            labels={
                "about": "What for",
                "format": "Format",
                "note": "Your note",
                "email": "Answer sent to",
                "status": "Status",
                "answer": "The forum's answer",
                "at": "When",
            },
            records=[
                {
                    "about": r.about,
                    "format": r.format_label,
                    "note": r.note,
                    "email": r.email,
                    "status": r.status.label,
                    "answer": r.answer,
                    "at": r.created_at,
                }
                for r in asked
            ],
        ),
        PersonalData(
            key="documents_added",
            title="Documents you added",
            about="As an organiser, you added these documents and links.",
            when_deleted="They stay with the forum, without your name.",
            labels={"title": "Document", "at": "Added"},
            records=[{"title": title, "at": at} for title, at in added],
        ),
    ]


def erase(user: User) -> None:
    db.session.execute(
        delete(FormatRequest).where(_theirs(user)).execution_options(synchronize_session=False)
    )
    forget_actor(user, Document.added_by_id, FormatRequest.answered_by_id)
