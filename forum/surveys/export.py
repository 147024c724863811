"""Exports: every submitted response to a survey, as a CSV spreadsheet or as JSON.

Both are made as a stream. Responses are read in keyset batches by id (`BATCH` at a time) and
each batch's answers in one more query, as plain rows rather than ORM objects, so exporting
100,000 responses holds one batch in memory, never the whole survey, and sends the same two
statements per batch however many questions there are.

The columns are fixed by the survey, not by the answers: every question (hidden ones and
show-if ones too) in position order, so a question someone did not see is an empty cell, and
two exports of the same survey always line up. Drafts are never exported. Anonymous surveys
export no identity at all: no name or email columns (not even empty ones), and the day of
submission rather than the time.

Choice answers are exported as their option labels (the words people chose), with the keys
kept in the JSON for joining to other exports; labels of a question can be reworded later, keys
never change.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Text, cast, func, select

from forum.accounts.models import User
from forum.consultations.permissions import can_manage_consultations
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.models import (
    OTHER,
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
)
from forum.web.time import LONDON

#: responses read (and held in memory) at a time
BATCH = 1000

#: a cell starting with one of these is read as a formula by spreadsheet programs
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)

CHANNEL_LABELS = {channel.value: channel.label for channel in ResponseChannel}


def can_export_survey(user, consultation) -> bool:
    """Exports hold every answer (and, for named surveys, who gave it): the area's organisers
    and admins only, in every state of the consultation."""
    return can_manage_consultations(user, consultation.area)


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; everything else,
    the parent's words included, is kept exactly."""
    if value and isinstance(value, str) and value[0] in _FORMULA_FIRST:
        return "'" + value
    return value


# --- what is exported ----------------------------------------------------------------------

Cell = Callable[[object, str | None], object]


@dataclass(frozen=True)
class QuestionPlan:
    """One question as plain values, so nothing is read from the database while streaming."""

    id: int
    position: int
    kind: str
    prompt: str
    is_hidden: bool
    has_other: bool
    choices: tuple[tuple[str, str], ...]
    show_if_question_id: int | None
    show_if_values: tuple[str, ...]
    #: (header, cell) pairs: this question's CSV columns
    columns: tuple[tuple[str, Cell], ...]

    @property
    def key(self) -> str:
        """How the JSON names the question: its id, as the answering form does (`q<id>`)."""
        return f"q{self.id}"

    def labels(self, value) -> str | list[str] | None:
        """The chosen options' words, for choice and ranking answers."""
        if value is None or not self.choices:
            return None
        words = dict(self.choices)
        if isinstance(value, list):
            return [words.get(str(v), str(v)) for v in value]
        return words.get(str(value), str(value))

    def describe(self) -> dict:
        return {
            "key": self.key,
            "id": self.id,
            "position": self.position,
            "kind": self.kind,
            "prompt": self.prompt,
            "is_hidden": self.is_hidden,
            "options": [{"value": key, "label": label} for key, label in self.choices],
            "has_other": self.has_other,
            "show_if": (
                {"question": f"q{self.show_if_question_id}", "values": list(self.show_if_values)}
                if self.show_if_question_id
                else None
            ),
        }


@dataclass(frozen=True)
class ExportPlan:
    survey_id: int
    is_anonymous: bool
    consultation_title: str
    consultation_slug: str
    questions: tuple[QuestionPlan, ...]

    @property
    def identity_headers(self) -> list[str]:
        return [] if self.is_anonymous else ["Name", "Email"]

    @property
    def headers(self) -> list[str]:
        return [
            "Reference",
            "How it reached us",
            "Submitted on" if self.is_anonymous else "Submitted (UK time)",
            *self.identity_headers,
            "May quote",
            *(header for q in self.questions for header, _ in q.columns),
        ]


def _question_columns(question: Question, choices: list[tuple[str, str]]):
    head = f"Q{question.position}. {question.prompt}"
    kind = question.kind
    words = dict(choices)
    columns: list[tuple[str, Cell]] = []
    if kind is QuestionKind.MULTIPLE_CHOICE:
        for key, label in choices:
            columns.append(
                (
                    f"{head}: {label}",
                    lambda v, t, key=key: "Yes" if isinstance(v, list) and key in v else "",
                )
            )
    elif kind is QuestionKind.RANKING:
        for key, label in choices:
            columns.append(
                (
                    f"{head}: {label} (rank)",
                    lambda v, t, key=key: (
                        v.index(key) + 1 if isinstance(v, list) and key in v else ""
                    ),
                )
            )
    elif kind.is_choice:
        columns.append((head, lambda v, t: "" if v is None else words.get(str(v), str(v))))
    else:
        columns.append((head, lambda v, t: "" if v is None else v))
    if question.has_other and kind.can_have_other:
        columns.append((f"{head}: other (please specify)", lambda v, t: t or ""))
    return tuple(columns)


def plan_export(survey: Survey, questions: list[Question]) -> ExportPlan:
    """Everything the export needs from the survey, read now (before the view commits)."""
    plans = []
    for q in questions:
        choices = [(c["value"], c["label"]) for c in q.choices]
        plans.append(
            QuestionPlan(
                id=q.id,
                position=q.position,
                kind=q.kind.value,
                prompt=q.prompt,
                is_hidden=q.is_hidden,
                has_other=bool(q.has_other and q.kind.can_have_other),
                choices=tuple(choices),
                show_if_question_id=q.show_if_question_id,
                show_if_values=tuple(q.show_if_values or ()),
                columns=_question_columns(q, choices),
            )
        )
    consultation = survey.consultation
    return ExportPlan(
        survey_id=survey.id,
        is_anonymous=survey.is_anonymous,
        consultation_title=consultation.title,
        consultation_slug=consultation.slug,
        questions=tuple(plans),
    )


