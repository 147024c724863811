"""Consultations in the browser: an organiser writes one (GOV.UK date inputs), publishes and
closes it; visitors filter the list with htmx and without JavaScript. axe on every page."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from forum.models import utcnow
from forum.web.time import LONDON
from tests.browser.support import sign_in
from tests.factories import make_consultation, make_priority

pytestmark = pytest.mark.browser


@pytest.fixture
def plan(live_server, northshire):
    from forum.areas.queries import get_by_slug

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_priority(area, code="P3", title="Mental health support in every school")
        make_consultation(area, state="open", title="Short breaks for disabled children")
        make_consultation(area, state="closed", title="Home to school transport")
    return northshire


def _give_it_a_question(app, title: str) -> None:
    from sqlalchemy import select

    from forum.consultations.models import Consultation
    from forum.extensions import db
    from tests.factories import make_question, make_survey

    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.title == title))
        make_question(make_survey(consultation), kind="long_text", prompt="What helped?")
        db.session.commit()


def test_organiser_writes_publishes_and_closes_a_consultation(open_page, plan, live_server):
    organiser = open_page()
    sign_in(organiser, plan.organiser_email)
    organiser.goto(f"/areas/{plan.slug}/consultations")
    organiser.page.get_by_role("button", name="Write a consultation").click()
    organiser.page.wait_for_url("**/consultations/new")
    organiser.check()

    # Mistakes first: nothing filled in, and a date that does not exist.
    organiser.page.get_by_label("Day").first.fill("31")
    organiser.page.get_by_label("Month").first.fill("2")
    organiser.page.get_by_label("Year").first.fill("2027")
    organiser.submit("Save draft", status=422)
    summary = organiser.page.locator(".govuk-error-summary").inner_text()
    assert "Enter a title" in summary and "Opening date must be a real date" in summary

    opens = (utcnow() + timedelta(days=2)).astimezone(LONDON)
    closes = opens + timedelta(days=30)
    organiser.fill_form(
        {
            "Title": "Mental health support teams in schools",
            "Summary": "Has your child been offered help at school?",
            "Easy read summary (optional)": "Some schools have a team to help with feelings.",
        }
    )
    for index, when in ((0, opens), (1, closes)):
        organiser.page.get_by_label("Day").nth(index).fill(str(when.day))
        organiser.page.get_by_label("Month").nth(index).fill(str(when.month))
        organiser.page.get_by_label("Year").nth(index).fill(str(when.year))
    organiser.page.get_by_label("P3 Mental health support in every school").check()
    organiser.submit("Save draft")
    assert "Your draft is saved" in organiser.banner()

    # Check and publish: without a survey there is nothing to answer, so it cannot go out.
    organiser.page.get_by_role("button", name="Check and publish").click()
    organiser.page.wait_for_url("**/publish")
    organiser.check()
    assert "There is no survey yet" in organiser.page.locator(".govuk-error-summary").inner_text()
    check_path = urlsplit(organiser.page.url).path
    _give_it_a_question(live_server.app, "Mental health support teams in schools")
    organiser.goto(check_path)
    assert "The survey asks 1 question." in organiser.page.locator("main").inner_text()
    organiser.submit("Publish")
    assert "It will open on its opening date" in organiser.banner()
    organiser.submit("Open it now")
    assert "open now" in organiser.banner()
    organiser.page.get_by_role("button", name="Close early").click()
    organiser.page.wait_for_url("**/close")
    organiser.check()
    organiser.fill_form({"Why is it closing early?": "We had enough answers."})
    organiser.submit("Close the consultation")
    main = organiser.page.locator("main").inner_text()
    assert "Closed early on " in main and ": We had enough answers." in main


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_visitors_filter_the_list(open_page, plan, js):
    visitor = open_page(js=js)
    visitor.goto(f"/areas/{plan.slug}")
    assert "Short breaks for disabled children" in visitor.page.locator("main").inner_text()
    visitor.goto(f"/areas/{plan.slug}/consultations")
    link = visitor.page.get_by_role("link", name="Closed (1)")
    visitor.in_place_or_page(link.click, js=js)
    assert "Home to school transport" in visitor.page.locator("main").inner_text()
    assert visitor.page.url.endswith("status=closed")
    visitor.page.get_by_role("link", name="Home to school transport").click()
    visitor.page.wait_for_load_state()
    visitor.check()
    assert "Closed" in visitor.page.locator("main").inner_text()


def test_area_list_pages_in_place(open_page, live_server):
    from tests.factories import make_area

    with live_server.app.app_context():
        for n in range(30):
            make_area(slug=f"area-{n:02d}", name=f"Area {n:02d}")
    visitor = open_page()
    visitor.goto("/")
    with visitor.swap():
        visitor.page.get_by_role("link", name="Next").click()
    assert "Area 29" in visitor.page.locator("main").inner_text()
    assert visitor.page.url.endswith("?page=2")
    assert visitor.page.evaluate("document.activeElement.tagName") == "H2"
