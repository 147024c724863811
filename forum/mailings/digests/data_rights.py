"""What the digests hold about a person: the lines waiting for their daily or weekly email,
for "Your data", and deleted with the account (registered in `forum/mailings/__init__.py`)."""

from __future__ import annotations

from sqlalchemy import delete

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.extensions import db
from forum.notifications.models import DigestItem


def personal_data(user: User) -> list[PersonalData]:
    from forum.mailings.digests.queries import unsent_items_of

    items = unsent_items_of(user.id)
    return [
        PersonalData(
            key="digest_items",
            title="Waiting for your daily or weekly email",
            about=(
                "Things you chose to hear about in one daily or weekly email, not sent yet. "
                "Only you get them. Once sent, the line is deleted after 30 days."
            ),
            when_deleted="They are deleted, and nothing more is sent.",
            labels={
                "title": "What",
                "topic": "Kind of email",
                "frequency": "Email",
                "created_at": "Added",
            },
            records=[
                {
                    "title": item.title,
                    "topic": item.topic.label,
                    "frequency": item.frequency.label,
                    "created_at": item.created_at,
                    "link": item.link,
                }
                for item in items
            ],
            empty="Nothing is waiting.",
        )
    ]


def erase(user: User) -> None:
    """Every digest line of the account, sent or not (the foreign key cascades too; this
    does not rely on the database enforcing it)."""
    db.session.execute(
        delete(DigestItem)
        .where(DigestItem.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
