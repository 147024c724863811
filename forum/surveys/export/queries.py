"""Reading the responses to export, a batch at a time.

Responses are read in keyset batches by id (`BATCH` at a time) and each batch's answers in one
more query, as plain rows rather than ORM objects, so exporting 100,000 responses holds one
batch in memory, never the whole survey, and sends the same two statements per batch however
many questions there are. Drafts are never exported.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator, Sequence

from sqlalchemy import Row, Text, cast, func, select

from forum.accounts.models import User
from forum.extensions import db
from forum.surveys.export.plan import ExportPlan
from forum.surveys.models import (
    Answer,
    AnswerCode,
    Code,
    Response,
    Survey,
    counted_responses,
)

#: responses read (and held in memory) at a time
BATCH = 1000


def count_submitted(survey: Survey) -> int:
    count = db.session.scalar(
        select(func.count())
        .select_from(Response)
        .where(Response.survey_id == survey.id, counted_responses())
    )
    return typing.cast(int, count)  # count(*) is never NULL


def response_batches(
    plan: ExportPlan, batch: int | None = None
) -> Iterator[tuple[Sequence[Row], dict[int, dict[int, tuple]]]]:
    """Submitted responses in id order, `batch` at a time, each batch with its answers as
    {response id: {question id: (value, text, codes)}}, `codes` the names of the codes on a
    written answer, A to Z. Two statements per batch, three when the survey has codes."""
    size = batch or BATCH
    columns = [
        Response.id,
        Response.reference,
        Response.channel,
        Response.submitted_at,
        Response.may_quote,
    ]
    submitted = (Response.survey_id == plan.survey_id, counted_responses())
    after = 0
    while True:
        query = select(*columns)
        if not plan.is_anonymous:
            # Anonymous surveys never even join the accounts table; email addresses are read
            # only when the organiser asked for them.
            identity = [User.display_name, User.id.label("user_id")]
            if plan.with_emails:
                identity.append(User.email)
            query = query.add_columns(*identity).outerjoin(User, User.id == Response.user_id)
        rows = db.session.execute(
            query.where(*submitted, Response.id > after).order_by(Response.id).limit(size)
        ).all()
        if not rows:
            return
        found = db.session.execute(
            # The stored JSON as text, decoded below in one call for the whole batch: a call
            # per answer was most of the export's time.
            select(Answer.response_id, Answer.question_id, cast(Answer.value, Text), Answer.text)
            .join(Response, Response.id == Answer.response_id)
            .where(*submitted, Answer.response_id.between(rows[0].id, rows[-1].id))
        ).all()
        values = json.loads("[" + ",".join(row[2] or "null" for row in found) + "]")
        codes = _codes(plan, rows[0].id, rows[-1].id) if plan.has_codes else {}
        answers: dict[int, dict[int, tuple]] = {}
        for (response_id, question_id, _, text), value in zip(found, values, strict=True):
            answers.setdefault(response_id, {})[question_id] = (
                value,
                text,
                codes.get((response_id, question_id), ()),
            )
        del found, values, codes
        yield rows, answers
        if len(rows) < size:
            return
        after = rows[-1].id
        # Let this batch go before the next is read, so only one is ever held.
        del rows, answers


def _codes(plan: ExportPlan, first: int, last: int) -> dict[tuple[int, int], tuple[str, ...]]:
    """The codes on the written answers of responses `first` to `last` (ids), A to Z, as
    {(response id, question id): names}; one statement."""
    found: dict[tuple[int, int], list[str]] = {}
    for response_id, question_id, name in db.session.execute(
        select(Answer.response_id, Answer.question_id, Code.name)
        .join(AnswerCode, AnswerCode.answer_id == Answer.id)
        .join(Code, Code.id == AnswerCode.code_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.survey_id == plan.survey_id,
            counted_responses(),
            Answer.response_id.between(first, last),
        )
        .order_by(Answer.response_id, Answer.question_id, func.lower(Code.name), Code.id)
    ):
        found.setdefault((response_id, question_id), []).append(name)
    return {key: tuple(names) for key, names in found.items()}
