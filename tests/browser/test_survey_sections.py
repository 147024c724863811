"""Sections in the browser: a parent answers a survey with each section on its own page on a
phone-sized screen (keyboard only with JavaScript; mouse with JavaScript off), with a question on a later page
shown only because of an answer on an earlier one, saving and coming back, and the check page
grouped by section; an organiser adds, changes and deletes a section. axe runs on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import sign_in, tab_to
from tests.factories import make_consultation, make_person_in, make_question, make_survey

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 720}


@pytest.fixture
def survey(live_server, northshire):
    """Two chapters with the document's own numbers; "Which school?" (chapter 2) only for
    people who said no in chapter 1."""
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.surveys.models import Numbering, Section, SurveyLayout

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email="pat.parent@example.org", name="Pat Parent")
        consultation = make_consultation(area, state="open", title="Green paper response")
        survey = make_survey(
            consultation, layout=SurveyLayout.SECTION_PER_PAGE, numbering=Numbering.OWN
        )
        chapters = []
        for position, (number, title) in enumerate(
            [("Chapter 1", "Early support"), ("Chapter 2", "Schools")], start=1
        ):
            chapter = Section(
                survey_id=survey.id,
                area_id=survey.area_id,
                position=position,
                number=number,
                title=title,
                intro=f"About {title.lower()}.",
            )
            db.session.add(chapter)
            db.session.flush()
            chapters.append(chapter)
        support = make_question(
            survey,
            kind="yes_no",
            prompt="Did you get support early?",
            section_id=chapters[0].id,
            number="1",
        )
        make_question(
            survey,
            kind="long_text",
            prompt="What helped?",
            section_id=chapters[0].id,
            number="1a",
            show_if=support,
            show_if_values=["yes"],
        )
        make_question(
            survey,
            kind="short_text",
            prompt="Which school?",
            section_id=chapters[1].id,
            number="2",
            show_if=support,
            show_if_values=["no"],
        )
        make_question(
            survey,
            kind="long_text",
            prompt="Anything else?",
            section_id=chapters[1].id,
            number="3",
            is_required=False,
        )
        db.session.commit()
    return f"/areas/{northshire.slug}/consultations/{consultation.slug}/survey"


def _next(checked, button: str = "Continue", *, keyboard: bool, status: int = 200) -> None:
    if keyboard:
        tab_to(checked.page, text=button, tag="button")
        with checked.page.expect_navigation() as navigation:
            checked.page.keyboard.press("Enter")
        assert navigation.value.status == status
        checked.check()
    else:
        checked.submit(button, status=status)


def _choose(page, label: str, *, keyboard: bool) -> None:
    field = page.get_by_label(label, exact=True)
    if keyboard:
        field.focus()
        page.keyboard.press("Space")
    else:
        field.check()


@pytest.mark.parametrize(
    ("js", "keyboard"),
    [(True, True), (False, False)],
    ids=["keyboard", "no-js"],
)
def test_parent_answers_a_section_per_page_survey_on_a_phone(open_page, survey, js, keyboard):
    parent = open_page(js=js)
    sign_in(parent, "pat.parent@example.org")
    parent.page.set_viewport_size(PHONE)
    parent.goto(survey + "/start")
    main = parent.page.inner_text("main")
    assert "on 2 pages, one for each section" in main
    with parent.page.expect_navigation():
        parent.page.get_by_role("button", name="Start now").click()
    parent.check()
    main = parent.page.inner_text("main")
    assert "Chapter 1 Early support" in main and "About early support." in main
    assert "1. Did you get support early?" in main and "Question 1" not in main
    # "What helped?" belongs to "Yes": without JavaScript it shows with its condition.
    follow_up = parent.page.get_by_text("1a What helped?")
    assert follow_up.is_visible() is (not js)
    _choose(parent.page, "Yes", keyboard=keyboard)
    assert follow_up.is_visible()
    # "Yes" without saying what helped: the error summary and the message by the question.
    _next(parent, keyboard=keyboard, status=422)
    assert "There is a problem" in parent.page.inner_text("main")
    _choose(parent.page, "No", keyboard=keyboard)
    _next(parent, keyboard=keyboard)
    main = parent.page.inner_text("main")
    assert "Chapter 2 Schools" in main and "2. Which school?" in main
    parent.page.get_by_label("2. Which school?").fill("Northshire Primary")
    _next(parent, "Save and come back later", keyboard=keyboard)
    assert "Your answers are saved" in parent.page.inner_text("main")

    parent.goto(survey + "/start")
    with parent.page.expect_navigation():
        parent.page.get_by_role("button", name="Carry on where you left off").click()
    parent.check()
    assert parent.page.get_by_label("2. Which school?").input_value() == "Northshire Primary"
    _next(parent, keyboard=keyboard)
    main = parent.page.inner_text("main")
    assert "Check your answers" in main
    assert main.index("Chapter 1 Early support") < main.index("Did you get support early?")
    assert main.index("Chapter 2 Schools") < main.index("Northshire Primary")
    with parent.page.expect_navigation():
        parent.page.get_by_role("link", name=re.compile("Change.*Which school")).click()
    parent.check()
    parent.page.get_by_label("2. Which school?").fill("Northshire Academy")
    _next(parent, keyboard=keyboard)
    assert "Northshire Academy" in parent.page.inner_text("main")
    _next(parent, "Send your answers", keyboard=keyboard)
    assert "Your answers have been sent" in parent.page.inner_text("main")


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_organiser_adds_changes_moves_and_deletes_a_section(open_page, survey, northshire, js):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(survey)
    with organiser.page.expect_navigation():
        organiser.page.get_by_role("link", name="Add a section").click()
    organiser.check()
    organiser.submit("Add the section", status=422)
    assert "Enter the section" in organiser.page.locator(".govuk-error-summary").inner_text()
    organiser.fill_form({"Number (optional)": "Chapter 3", "Title": "Transport"})
    organiser.submit("Add the section")
    main = organiser.page.inner_text("main")
    assert "Chapter 3 Transport" in main and "No questions in this section yet" in main
    organiser.in_place_or_page(
        lambda: organiser.page.get_by_role(
            "button", name="Move section up “Chapter 3 Transport”"
        ).click(),
        js=js,
    )
    assert "has moved up" in organiser.page.inner_text("main")
    with organiser.page.expect_navigation():
        organiser.page.get_by_role("link", name="Delete section “Chapter 1 Early support”").click()
    organiser.check()
    assert "out of any section" in organiser.page.inner_text("main")
    organiser.submit("Yes, delete the section")
    main = organiser.page.inner_text("main")
    assert "Section “Chapter 1 Early support” has been deleted" in main
    headings = organiser.page.locator(".app-survey-section h3").all_inner_texts()
    assert [h.split("\n")[-1] for h in headings] == ["Chapter 3 Transport", "Chapter 2 Schools"]
