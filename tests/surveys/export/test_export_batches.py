"""Exports in batches: statements per batch (not per response or question), and memory that
does not grow with the number of responses. Each test fills a plain survey of its own (`big`,
in the same Northshire) with up to 2,000 responses, so these cannot share test_export.py's
module-scoped survey."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select

from forum.extensions import db
from forum.surveys.answering.keys import new_reference
from forum.surveys.export import formats as exports
from forum.surveys.export import queries as export_queries
from forum.surveys.export.plan import plan_export
from forum.surveys.models import Answer, AnswerChoice, Response, Survey
from forum.surveys.queries import questions_of
from tests.factories import make_question
from tests.support import recorded_statements
from tests.surveys.worlds import download, make_lone_survey


def bulk_responses(survey_id: int, count: int) -> None:
    """`count` submitted responses to the survey, inserted with executemany (no services)."""
    survey = db.session.get(Survey, survey_id)
    questions = questions_of(survey)
    now = datetime.now(UTC)
    first = db.session.scalar(select(func.coalesce(func.max(Response.id), 0))) + 1
    ids = range(first, first + count)
    db.session.execute(
        insert(Response),
        [
            {
                "id": rid,
                "survey_id": survey.id,
                "area_id": survey.area_id,
                "reference": new_reference(),
                "status": "submitted",
                "channel": "online",
                "may_quote": False,
                "submitted_at": now,
            }
            for rid in ids
        ],
    )
    answers, choices = [], []
    next_answer = db.session.scalar(select(func.coalesce(func.max(Answer.id), 0))) + 1
    for rid in ids:
        for question in questions:
            if question.kind.value == "single_choice":
                value, text = question.choices[rid % 2]["value"], None
            elif question.kind.value == "long_text":
                value = text = f"Answer number {rid}, with a few more words to it. " * 3
            else:
                continue
            answers.append(
                {"id": next_answer, "response_id": rid, "question_id": question.id, "value": value}
                | {"text": text}
            )
            if text is None:
                choices.append(
                    {
                        "answer_id": next_answer,
                        "response_id": rid,
                        "question_id": question.id,
                        "option_key": value,
                    }
                )
            next_answer += 1
    db.session.execute(insert(Answer), answers)
    if choices:
        db.session.execute(insert(AnswerChoice), choices)
    db.session.commit()


@pytest.fixture
def big(app):
    with app.app_context():
        consultation, survey = make_lone_survey()
        make_question(survey, prompt="Which?", options=("One", "Two"))
        make_question(survey, kind="long_text", prompt="Tell us")
    return {"consultation": consultation, "survey": survey}


def test_statements_per_batch_not_per_response_or_question(app, client, auth, big, monkeypatch):
    monkeypatch.setattr(export_queries, "BATCH", 10)
    auth.login("org@example.org")

    def statements(kind):
        with recorded_statements(app) as sent:
            download(client, big["consultation"], kind).get_data()  # streamed: read it all
        return sent

    with app.app_context():
        bulk_responses(big["survey"].id, 25)
    for kind in ("csv", "json"):
        sent = statements(kind)
        # 3 batches (10, 10, 5): one statement for the responses, one for their answers and
        # one for the codes on them
        assert sum("FROM survey_answers" in s for s in sent) == 6, kind
        small = len(sent)
    with app.app_context():
        survey = db.session.get(Survey, big["survey"].id)
        for n in range(8):
            make_question(survey, kind="short_text", prompt=f"Extra {n}")
        bulk_responses(big["survey"].id, 10)  # 35: 4 batches, the last one short
    for kind in ("csv", "json"):
        sent = statements(kind)
        assert sum("FROM survey_answers" in s for s in sent) == 8
        assert len(sent) == small + 3, "three statements for one more batch, none per question"


def peak_memory(app, survey_id: int, kind: str) -> tuple[int, int]:
    """Peak traced memory while making the whole export, and its size in bytes."""
    with app.test_request_context():
        plan = plan_export(
            db.session.get(Survey, survey_id), questions_of(db.session.get(Survey, survey_id))
        )
        chunks = exports.csv_chunks if kind == "csv" else exports.json_chunks
        size = sum(len(c) for c in chunks(plan, 100))  # warm up: compiled statements, caches
        tracemalloc.start()
        try:
            size = sum(len(c) for c in chunks(plan, 100))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        db.session.remove()
    return peak, size


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_memory_does_not_grow_with_the_number_of_responses(app, big, kind):
    with app.app_context():
        bulk_responses(big["survey"].id, 200)
    small, small_size = peak_memory(app, big["survey"].id, kind)
    with app.app_context():
        bulk_responses(big["survey"].id, 1800)
    large, large_size = peak_memory(app, big["survey"].id, kind)
    assert large_size > 9 * small_size
    # Ten times the responses; one batch of 100 in memory either way.
    assert large < 2 * small, f"peak {small:,} bytes for 200 responses, {large:,} for 2,000"
