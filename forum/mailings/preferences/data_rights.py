"""What mailings hold about a person with an account: their choices of optional email, per
forum and per kind. They go with the account (the rows are deleted here, and the foreign key
would cascade anyway). Public subscribers have no account: their own page deletes everything
(`subscribers.services.delete_subscription`)."""

from __future__ import annotations

from sqlalchemy import delete

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.extensions import db
from forum.mailings.preferences.queries import select_choices_of
from forum.notifications.models import EmailPreference


def personal_data(user: User) -> list[PersonalData]:
    rows = db.session.execute(select_choices_of(user)).all()
    return [
        PersonalData(
            key="email_choices",
            title="Your choices of emails",
            about=(
                "How often you chose to get each kind of optional email from each forum. A "
                "kind you never chose for is not listed: it comes as usual (newsletters only "
                "if you asked for them)."
            ),
            when_deleted="Deleted, and no more emails are sent.",
            labels={
                "forum": "Forum",
                "kind": "Kind of email",
                "how_often": "How often",
                "changed_at": "Last changed",
            },
            records=[
                {
                    "forum": forum_name,
                    "kind": choice.topic.label,
                    "how_often": choice.frequency.label,
                    "changed_at": choice.updated_at,
                }
                for choice, forum_name in rows
            ],
            empty="You have not changed any of your emails.",
        )
    ]


def erase(user: User) -> None:
    db.session.execute(
        delete(EmailPreference)
        .where(EmailPreference.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
