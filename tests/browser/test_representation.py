"""The representation log end to end (issue 15): an organiser records a meeting with the
keyboard alone (htmx on), adds an action agreed there, turns the action into a commitment in
the plan and makes the meeting and its actions public; a visitor without JavaScript, on a
phone-sized screen, reads "Where we represented you". axe runs on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import CheckedPage, press, sign_in, tab_to, type_into

pytestmark = pytest.mark.browser

MEETING = "SEND Partnership Board"
ORGANISATION = "Northshire Parent Carer Trust"
ACTION = "Publish the short breaks statement"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def place(live_server, northshire):
    """A published plan with one priority, and the council as the area's partner."""
    from forum.areas.queries import get_by_slug
    from tests.factories import make_partner, make_plan, make_priority

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_partner(area, name="Northshire County Council")
        plan = make_plan(area, title="Local Inclusion Plan")
        make_priority(area, code="P1", title="Short breaks", plan=plan)
    return northshire


def click(person: CheckedPage, name: str | re.Pattern) -> None:
    with person.page.expect_navigation() as navigation:
        person.page.get_by_role("link", name=name, exact=isinstance(name, str)).click()
    assert navigation.value.status == 200, navigation.value.url
    person.check()


def test_record_a_meeting_make_a_commitment_and_read_it_in_public(open_page, place):
    organiser = open_page(js=True)
    sign_in(organiser, place.organiser_email)
    organiser.goto(f"/areas/{place.slug}")
    click(organiser, "Record the meetings the forum goes to")
    tab_to(organiser.page, text="Record a meeting")
    press(organiser, "Enter")

    # By keyboard alone: the name, the organisation, the date, what is public, the button.
    type_into(organiser, "Name of the meeting", MEETING)
    type_into(organiser, "If it is not on the list", ORGANISATION)
    type_into(organiser, "Day", "14")
    type_into(organiser, "Month", "10")
    type_into(organiser, "Year", "2026")
    type_into(organiser, "What the forum raised", "We raised waiting times for short breaks.")
    tab_to(organiser.page, label="The meeting:")
    organiser.page.keyboard.press("Space")
    tab_to(organiser.page, label="What was agreed:")
    organiser.page.keyboard.press("Space")
    tab_to(organiser.page, text="Record the meeting", tag="button")
    press(organiser, "Enter")
    assert "The meeting is recorded" in organiser.banner()

    tab_to(organiser.page, text="Add an action agreed")
    press(organiser, "Enter")
    type_into(organiser, "What was agreed", ACTION)
    type_into(organiser, "Who owns it", "Council SEND team")
    tab_to(organiser.page, text="Add the action", tag="button")
    press(organiser, "Enter")
    assert ACTION in organiser.page.inner_text("main")

    click(organiser, re.compile("^Make it a commitment in the plan"))
    organiser.page.get_by_label("Which priority of the plan is it under?").select_option(
        label="P1 Short breaks (Local Inclusion Plan)"
    )
    organiser.page.get_by_label("Which organisation owns it?").select_option(
        label="Northshire County Council"
    )
    organiser.submit("Make it a commitment")
    main = organiser.page.inner_text("main")
    assert ACTION in main and f"Agreed at {MEETING} on 14 October 2026" in main

    visitor = open_page(js=False, viewport=PHONE)
    visitor.goto(f"/areas/{place.slug}")
    click(visitor, "See the meetings we went to and what was agreed")
    main = visitor.page.inner_text("main")
    assert "October 2026" in main and MEETING in main and ORGANISATION in main
    assert ACTION in main and "Not done yet" in main
    # Only the meeting and its actions were made public: not what was raised, nor who went.
    assert "waiting times" not in main and place.organiser_name not in main
    click(visitor, ACTION)
    assert f"Agreed at {MEETING}" in visitor.page.inner_text("main")