def count_submitted(survey: Survey) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Response)
        .where(Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED)
    )


def filename(plan: ExportPlan, extension: str, today: date | None = None) -> str:
    today = today or utcnow().astimezone(LONDON).date()
    return f"{plan.consultation_slug}-responses-{today.isoformat()}.{extension}"


# --- reading, a batch at a time ------------------------------------------------------------


def response_batches(plan: ExportPlan, batch: int | None = None) -> Iterator[tuple[list, dict]]:
    """Submitted responses in id order, `batch` at a time, each batch with its answers as
    {response id: {question id: (value, text)}}. Two statements per batch."""
    size = batch or BATCH
    columns = [
        Response.id,
        Response.reference,
        Response.channel,
        Response.submitted_at,
        Response.may_quote,
    ]
    submitted = (Response.survey_id == plan.survey_id, Response.status == ResponseStatus.SUBMITTED)
    after = 0
    while True:
        query = select(*columns)
        if not plan.is_anonymous:
            # Anonymous surveys never even join the accounts table.
            query = query.add_columns(User.display_name, User.email).outerjoin(
                User, User.id == Response.user_id
            )
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
        answers: dict[int, dict[int, tuple]] = {}
        for (response_id, question_id, _, text), value in zip(found, values, strict=True):
            answers.setdefault(response_id, {})[question_id] = (value, text)
        del found, values
        yield rows, answers
        if len(rows) < size:
            return
        after = rows[-1].id
        # Let this batch go before the next is read, so only one is ever held.
        del rows, answers


def _submitted(plan: ExportPlan, when: datetime | None, *, iso: bool) -> str:
    if when is None:
        return ""
    local = when.astimezone(LONDON)
    if plan.is_anonymous:
        # Kept to the day when stored; shown to the day, so no time suggests otherwise.
        return local.date().isoformat()
    if iso:
        return when.isoformat()
    return local.strftime("%Y-%m-%d %H:%M")


# --- CSV -----------------------------------------------------------------------------------


def csv_row(plan: ExportPlan, row, answers: dict[int, tuple]) -> list:
    cells = [
        row.reference,
        CHANNEL_LABELS.get(_value(row.channel), _value(row.channel)),
        _submitted(plan, row.submitted_at, iso=False),
    ]
    if not plan.is_anonymous:
        cells += [row.display_name or "", row.email or ""]
    cells.append("Yes" if row.may_quote else "No")
    for question in plan.questions:
        value, text = answers.get(question.id, (None, None))
        cells += [cell(value, text) for _, cell in question.columns]
    return [spreadsheet_safe(cell) for cell in cells]


def csv_chunks(plan: ExportPlan, batch: int | None = None) -> Iterator[bytes]:
    """The CSV file, UTF-8 with a byte order mark (so Excel reads it as UTF-8), one chunk per
    batch of responses."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(h) for h in plan.headers])
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for rows, answers in response_batches(plan, batch):
        buffer.seek(0)
        buffer.truncate()
        for row in rows:
            writer.writerow(csv_row(plan, row, answers.get(row.id, {})))
        del rows, answers
        yield buffer.getvalue().encode("utf-8")


# --- JSON ----------------------------------------------------------------------------------


def describe_survey(plan: ExportPlan, exported_at: datetime | None = None) -> dict:
    return {
        "consultation": plan.consultation_title,
        "slug": plan.consultation_slug,
        "is_anonymous": plan.is_anonymous,
        "exported_at": (exported_at or utcnow()).isoformat(),
        "questions": [q.describe() for q in plan.questions],
    }


def json_response(plan: ExportPlan, row, answers: dict[int, tuple]) -> dict:
    """One response. Every question is there, in order, with null when it was not answered;
    `value` is as stored (option keys, a list of keys in order, text, a number or an ISO date),
    `label` the chosen options' words, `other` the "please specify" words."""
    data: dict = {
        "reference": row.reference,
        "channel": _value(row.channel),
        "submitted": _submitted(plan, row.submitted_at, iso=True),
    }
    if not plan.is_anonymous:
        data["respondent"] = (
            {"name": row.display_name, "email": row.email} if row.email is not None else None
        )
    data["may_quote"] = bool(row.may_quote)
    given = {}
    for question in plan.questions:
        if question.id not in answers:
            given[question.key] = None
            continue
        value, text = answers[question.id]
        entry = {"value": value, "label": question.labels(value)}
        if question.has_other:
            entry["other"] = text if _chose_other(value) else None
        given[question.key] = entry
    data["answers"] = given
    return data


def json_chunks(plan: ExportPlan, batch: int | None = None) -> Iterator[bytes]:
    """`{"survey": {...}, "responses": [...]}`, one chunk per batch of responses."""
    head = json.dumps(describe_survey(plan), ensure_ascii=False)
    yield f'{{"survey": {head}, "responses": ['.encode()
    first = True
    for rows, answers in response_batches(plan, batch):
        parts = []
        for row in rows:
            item = json.dumps(json_response(plan, row, answers.get(row.id, {})), ensure_ascii=False)
            parts.append(("\n" if first else ",\n") + item)
            first = False
        del rows, answers
        yield "".join(parts).encode("utf-8")
    yield b"\n]}\n"


def _chose_other(value) -> bool:
    return value == OTHER or (isinstance(value, list) and OTHER in value)


def _value(enum_or_str) -> str:
    return getattr(enum_or_str, "value", enum_or_str)
