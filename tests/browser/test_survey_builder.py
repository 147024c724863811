"""The survey builder in the browser: bank questions and moves swap the list in place with
htmx, and work as plain forms without JavaScript; preview and settings pass axe."""

from __future__ import annotations

import pytest

from tests.browser.support import sign_in
from tests.factories import make_consultation, make_survey

pytestmark = pytest.mark.browser


@pytest.fixture
def builder_path(live_server, northshire):
    from forum.areas.queries import get_by_slug

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        consultation = make_consultation(area, state="open", title="Short breaks")
        make_survey(consultation)
    return f"/areas/{northshire.slug}/consultations/{consultation.slug}/survey"


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_build_a_survey_from_the_bank_and_reorder(open_page, northshire, builder_path, js):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(builder_path)
    for _ in range(2):
        button = organiser.page.locator("#survey-questions .app-bank button").first
        organiser.in_place_or_page(button.click, js=js)
    age_phase = "Which stage of education is your child at?"
    listed = organiser.page.locator("#survey-questions ol").inner_text()
    assert listed.index(age_phase) < listed.index("Question 2")
    move = organiser.page.get_by_role("button", name="Move up question 2")
    organiser.in_place_or_page(move.click, js=js)
    reordered = organiser.page.locator("#survey-questions ol").inner_text()
    assert reordered.index(age_phase) > reordered.index("Question 2"), "it is second now"

    organiser.goto(builder_path + "/preview")
    organiser.goto(builder_path + "/settings")
