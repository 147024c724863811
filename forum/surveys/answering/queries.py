"""Reading a person's response and their stored answers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask import abort
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import joinedload

from forum.consultations.models import Consultation
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.answering.keys import respondent_key
from forum.surveys.models import Answer, Response, ResponseStatus, Survey
from forum.surveys.queries import load_survey, questions_of


def find_response(survey: Survey, key: str, *, lock: bool = False) -> Response | None:
    query = select(Response).where(Response.survey_id == survey.id, Response.respondent_key == key)
    if lock:
        # populate_existing: a row read earlier in this request is refreshed, so a response
        # another request submitted meanwhile is seen as submitted
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def stored_answers(response: Response | None) -> dict[int, Answer]:
    if response is None or response.id is None:
        return {}
    rows = db.session.scalars(select(Answer).where(Answer.response_id == response.id))
    return {a.question_id: a for a in rows}


def values_of(answers: Mapping[int, Answer]) -> dict[int, object]:
    return {qid: a.value for qid, a in answers.items()}


def load_open_survey(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the consultation, its survey and its questions; 404 unless
    the survey asks at least one question."""
    kwargs = load_survey(kwargs)
    survey = kwargs["survey"]
    if survey is None:
        abort(404)
    kwargs["questions"] = questions_of(survey)
    if not any(not q.is_hidden for q in kwargs["questions"]):
        abort(404)
    return kwargs


# --- answers saved but not sent ------------------------------------------------------------


def is_unsent_draft(response: Response | None) -> bool:
    """The person saved answers and has not sent them: a draft holding at least one answer."""
    if response is None or response.id is None or response.status is not ResponseStatus.DRAFT:
        return False
    found = db.session.scalar(select(Answer.id).where(Answer.response_id == response.id).limit(1))
    return found is not None


def _open_consultations(now: datetime):
    return and_(
        Consultation.published_at.is_not(None),
        Consultation.responded_at.is_(None),
        Consultation.opens_at <= now,
        Consultation.closes_at > now,
    )


def unsent_drafts_of(user, now: datetime | None = None) -> list[Consultation]:
    """The open consultations where `user` has answers saved but not sent, closing soonest
    first, in three queries however many there are.

    In a survey that is not anonymous the draft carries the account. In an anonymous one it
    carries only the keyed hash of it (`keys.respondent_key`), so the person's keys for the open
    anonymous surveys are worked out here, as the answering pages do for the person in front
    of them, and looked up; nothing joining the two is stored."""
    now = now or utcnow()
    anonymous = db.session.scalars(
        select(Survey)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(Survey.is_anonymous.is_(True), Survey.salt.is_not(None), _open_consultations(now))
    )
    keys = [respondent_key(survey, user=user) for survey in anonymous]
    mine = Response.user_id == user.id
    survey_ids = set(
        db.session.scalars(
            select(Response.survey_id).where(
                or_(mine, Response.respondent_key.in_(keys)) if keys else mine,
                Response.status == ResponseStatus.DRAFT,
                exists().where(Answer.response_id == Response.id),
            )
        )
    )
    if not survey_ids:
        return []
    return list(
        db.session.scalars(
            select(Consultation)
            .join(Survey, Survey.consultation_id == Consultation.id)
            .options(joinedload(Consultation.area))
            .where(Survey.id.in_(survey_ids), _open_consultations(now))
            .order_by(Consultation.closes_at, Consultation.id)
        )
    )


# --- contact details typed in with paper and phone responses --------------------------------


def select_contacts(survey: Survey):
    """The survey's typed-in contact details with their response's reference and channel,
    newest first, for `paginate(…, scalars=False)`."""
    from forum.surveys.models import ResponseContact

    return (
        select(ResponseContact, Response.reference, Response.channel)
        .join(Response, Response.id == ResponseContact.response_id)
        .where(
            Response.survey_id == survey.id,
            ResponseContact.area_id == survey.area_id,
        )
        .order_by(ResponseContact.id.desc())
    )


def load_contact(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the survey and one of its contact details (with its
    response's reference in `reference`), or 404."""
    from forum.surveys.models import ResponseContact

    kwargs = load_survey(kwargs)
    contact_id = kwargs.pop("contact_id")
    survey = kwargs["survey"]
    found = (
        db.session.execute(
            select(ResponseContact, Response.reference)
            .join(Response, Response.id == ResponseContact.response_id)
            .where(
                ResponseContact.id == contact_id,
                Response.survey_id == survey.id,
                ResponseContact.area_id == survey.area_id,
            )
        ).first()
        if survey is not None
        else None
    )
    if found is None:
        abort(404)
    kwargs["contact"], kwargs["reference"] = found
    return kwargs
