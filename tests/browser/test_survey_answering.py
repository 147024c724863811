"""Answering a survey in the browser, on a phone-sized screen: one question on each page, a
show-if branch, save and leave, come back, check the answers and send them; by keyboard only
with JavaScript, and by mouse with JavaScript off (a click and a key press send the same request,
so the mouse with JavaScript is not run a third time). Someone without an account comes back
through their private link. axe runs on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import sign_in, tab_to
from tests.factories import (
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 720}


@pytest.fixture
def survey(live_server, northshire):
    """An open consultation whose survey asks six questions, one on each page; "Which school
    setting?" only if the child has an EHC plan."""
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from forum.surveys.models import SurveyLayout

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email="pat.parent@example.org", name="Pat Parent")
        consultation = make_consultation(area, state="open", title="Getting to school")
        survey = make_survey(
            consultation,
            layout=SurveyLayout.QUESTION_PER_PAGE,
            intro="Tell us how your child gets to school.",
        )
        plan = make_question(survey, kind="yes_no", prompt="Does your child have an EHC plan?")
        make_question(
            survey,
            prompt="Which school setting?",
            show_if=plan,
            show_if_values=["yes"],
            options=("Mainstream", "Special school"),
        )
        make_question(
            survey,
            kind="scale",
            prompt="How happy are you with school transport?",
            scale_low_label="Very unhappy",
            scale_high_label="Very happy",
        )
        make_question(
            survey,
            kind="ranking",
            prompt="What matters most?",
            options=("Safety", "Journey time", "Familiar driver"),
        )
        make_question(survey, kind="long_text", prompt="Tell us more", is_required=False)
        make_question(survey, kind="consent", prompt="May we quote your words?")
    return f"/areas/{northshire.slug}/consultations/{consultation.slug}/survey"


def _choose(page, label: str, *, keyboard: bool) -> None:
    field = page.get_by_label(label, exact=True)
    if keyboard:
        field.focus()
        page.keyboard.press("Space")
    else:
        field.check()


def _next(checked, button: str = "Continue", *, keyboard: bool, status: int = 200) -> None:
    if keyboard:
        tab_to(checked.page, text=button, tag="button")
        with checked.page.expect_navigation() as navigation:
            checked.page.keyboard.press("Enter")
        assert navigation.value.status == status
        checked.check()
    else:
        checked.submit(button, status=status)


