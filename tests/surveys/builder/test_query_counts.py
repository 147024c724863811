"""The builder and the preview send as many statements for 30 questions as for 3 (no query
per question, however many conditions and hidden questions there are)."""

from __future__ import annotations

from sqlalchemy import select

from forum.areas.models import Role
from forum.extensions import db
from forum.surveys.models import Question
from tests.factories import (
    make_question,
)
from tests.support import assert_same_count, statements_for
from tests.surveys.worlds import make_lone_survey

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
        consultation, survey = make_lone_survey()
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


def test_answering_pages_send_as_many_statements_however_many_questions_and_responses(
    app, client, auth
):
    """The form, the check page and the confirmation: no query per question or per answer,
    and nothing that grows with other people's responses."""
    from forum.surveys.models import SurveyLayout
    from tests.factories import make_response

    with app.app_context():
        consultation, survey = make_lone_survey(Role.MEMBER, "member@example.org")
        add_questions(survey, 3)
    auth.login("member@example.org")
    base = f"/areas/northshire/consultations/{consultation.slug}/survey"

    def answer_everything():
        with app.app_context():
            from forum.surveys.answering.keys import respondent_key
            from forum.surveys.models import Response, Survey

            s = db.session.get(Survey, survey.id)
            db.session.execute(
                Response.__table__.delete().where(Response.respondent_key.is_not(None))
            )
            db.session.commit()
            questions = db.session.scalars(
                select(Question).where(Question.survey_id == s.id, Question.is_hidden.is_(False))
            ).all()
            values = {q: _an_answer(q) for q in questions}
            from forum.accounts.models import User

            user = db.session.scalar(select(User).where(User.email == "member@example.org"))
            made = make_response(s, user=user, status="submitted", answers=values)
            assert made.respondent_key == respondent_key(s, user=user)

    def counts():
        answer_everything()
        counted = {"done": statements_for(app, client, base + "/done")}
        with app.app_context():
            from forum.surveys.models import Survey

            s = db.session.get(Survey, survey.id)
            s.allow_edit_after_submit = True
            s.layout = SurveyLayout.QUESTION_PER_PAGE
            db.session.commit()
        counted["check"] = statements_for(app, client, base + "/check")
        with app.app_context():
            s = db.session.get(Survey, survey.id)
            s.layout = SurveyLayout.ONE_PAGE
            db.session.commit()
        counted["answer"] = statements_for(app, client, base + "/answer")
        with app.app_context():
            s = db.session.get(Survey, survey.id)
            s.allow_edit_after_submit = False
            db.session.commit()
        return counted

    small = counts()
    with app.app_context():
        add_questions(survey, 30)
        from forum.surveys.models import Survey

        others = db.session.get(Survey, survey.id)
        for _ in range(40):
            make_response(others, status="submitted")
    large = counts()
    for page in small:
        assert_same_count(page, small[page], large[page])


def _an_answer(question):
    kind = question.kind.value
    if question.choices:
        first = question.choices[0]["value"]
        return [first] if kind in ("multiple_choice",) else first
    return "Some words"
