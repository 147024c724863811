"""Reading a person's response and their stored answers."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort
from sqlalchemy import select

from forum.extensions import db
from forum.surveys.models import Answer, Response, Survey
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