@pytest.mark.parametrize(
    ("js", "keyboard"),
    [(True, True), (False, False)],
    ids=["keyboard", "no-js"],
)
def test_parent_answers_on_a_phone_saves_comes_back_and_sends(open_page, survey, js, keyboard):
    parent = open_page(js=js)
    sign_in(parent, "pat.parent@example.org")
    # The phone-sized screen after signing in: there, "Sign out" sits behind the menu button.
    parent.page.set_viewport_size(PHONE)
    parent.goto(survey + "/start")
    assert "Tell us how your child gets to school." in parent.page.inner_text("main")
    with parent.page.expect_navigation():
        parent.page.get_by_role("button", name="Start now").click()
    parent.check()
    assert "Question 1 of 5" in parent.page.inner_text("main")

    # Sending nothing: the error summary, and the message by the question.
    _next(parent, keyboard=keyboard, status=422)
    assert "Choose an answer" in parent.page.locator(".govuk-error-message").inner_text()

    _choose(parent.page, "Yes", keyboard=keyboard)
    _next(parent, keyboard=keyboard)
    # "Yes" brings in the show-if question.
    assert "Question 2 of 6" in parent.page.inner_text("main")
    _choose(parent.page, "Special school", keyboard=keyboard)
    _next(parent, keyboard=keyboard)
    _choose(parent.page, "4", keyboard=keyboard)
    # Save and leave.
    _next(parent, "Save and come back later", keyboard=keyboard)
    assert "Your answers are saved" in parent.page.inner_text("main")
    assert "/resume/" not in parent.page.content(), "no private link for account holders"
    parent.context.clear_cookies()

    # Later: sign in again, and carry on where they left off.
    parent.page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(parent, "pat.parent@example.org")
    parent.page.set_viewport_size(PHONE)
    parent.goto(survey + "/start")
    with parent.page.expect_navigation():
        parent.page.get_by_role("button", name="Carry on where you left off").click()
    parent.check()
    assert "What matters most?" in parent.page.inner_text("main")
    # Ranking with selects: keyboard friendly, no dragging.
    for place, option in (
        ("1st choice", "Safety"),
        ("2nd choice", "Familiar driver"),
        ("3rd choice", "Journey time"),
    ):
        parent.page.get_by_label(place, exact=True).select_option(label=option)
    _next(parent, keyboard=keyboard)
    parent.page.get_by_label("Tell us more (optional)").fill(
        "The driver changes every week <script>alert(1)</script>"
    )
    _next(parent, keyboard=keyboard)
    _choose(parent.page, "Yes, you may quote my words without my name", keyboard=keyboard)
    _next(parent, keyboard=keyboard)

    main = parent.page.inner_text("main")
    assert "Check your answers" in main
    for shown in ("Special school", "Familiar driver", "<script>alert(1)</script>"):
        assert shown in main
    # Change an answer from the check page, and come back to it.
    with parent.page.expect_navigation():
        parent.page.get_by_role("link", name=re.compile("Change.*How happy")).click()
    parent.check()
    _choose(parent.page, "5 – Very happy", keyboard=keyboard)
    _next(parent, keyboard=keyboard)
    assert "Check your answers" in parent.page.inner_text("main")
    _next(parent, "Send your answers", keyboard=keyboard)

    done = parent.page.inner_text("main")
    assert "Your answers have been sent" in done
    assert re.search(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", done)
    assert "5 – Very happy" in done
    # Back and send again: the same confirmation, nothing new.
    parent.page.go_back()
    parent.check()
    parent.goto(survey + "/check", status=200)
    assert "Your answers have been sent" in parent.page.inner_text("main")


def test_visitor_without_an_account_comes_back_with_the_private_link(
    open_page, live_server, survey
):
    from forum.consultations.models import Audience, Consultation
    from forum.extensions import db

    with live_server.app.app_context():
        consultation = db.session.query(Consultation).filter_by(title="Getting to school").one()
        consultation.audience = Audience.PUBLIC
        db.session.commit()
    visitor = open_page(viewport=PHONE)
    visitor.goto(survey + "/start")
    assert "You do not need an account" in visitor.page.inner_text("main")
    with visitor.page.expect_navigation():
        visitor.page.get_by_role("button", name="Start now").click()
    visitor.check()
    visitor.page.get_by_label("No", exact=True).check()
    visitor.submit("Save and come back later")
    link = visitor.page.locator(".app-resume-link a").get_attribute("href")
    assert "/resume/" in link

    elsewhere = open_page(viewport=PHONE)
    with elsewhere.page.expect_navigation():
        elsewhere.page.goto(link)
    elsewhere.check()
    assert "How happy are you with school transport?" in elsewhere.page.inner_text("main")


def test_organiser_types_in_a_paper_response(open_page, survey, northshire):
    organiser = open_page()
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(survey + "/responses/new")
    organiser.submit("Save this response", status=422)
    assert "Choose how the response reached you" in organiser.page.inner_text("main")
    organiser.page.get_by_label("On paper", exact=True).check()
    organiser.page.get_by_label("Tell us more (optional)").fill("Written on the back of the form")
    organiser.submit("Save this response")
    assert "is saved" in organiser.banner()


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_one_page_survey_shows_a_follow_up_question_only_when_it_applies(
    open_page, live_server, survey, js
):
    from forum.extensions import db
    from forum.surveys.models import Survey, SurveyLayout

    with live_server.app.app_context():
        for each in db.session.query(Survey):
            each.layout = SurveyLayout.ONE_PAGE
        db.session.commit()
    parent = open_page(js=js)
    sign_in(parent, "pat.parent@example.org")
    parent.goto(survey + "/answer")
    follow_up = parent.page.get_by_text("Which school setting?")
    if js:
        assert not follow_up.is_visible()
        parent.page.get_by_label("Yes", exact=True).check()
        assert follow_up.is_visible()
        parent.page.get_by_label("No", exact=True).check()
        assert not follow_up.is_visible()
    else:
        assert follow_up.is_visible()
        assert "Only answer this if you answered" in parent.page.inner_text("main")
    parent.page.get_by_label("No", exact=True).check()
    parent.page.get_by_label("3", exact=True).check()
    for place, option in (
        ("1st choice", "Safety"),
        ("2nd choice", "Familiar driver"),
        ("3rd choice", "Journey time"),
    ):
        parent.page.get_by_label(place, exact=True).select_option(label=option)
    parent.page.get_by_label("No, do not quote my words", exact=True).check()
    parent.submit("Send your answers")
    assert "Your answers have been sent" in parent.page.inner_text("main")
    assert "Which school setting?" not in parent.page.inner_text("main")
