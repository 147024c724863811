"""The export files: CSV (UTF-8 with a byte order mark, formulas defused) and JSON, each made as
a stream of chunks, one per batch of responses (`queries.response_batches`).

Choice answers are exported as their option labels (the words people chose), with the keys
kept in the JSON for joining to other exports; labels of a question can be reworded later, keys
never change. Anonymous surveys export no identity at all: no name or email columns (not even
empty ones), and the day of submission rather than the time. Named surveys export names, and
email addresses only when the organiser asked for them and said why (`ExportPlan.with_emails`).

Codes: each question whose answers can hold free text has a column "Q3. … : codes" right after
its answer, listing the codes on that answer A to Z, separated by "; " (one cell per answer, so
a spreadsheet can filter on a code with "contains"); in the JSON such a question's entry has
`"codes": [names]`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime

from forum.models import utcnow
from forum.surveys.export.plan import ExportPlan
from forum.surveys.export.queries import response_batches
from forum.surveys.models import OTHER, ResponseChannel
from forum.web.time import LONDON

#: a cell starting with one of these is read as a formula by spreadsheet programs
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)

CHANNEL_LABELS = {channel.value: channel.label for channel in ResponseChannel}


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; everything else,
    the parent's words included, is kept exactly."""
    if value and isinstance(value, str) and value[0] in _FORMULA_FIRST:
        return "'" + value
    return value


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
        cells.append(row.display_name or "")
        if plan.with_emails:
            cells.append(row.email or "")
    cells.append("Yes" if row.may_quote else "No")
    for question in plan.questions:
        value, text, codes = answers.get(question.id, (None, None, ()))
        cells += [cell(value, text) for _, cell in question.columns]
        if question.codes_header:
            cells.append("; ".join(codes))
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
        "sections": list(plan.sections),
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
        respondent = None
        if row.user_id is not None:
            respondent = {"name": row.display_name}
            if plan.with_emails:
                respondent["email"] = row.email
        data["respondent"] = respondent
    data["may_quote"] = bool(row.may_quote)
    given = {}
    for question in plan.questions:
        if question.id not in answers:
            given[question.key] = None
            continue
        value, text, codes = answers[question.id]
        entry = {"value": value, "label": question.labels(value)}
        if question.has_other:
            entry["other"] = text if _chose_other(value) else None
        if question.codes_header:
            entry["codes"] = list(codes)
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
