"""Reading for the builder: surveys to copy from, and how many have responded."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select

from forum.consultations.models import Consultation
from forum.extensions import db
from forum.surveys.models import Question, Response, ResponseStatus, Survey


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
    submitted: int
    drafts: int


def response_counts(survey: Survey) -> ResponseCounts:
    """Sent responses and unfinished drafts, in one query."""
    rows = dict(
        db.session.execute(
            select(Response.status, func.count())
            .where(Response.survey_id == survey.id)
            .group_by(Response.status)
        ).all()
    )
    return ResponseCounts(rows.get(ResponseStatus.SUBMITTED, 0), rows.get(ResponseStatus.DRAFT, 0))
