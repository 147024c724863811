"""What the forum's response holds about a person: the comments they wrote on shared drafts.
They are the person's own words, seen by the area's members and organisers only, so they are
in "download my data" and deleted with the account. (Parts written by organisers are the
forum's, not personal: deleting the account keeps them, without the writer's name.)"""

from __future__ import annotations

from sqlalchemy import delete, select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.forum_response.models import ForumResponse, ResponseComment, ResponsePart


def personal_data(user: User) -> list[PersonalData]:
    rows = db.session.execute(
        select(ResponseComment, Consultation.title)
        .join(ResponsePart, ResponsePart.id == ResponseComment.part_id)
        .join(ForumResponse, ForumResponse.id == ResponsePart.response_id)
        .join(Consultation, Consultation.id == ForumResponse.consultation_id)
        .where(ResponseComment.author_id == user.id)
        .order_by(ResponseComment.created_at.desc(), ResponseComment.id.desc())
    ).all()
    return [
        PersonalData(
            key="forum_response_comments",
            title="Your comments on the forum’s draft responses",
            about="What you wrote about a draft the forum’s organisers shared with members. "
            "Members of the forum and its organisers can read them.",
            when_deleted="They are deleted.",
            labels={
                "consultation": "Consultation",
                "body": "Your comment",
                "at": "When",
                "hidden": "Hidden by an organiser",
            },
            records=[
                {
                    "consultation": title,
                    "body": comment.body,
                    "at": comment.created_at,
                    "hidden": "Yes" if comment.is_hidden else "No",
                }
                for comment, title in rows
            ],
            empty="None.",
        ),
        PersonalData(
            key="forum_response_work",
            title="Your work on the forum’s responses and national outcomes",
            about="Parts of the forum’s collective responses you last saved, and national "
            "outcomes you recorded on themes, as an organiser.",
            when_deleted="They stay, because they are the forum’s work, without your name.",
            labels={"what": "What", "consultation": "Consultation", "at": "When"},
            records=_work(user),
            empty="None.",
        ),
    ]


def _work(user: User) -> list[dict]:
    from forum.outcomes.national_outcomes.models import NationalOutcome
    from forum.outcomes.themes.models import Theme

    parts = db.session.execute(
        select(Consultation.title, ResponsePart.updated_at)
        .join(ForumResponse, ForumResponse.id == ResponsePart.response_id)
        .join(Consultation, Consultation.id == ForumResponse.consultation_id)
        .where(ResponsePart.updated_by_id == user.id)
        .order_by(ResponsePart.updated_at.desc())
    ).all()
    national = db.session.execute(
        select(Theme.title, NationalOutcome.updated_at)
        .join(Theme, Theme.id == NationalOutcome.theme_id)
        .where(NationalOutcome.updated_by_id == user.id)
        .order_by(NationalOutcome.updated_at.desc())
    ).all()
    return [
        {"what": "Saved a part of the forum’s response", "consultation": title, "at": at}
        for title, at in parts
    ] + [
        {"what": f"Recorded a national outcome on “{theme}”", "consultation": "", "at": at}
        for theme, at in national
    ]


def erase(user: User) -> None:
    db.session.execute(
        delete(ResponseComment)
        .where(ResponseComment.author_id == user.id)
        .execution_options(synchronize_session=False)
    )
    from forum.outcomes.national_outcomes.models import NationalOutcome

    forget_actor(
        user,
        NationalOutcome.updated_by_id,
        ForumResponse.created_by_id,
        ResponsePart.updated_by_id,
        ResponseComment.hidden_by_id,
    )
