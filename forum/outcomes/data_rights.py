"""What the ledger holds about a person: themes they created, evidence they added, and the
decisions, forum views and links they wrote as an organiser or a partner's officer. These are
the public "you said, we did" record, so deleting the account keeps them, without the
person's name. (The feedback the ledger cites, answers and posts, is erased by surveys and
discussions; the citations stay, so the count behind a theme does not change.)"""

from __future__ import annotations

from sqlalchemy import or_, select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.extensions import db
from forum.outcomes.decisions.models import Decision, DecisionCommitment
from forum.outcomes.themes.models import Evidence, Theme


def personal_data(user: User) -> list[PersonalData]:
    themes = db.session.execute(
        select(Theme.title, Theme.created_at)
        .where(Theme.created_by_id == user.id)
        .order_by(Theme.created_at.desc())
    ).all()
    evidence = db.session.execute(
        select(Theme.title, Evidence.added_at)
        .join(Evidence, Evidence.theme_id == Theme.id)
        .where(Evidence.added_by_id == user.id)
        .order_by(Evidence.added_at.desc())
    ).all()
    decisions = db.session.execute(
        select(Theme.title, Decision.created_by_id, Decision.forum_view_by_id, Decision.updated_at)
        .join(Decision, Decision.theme_id == Theme.id)
        .where(
            or_(
                Decision.created_by_id == user.id,
                Decision.updated_by_id == user.id,
                Decision.forum_view_by_id == user.id,
            )
        )
        .order_by(Decision.updated_at.desc())
    ).all()
    links = db.session.execute(
        select(Theme.title, DecisionCommitment.linked_at)
        .join(Decision, Decision.theme_id == Theme.id)
        .join(DecisionCommitment, DecisionCommitment.decision_id == Decision.id)
        .where(DecisionCommitment.linked_by_id == user.id)
    ).all()
    records = (
        [{"what": "Created the theme", "theme": title, "at": at} for title, at in themes]
        + [{"what": "Added evidence", "theme": title, "at": at} for title, at in evidence]
        + [
            {
                "what": "Gave the forum's view on a decision"
                if view_by == user.id and created_by != user.id
                else "Wrote or changed a decision",
                "theme": title,
                "at": at,
            }
            for title, created_by, view_by, at in decisions
        ]
        + [
            {"what": "Linked a decision to a commitment", "theme": title, "at": at}
            for title, at in links
        ]
    )
    return [
        PersonalData(
            key="ledger_work",
            title="Your work on “you said, we did”",
            about="Themes, evidence, decisions and links you made for the forum or a partner.",
            when_deleted="They stay, because they are the public record, without your name.",
            labels={"what": "What", "theme": "Theme", "at": "When"},
            records=records,
            empty="None.",
        )
    ]


def erase(user: User) -> None:
    forget_actor(
        user,
        Theme.created_by_id,
        Evidence.added_by_id,
        Decision.created_by_id,
        Decision.updated_by_id,
        Decision.forum_view_by_id,
        DecisionCommitment.linked_by_id,
    )
