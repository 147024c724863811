"""Reading consent to be quoted: a response's history, a person's named responses, and what a
private link points at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from forum.consultations.models import Consultation
from forum.extensions import db
from forum.surveys.answering.keys import token_digest
from forum.surveys.models import (
    Question,
    QuestionKind,
    QuoteConsent,
    Response,
    ResponseStatus,
    Survey,
)
from forum.surveys.queries import questions_of


def consent_questions(survey: Survey) -> list:
    return [q for q in questions_of(survey) if q.kind is QuestionKind.CONSENT]


def history_of(response: Response) -> list[QuoteConsent]:
    """Every change to the response's consent, oldest first."""
    return list(
        db.session.scalars(
            select(QuoteConsent)
            .where(QuoteConsent.response_id == response.id)
            .order_by(QuoteConsent.id)
        )
    )


def find_by_link(survey: Survey, token: str | None) -> Response | None:
    """The sent response of this survey that a private quoting link points at."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Response).where(
            Response.survey_id == survey.id,
            Response.quote_token_digest == token_digest(token),
            Response.status == ResponseStatus.SUBMITTED,
        )
    )


def named_response(survey: Survey, user) -> Response | None:
    """The person's own sent response to a named survey."""
    if survey.is_anonymous or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Response).where(
            Response.survey_id == survey.id,
            Response.user_id == user.id,
            Response.status == ResponseStatus.SUBMITTED,
        )
    )


@dataclass(frozen=True)
class MyResponse:
    reference: str
    consultation_title: str
    area_name: str
    submitted_at: datetime | None
    may_quote: bool
    asks_consent: bool
    quoting_url: str


def my_responses(user) -> list[MyResponse]:
    """The person's sent responses to named surveys, newest first, in one statement.
    (Anonymous responses carry no account, so they are never listed.)"""
    from flask import url_for

    from forum.areas.models import Area

    asks = (
        select(Question.id)
        .where(Question.survey_id == Survey.id, Question.kind == QuestionKind.CONSENT)
        .exists()
        .label("asks_consent")
    )
    rows = db.session.execute(
        select(
            Response.reference,
            Response.submitted_at,
            Response.may_quote,
            Consultation.title,
            Consultation.slug,
            Area.slug.label("area_slug"),
            Area.forum_name,
            asks,
        )
        .join(Survey, Survey.id == Response.survey_id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .join(Area, Area.id == Consultation.area_id)
        .where(Response.user_id == user.id, Response.status == ResponseStatus.SUBMITTED)
        .order_by(Response.submitted_at.desc(), Response.id.desc())
    ).all()
    return [
        MyResponse(
            reference=row.reference,
            consultation_title=row.title,
            area_name=row.forum_name,
            submitted_at=row.submitted_at,
            may_quote=row.may_quote,
            asks_consent=bool(row.asks_consent),
            quoting_url=url_for("surveys.quoting", area_slug=row.area_slug, slug=row.slug),
        )
        for row in rows
    ]


def consent_history_for(user) -> list[dict]:
    """Every consent record of the person's named responses, as plain values for "download my
    data": which consultation and response, given or not, how, when, and the exact words shown.
    Anonymous responses are not there: nothing joins them to the person."""
    rows = db.session.execute(
        select(
            Consultation.title,
            Response.reference,
            QuoteConsent.is_given,
            QuoteConsent.change,
            QuoteConsent.wording,
            QuoteConsent.recorded_at,
        )
        .join(Response, Response.id == QuoteConsent.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(Response.user_id == user.id)
        .order_by(QuoteConsent.recorded_at, QuoteConsent.id)
    ).all()
    return [
        {
            "consultation": row.title,
            "response_reference": row.reference,
            "may_quote": row.is_given,
            "change": row.change.value,
            "change_label": row.change.label,
            "wording": row.wording,
            "recorded_at": row.recorded_at.isoformat(),
        }
        for row in rows
    ]
