"""What mailings hold about a person with an account: their choices of optional email, per
forum and per kind, and any subscription to a forum's public emails made without an account at
the account's own address. Both go with the account (the choices' foreign key would cascade
anyway; subscriptions are matched by address). Public subscribers with no account have their
own page, which deletes everything (`subscribers.services.delete_subscription`)."""

from __future__ import annotations

from sqlalchemy import delete, select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.areas.models import Area
from forum.extensions import db
from forum.mailings.preferences.queries import select_choices_of
from forum.notifications.models import EmailPreference, Subscriber


def _subscriptions(user: User):
    return (
        select(Subscriber, Area.forum_name)
        .join(Area, Area.id == Subscriber.area_id)
        .where(Subscriber.email == user.email.strip().lower())
        .order_by(Area.forum_name, Subscriber.id)
    )


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
        ),
        PersonalData(
            key="email_subscriptions",
            title="Forums' public emails you subscribed to without signing in",
            about=(
                "Subscriptions to a forum's public announcements made with your email address "
                "from the forum's page, without an account."
            ),
            when_deleted="Deleted, with the choices made for them.",
            labels={
                "forum": "Forum",
                "email": "Address",
                "subscribed_at": "Asked on",
                "confirmed_at": "Confirmed on",
            },
            records=[
                {
                    "forum": forum_name,
                    "email": subscriber.email,
                    "subscribed_at": subscriber.created_at,
                    "confirmed_at": subscriber.confirmed_at,
                }
                for subscriber, forum_name in db.session.execute(_subscriptions(user)).all()
            ],
            empty="You have not subscribed to any forum's emails without signing in.",
        ),
    ]


def erase(user: User) -> None:
    db.session.execute(
        delete(EmailPreference)
        .where(EmailPreference.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    # (their choices, digest lines and waiting emails go with them: the foreign keys cascade)
    db.session.execute(
        delete(Subscriber)
        .where(Subscriber.email == user.email.strip().lower())
        .execution_options(synchronize_session=False)
    )
