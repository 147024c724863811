"""Reading for the builder: surveys to copy from, and how many have responded."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import and_, case, func, select

from forum.consultations.models import Consultation
from forum.extensions import db
from forum.surveys.models import Question, Response, ResponseStatus, Survey, counted_responses


def copy_sources(consultation: Consultation) -> list[tuple[Consultation, int]]:
    """Other consultations of the same area whose survey has questions, newest first, each
    with its number of questions."""
    count = func.count(Question.id)
    rows = db.session.execute(
        select(Consultation, count)
        .join(Survey, Survey.consultation_id == Consultation.id)
        .join(Question, Question.survey_id == Survey.id)
        .where(Consultation.area_id == consultation.area_id, Consultation.id != consultation.id)
        .group_by(Consultation.id)
        .order_by(Consultation.created_at.desc(), Consultation.id.desc())
    )
    return [(row[0], row[1]) for row in rows]


def get_copy_source(consultation: Consultation, source_id: int) -> Survey | None:
    """The survey of another consultation in the same area, by that consultation's id."""
    return db.session.scalar(
        select(Survey)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(
            Consultation.id == source_id,
            Consultation.area_id == consultation.area_id,
            Consultation.id != consultation.id,
        )
    )


class ResponseCounts(NamedTuple):
    #: sent and counted (`forum.surveys.queries.counted`)
    submitted: int
    drafts: int
    #: sent, but kept out of every count: quarantined
    quarantined: int = 0
    #: sent, waiting for the email address to be confirmed
    awaiting_email: int = 0


def response_counts(survey: Survey) -> ResponseCounts:
    """Counted responses, unfinished drafts, and the sent ones that do not count: one query."""
    is_counted = counted_responses()
    quarantined = and_(
        Response.status == ResponseStatus.SUBMITTED, Response.quarantined_at.is_not(None)
    )
    awaiting = and_(
        Response.status == ResponseStatus.SUBMITTED,
        Response.quarantined_at.is_(None),
        Response.is_awaiting_email.is_(True),
    )
    row = db.session.execute(
        select(
            func.coalesce(func.sum(case((is_counted, 1), else_=0)), 0),
            func.coalesce(func.sum(case((Response.status == ResponseStatus.DRAFT, 1), else_=0)), 0),
            func.coalesce(func.sum(case((quarantined, 1), else_=0)), 0),
            func.coalesce(func.sum(case((awaiting, 1), else_=0)), 0),
        ).where(Response.survey_id == survey.id)
    ).one()
    return ResponseCounts(*(int(n) for n in row))
