"""Coding from question to question and choosing a quote, by keyboard, with and without
JavaScript: "Next question" skips a yes/no question and "Previous question" comes back; the
index counts answers by section; a whole response opens from its answer; on a theme an
organiser quotes an answer in part, first with words that are not in it (explained beside the
box), then with a name redacted. axe on every page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.support import press, sign_in, tab_to, type_into
from tests.factories import (
    make_consultation,
    make_question,
    make_response,
    make_survey,
    make_theme,
)

pytestmark = pytest.mark.browser

WAIT = "Our son Sam waited two years for an assessment."


@pytest.fixture
def world(live_server, northshire):
    from forum.accounts.models import User
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.outcomes.themes import services as themes
    from forum.outcomes.themes.models import Theme
    from forum.surveys.coding import services as coding
    from forum.surveys.models import Answer, Question, Response, Section, Survey

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        consultation = make_consultation(area, state="closed", title="Green paper")
        survey = make_survey(consultation)
        section = Section(survey_id=survey.id, area_id=area.id, title="Getting help", number="A")
        db.session.add(section)
        db.session.flush()
        first = make_question(survey, kind="long_text", prompt="How long did you wait?")
        make_question(survey, kind="yes_no", prompt="Were you happy?")
        second = make_question(survey, kind="long_text", prompt="What would help?")
        consent = make_question(survey, kind="consent", prompt="May we quote you?")
        for question in (first, second):
            db.session.get(Question, question.id).section_id = section.id
        make_response(
            survey,
            status="submitted",
            answers={first: WAIT, second: "A key worker", consent: "yes"},
        )
        db.session.commit()
        organiser = db.session.scalar(select(User).where(User.email == northshire.organiser_email))
        answer = db.session.scalar(select(Answer).where(Answer.text == WAIT))
        code = coding.tag_answer(
            db.session.get(Survey, survey.id), answer, "Waiting", actor=organiser
        ).code
        theme = make_theme(db.session.get(type(consultation), consultation.id), title="Waiting")
        themes.add_evidence(db.session.get(Theme, theme.id), "code", code.id, actor=organiser)
        db.session.commit()
        reference = db.session.get(Response, answer.response_id).reference
    base = f"/areas/{northshire.slug}/consultations/{consultation.slug}"
    return {
        "coding": f"{base}/survey/coding",
        "first": f"{base}/survey/coding/{first.id}",
        "theme": f"{base}/themes/{theme.id}",
        "reference": reference,
    }


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_next_previous_response_and_an_excerpt_by_keyboard(
    open_page, live_server, northshire, world, js
):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    page = organiser.page

    organiser.goto(world["coding"])
    counts = page.locator("#sections-heading + table, #sections-heading ~ table").first
    assert "A Getting help" in counts.inner_text()

    organiser.goto(world["first"])
    tab_to(page, text="Next question : What would help?")
    press(organiser, "Enter")
    assert page.locator("h1").inner_text() == "What would help?", "the yes/no is skipped"
    tab_to(page, text="Previous question : How long did you wait?")
    press(organiser, "Enter")
    assert page.locator("h1").inner_text() == "How long did you wait?"

    tab_to(page, text=f"Every answer in this response ({world['reference']})")
    press(organiser, "Enter")
    assert page.locator("h1").inner_text() == f"Response {world['reference']}"
    assert "A key worker" in page.locator("main").inner_text()

    organiser.goto(world["theme"])
    tab_to(page, text=f"Quote this answer (reference {world['reference']})")
    press(organiser, "Enter")
    box = page.get_by_label("The words to publish")
    box.fill("")
    type_into(organiser, "The words to publish", "Sam waited ten years")
    tab_to(page, text="Save the quote")
    press(organiser, "Enter")
    assert page.title().startswith("Error: ")
    assert "own words" in page.locator(".govuk-error-summary").inner_text()
    assert "own words" in page.locator(".govuk-error-message").inner_text()

    page.get_by_label("The words to publish").fill("")
    type_into(organiser, "The words to publish", "Our son [name removed] waited two years")
    tab_to(page, text="Save the quote")
    press(organiser, "Enter")
    assert "quoted in part" in page.locator(".govuk-notification-banner").inner_text()
    quotes = page.locator("blockquote").all_inner_texts()
    assert quotes == ["“Our son [name removed] waited two years”"]
    assert "Quoted in part" in page.locator("#choose-quotes ~ ul").inner_text()
