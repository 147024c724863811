"""Extending and closing in the browser (issue 14): an organiser extends with a reason by
keyboard, and everyone reads it; a member with answers saved but not sent sees it on the
consultation page and their account page (also without JavaScript); the check and publish
page. axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.areas.models import Role
from forum.models import utcnow
from forum.web.time import LONDON
from tests.browser.support import press, sign_in, tab_to, type_into
from tests.factories import make_consultation, make_person_in, make_question, make_survey

pytestmark = pytest.mark.browser

MEMBER = "mina.member@example.org"


@pytest.fixture
def world(live_server, northshire):
    from forum.areas.queries import get_by_slug

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email=MEMBER, name="Mina Member")
        running = make_consultation(area, state="open", title="Short breaks")
        survey = make_survey(running)
        make_question(survey, kind="long_text", prompt="What would help?")
        draft = make_consultation(area, state="draft", title="Home to school transport")
    return {
        "area": northshire,
        "running": f"/areas/{northshire.slug}/consultations/{running.slug}",
        "draft": f"/areas/{northshire.slug}/consultations/{draft.slug}",
        "closes_at": running.closes_at,
    }


def test_organiser_extends_with_a_reason_by_keyboard(open_page, world):
    organiser = open_page()
    sign_in(organiser, world["area"].organiser_email)
    organiser.goto(world["running"] + "/extend")
    later = (world["closes_at"] + timedelta(days=14)).astimezone(LONDON)
    # Mistakes first: no reason.
    organiser.page.get_by_label("Day").fill(str(later.day))
    organiser.page.get_by_label("Month").fill(str(later.month))
    organiser.page.get_by_label("Year").fill(str(later.year))
    organiser.submit("Change closing date", status=422)
    assert (
        "Say why you are giving more time"
        in organiser.page.locator(".govuk-error-summary").inner_text()
    )
    type_into(organiser, "Why are you giving more time?", "the easy read version came late")
    tab_to(organiser.page, text="Change closing date", tag="button")
    press(organiser, "Enter")
    assert "The closing date has been changed" in organiser.banner()
    main = organiser.page.locator("main").inner_text()
    was = world["closes_at"].astimezone(LONDON).strftime("%-d %B %Y")
    assert f"Extended from {was} to {later.strftime('%-d %B %Y')} because the easy read" in main
    assert "Changes of dates" in main

    visitor = open_page(js=False)
    visitor.goto(world["running"])
    text = visitor.page.locator("main").inner_text()
    assert "because the easy read version came late." in text
    assert "Changes of dates" not in text


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_member_sees_answers_saved_but_not_sent(open_page, world, js):
    member = open_page(js=js)
    sign_in(member, MEMBER)
    member.goto(world["running"] + "/survey/answer")
    member.page.get_by_label("What would help?").fill("A sitter who knows signing")
    member.submit("Save and come back later")
    member.goto(world["running"])
    banner = member.page.get_by_role("region", name="Not sent yet").inner_text()
    assert "You have answers saved but not sent." in banner
    member.page.get_by_role("link", name="Carry on and send your answers").click()
    member.page.wait_for_url("**/survey/answer")
    member.check()
    assert member.page.get_by_label("What would help?").input_value().startswith("A sitter")
    member.goto("/account")
    assert "Carry on with “Short breaks”" in member.page.locator("main").inner_text()


def test_check_and_publish(open_page, world, live_server):
    organiser = open_page()
    sign_in(organiser, world["area"].organiser_email)
    organiser.goto(world["draft"])
    organiser.page.get_by_role("button", name="Check and publish").click()
    organiser.page.wait_for_url("**/publish")
    organiser.check()
    summary = organiser.page.locator(".govuk-error-summary").inner_text()
    assert "There is no survey yet" in summary
    assert organiser.page.get_by_role("button", name="Publish").count() == 0
    organiser.page.get_by_role("link", name="Survey questions: There is no survey yet").click()
    assert organiser.page.url.endswith("#check-survey-questions")

    from forum.consultations.models import Consultation
    from forum.extensions import db

    with live_server.app.app_context():
        from sqlalchemy import select

        draft = db.session.scalar(
            select(Consultation).where(Consultation.title == "Home to school transport")
        )
        make_question(make_survey(draft), kind="yes_no", prompt="Is the bus on time?")
        draft.opens_at = utcnow() + timedelta(days=1)
        db.session.commit()
    organiser.goto(world["draft"] + "/publish")
    main = organiser.page.locator("main").inner_text()
    assert "The survey asks 1 question." in main and "There is no easy read summary" in main
    organiser.submit("Publish")
    assert "It will open on its opening date" in organiser.banner()
