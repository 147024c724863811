"""The builder and the preview send as many statements for 30 questions as for 3 (no query
per question, however many conditions and hidden questions there are)."""

from __future__ import annotations

from sqlalchemy import select

from forum.areas.models import Role
from forum.extensions import db
from forum.surveys.models import Question
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
)
from tests.test_query_counts import assert_same_count, statements_for

KINDS = ["single_choice", "yes_no", "scale", "short_text", "multiple_choice", "long_text"]


def add_questions(survey, up_to: int) -> None:
    """Questions of several kinds up to number `up_to`; every third depends on the one
    before it when that one has answers to choose from, and every seventh is hidden."""
    last = db.session.scalar(
        select(Question).where(Question.survey_id == survey.id).order_by(Question.position.desc())
    )
    start = last.position if last else 0
    for n in range(start, up_to):
        condition = {}
        if last is not None and n % 3 == 2 and last.kind.is_choice:
            condition = {"show_if": last, "show_if_values": [last.choices[0]["value"]]}
        last = make_question(
            survey,
            kind=KINDS[n % len(KINDS)],
            prompt=f"Question number {n + 1}",
            is_hidden=n % 7 == 6,
            **condition,
        )


def test_builder_and_preview_send_as_many_statements_for_30_questions_as_for_3(app, client, auth):
    with app.app_context():
        area = make_area(slug="northshire")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        consultation = make_consultation(area)
        survey = make_survey(consultation)
        add_questions(survey, 3)
    auth.login("org@example.org")
    builder = f"/areas/northshire/consultations/{consultation.slug}/survey"
    preview = f"{builder}/preview"
    small = {url: statements_for(app, client, url) for url in (builder, preview)}
    assert "Shown only if question 2" in client.get(builder).get_data(as_text=True)
    with app.app_context():
        add_questions(survey, 30)
    page = client.get(builder).get_data(as_text=True)
    assert "Question number 30" in page and "Shown only if question 29" in page
    for url in (builder, preview):
        assert_same_count(url, small[url], statements_for(app, client, url))
