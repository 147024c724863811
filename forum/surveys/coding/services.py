"""Coding the written answers: codes made on the fly, put on answers and taken off.

A code belongs to one survey and is made the first time an organiser types its name; typing
the same name again, in any letter case, reuses it. Writes take the acting user, flush, record
an audit entry and return; the caller commits. A broken rule raises `CodingError`, whose
message is safe to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.exc import IntegrityError

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.surveys.coding.queries import find_code
from forum.surveys.models import Answer, AnswerCode, Code, Survey
from forum.web.text import clean_text

#: the longest code name (the column's width)
CODE_NAME_MAX = 80

#: a survey's codes are offered in a list on every answer; this keeps that list usable
MAX_CODES = 500


class CodingError(Refused):
    """A coding rule was broken; the message is safe to show. `field` names the form field."""

    def __init__(self, message: str, field: str | None = "name"):
        super().__init__(message, field)


def check_name(name: str | None) -> str:
    """The code name, cleaned; `CodingError` when it is empty or too long."""
    name = clean_text(name)
    if not name:
        raise CodingError("Enter a code, for example “waiting times”")
    if len(name) > CODE_NAME_MAX:
        raise CodingError(f"A code must be {CODE_NAME_MAX} characters or fewer")
    return name


def _area(survey: Survey):
    from forum.areas.models import Area

    return db.session.get(Area, survey.area_id)


def get_or_create_code(survey: Survey, name: str, *, actor) -> tuple[Code, bool]:
    """The survey's code called `name` (any letter case), made now if there is none. Returns
    the code and whether it was made. Two organisers making the same code at once get one."""
    name = check_name(name)
    found = find_code(survey, name)
    if found is not None:
        return found, False
    count = db.session.scalar(select(func.count(Code.id)).where(Code.survey_id == survey.id))
    if cast(int, count) >= MAX_CODES:  # count() is never NULL
        raise CodingError(
            f"This survey has {MAX_CODES} codes already. Use one of them, or ask whether some "
            "could be merged."
        )
    code = Code(survey_id=survey.id, area_id=survey.area_id, name=name, created_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(code)
    except IntegrityError:
        found = find_code(survey, name)
        if found is None:  # pragma: no cover - the unique name is the only way to get here
            raise
        return found, False
    # The name is the organiser's and may describe a family's circumstances: not in the log.
    record("survey.code_created", code, actor=actor, area=_area(survey), survey_id=survey.id)
    return code, True


@dataclass(frozen=True)
class Tagged:
    code: Code
    #: the code was made by this tag
    created: bool
    #: the answer did not carry the code before
    added: bool


def tag_answer(survey: Survey, answer: Answer, name: str, *, actor) -> Tagged:
    """Put the code called `name` on the answer, making the code if it is new. Tagging an
    answer with a code it already has changes nothing."""
    code, created = get_or_create_code(survey, name, actor=actor)
    present = db.session.get(AnswerCode, (answer.id, code.id))
    if present is not None:
        return Tagged(code, created, False)
    try:
        with db.session.begin_nested():
            db.session.add(AnswerCode(answer_id=answer.id, code_id=code.id, tagged_by_id=actor.id))
    except IntegrityError:
        return Tagged(code, created, False)  # the same tag, sent twice at once
    record("survey.answer_tagged", answer, actor=actor, area=_area(survey), code_id=code.id)
    return Tagged(code, created, True)


def untag_answer(survey: Survey, answer: Answer, code: Code, *, actor) -> bool:
    """Take the code off the answer. Returns False when it was not on it (nothing changes)."""
    result = db.session.execute(
        delete(AnswerCode).where(AnswerCode.answer_id == answer.id, AnswerCode.code_id == code.id)
    )
    removed = cast(CursorResult, result).rowcount  # a DELETE gives a CursorResult
    if not removed:
        return False
    record("survey.answer_untagged", answer, actor=actor, area=_area(survey), code_id=code.id)
    return True
