"""Survey results in the browser: a visitor reads published results (a chart beside its table,
small counts withheld), with and without JavaScript; an organiser filters them in place with
htmx and publishes them. axe on every page and after every swap."""

from __future__ import annotations

import re

import pytest

from forum.surveys.models import ResultsVisibility
from tests.browser.support import normalise, sign_in
from tests.factories import make_consultation, make_question, make_response, make_survey

pytestmark = pytest.mark.browser


@pytest.fixture
def results_path(live_server, northshire):
    """A closed consultation whose survey has twelve responses: six primary, five secondary
    and one at a special school."""
    from forum.areas.queries import get_by_slug

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        consultation = make_consultation(area, state="closed", title="Short breaks")
        survey = make_survey(consultation, results_visibility=ResultsVisibility.PUBLIC)
        stage = make_question(
            survey,
            prompt="Which stage of education is your child at?",
            options=("Primary", "Secondary", "Special school"),
        )
        helps = make_question(
            survey,
            kind="multiple_choice",
            prompt="What helps your family?",
            options=("After-school clubs", "Overnight short breaks", "Holiday schemes"),
        )
        happy = make_question(survey, kind="yes_no", prompt="Are you happy with the Local Offer?")
        why = make_question(survey, kind="long_text", prompt="Tell us why", is_required=False)
        for n in range(12):
            make_response(
                survey,
                status="submitted",
                answers={
                    stage: "primary" if n < 6 else ("secondary" if n < 11 else "special_school"),
                    helps: ["after_school_clubs", "holiday_schemes"]
                    if n % 2
                    else ["holiday_schemes"],
                    happy: "yes" if n < 6 else "no",
                    why: f"Private words {n}",
                },
            )
    return f"/areas/{northshire.slug}/consultations/{consultation.slug}/survey/results"


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_visitor_sees_the_chart_and_the_table(open_page, results_path, js):
    visitor = open_page(js=js)
    visitor.goto(results_path)
    page = visitor.page
    assert page.get_by_role("heading", name="Results for everyone who responded").is_visible()
    # Every count is rounded to the nearest 5, and the page says so in plain words.
    assert "10 people responded" in page.locator("#survey-results").inner_text()
    assert "Numbers are rounded to the nearest 5" in page.locator("main").inner_text()
    chart = page.locator("svg.app-chart").first
    assert chart.is_visible() and chart.get_attribute("aria-hidden") == "true"
    table = page.get_by_role("table", name="Answers to question 1")
    assert table.is_visible()
    rows = [normalise(r) for r in table.locator("tbody tr").all_inner_texts()]
    # "Special school" is 1, so withheld; "Secondary" would give it away (12 - 6 - 5).
    assert rows == [
        "Primary 5 50%",
        "Secondary not shown, to protect a smaller group not shown",
        "Special school fewer than 5 not shown",
    ]
    assert "fewer than 5" in chart.inner_html()
    assert "Private words" not in page.content()


def test_a_visitor_filters_a_closed_survey_without_small_or_zero_cells(open_page, results_path):
    visitor = open_page(js=False)
    visitor.goto(results_path)
    page = visitor.page
    # "Primary" is shown on the page for everyone (6, with 6 others), so it may be filtered.
    page.get_by_label("Show the results for people who gave one answer").select_option(
        label="Primary (question 1)"
    )
    visitor.submit("Show results")
    results = page.locator("#survey-results").inner_text()
    assert "5 people of the 10 people who responded" in results
    table = page.get_by_role("table", name="Answers to question 3")
    # Nobody in the group said No: a zero in a filtered view is withheld, not shown.
    assert [normalise(r) for r in table.locator("tbody tr").all_inner_texts()] == [
        "Yes 5 100%",
        "No fewer than 5 not shown",
        "Not sure fewer than 5 not shown",
    ]
    # "Secondary" is withheld on the page for everyone, so its filtered page is too.
    visitor.goto(page.url.replace("is=primary", "is=secondary"))
    assert "are not shown" in page.locator("#survey-results").inner_text()
    assert page.locator("#survey-results table").count() == 0


def test_an_organiser_filters_with_htmx_and_publishes(open_page, northshire, results_path):
    organiser = open_page()
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(results_path)
    page = organiser.page
    assert "Private words 7" in page.locator("#survey-results").inner_text()

    page.get_by_label("Show the results for people who gave one answer").select_option(
        label="Secondary (question 1)"
    )
    with organiser.swap():
        page.get_by_role("button", name="Show results").click()
    heading = page.get_by_role(
        "heading", name="Results for people who answered “Secondary” to question 1"
    )
    assert heading.is_visible()
    assert re.search(r"\?by=\d+&is=secondary$", page.url), page.url
    # Organisers see the figures as they are.
    assert "5 people of the 12 people who responded" in page.locator("#survey-results").inner_text()
    table = page.get_by_role("table", name="Answers to question 3")
    assert [normalise(r) for r in table.locator("tbody tr").all_inner_texts()] == [
        "Yes 0 0%",
        "No 5 100%",
        "Not sure 0 0%",
    ]

    page.get_by_label("Published to members of the forum").check()
    organiser.submit("Save who can see the results")
    assert "published to members of the forum" in organiser.banner()
