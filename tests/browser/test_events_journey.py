"""An event, end to end (issue 15): the organiser creates and publishes it by keyboard; a
parent registers with an access need on a phone-sized screen; a second parent (JavaScript
off) goes on the waiting list; the first cancels from the link in their confirmation email
(which carries the .ics); the second is promoted and emailed; the organiser, with JavaScript
off, sees the access need and marks who came. axe runs on every page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.models import utcnow
from forum.web.time import LONDON
from tests.browser.support import (
    CODE_LABEL,
    CheckedPage,
    current_code,
    press,
    sign_in,
    tab_to,
    type_into,
)
from tests.conftest import body_of, link_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

FIRST = "fola.first@example.org"
SECOND = "sam.second@example.org"
TITLE = "Coffee morning: starting secondary school"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def parents(live_server, northshire):
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from tests.factories import make_person_in

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email=FIRST, name="Fola First")
        make_person_in(area, Role.MEMBER, email=SECOND, name="Sam Second")


def path_of(link: str, live_server) -> str:
    assert link.startswith(live_server.url), link
    return link[len(live_server.url) :]


def sign_in_by_form(person: CheckedPage, email: str) -> None:
    """Sign in without looking for "Sign out" (a phone keeps it behind the menu)."""
    person.goto("/sign-in")
    person.fill_form({"Email address": email, "Password": PASSWORD})
    person.submit("Sign in")


def type_boxes(person: CheckedPage, *values: str) -> None:
    """Type into the focused box and the ones after it, a Tab between each."""
    for n, value in enumerate(values):
        if n:
            person.page.keyboard.press("Tab")
        person.page.keyboard.type(value)


def register(person: CheckedPage, event_path: str, **fields: str) -> str:
    person.goto(event_path)
    with person.page.expect_navigation():
        person.page.get_by_role("button", name=f"Register for {TITLE}").click()
    person.check()
    for label, value in fields.items():
        if value == "tick":
            person.page.get_by_label(label, exact=True).check()
        else:
            person.page.get_by_label(label).fill(value)
    person.submit("Register")
    return person.banner()


def test_event_from_keyboard_to_attendance(open_page, live_server, northshire, parents):
    organiser = open_page()
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}/events/new")
    day = (utcnow() + timedelta(days=10)).astimezone(LONDON)
    type_into(organiser, "Title", TITLE)
    tab_to(organiser.page, label="Day")
    type_boxes(organiser, str(day.day), str(day.month), str(day.year))
    tab_to(organiser.page, label="Day")  # the end's boxes; its time stays 12:00
    type_boxes(organiser, str(day.day), str(day.month), str(day.year))
    type_into(organiser, "Address", "Northshire Library, High Street, NS1 1AA")
    type_into(organiser, "Number of places", "1")
    press(organiser, "Enter")  # sends the form, as Enter in a text box does
    assert "saved as a draft" in organiser.banner()
    event_path = organiser.page.url[len(live_server.url) :]
    tab_to(organiser.page, text="Publish the event", tag="button")
    press(organiser, "Enter")
    assert "The event is published" in organiser.banner()

    first = open_page(viewport=PHONE)
    sign_in_by_form(first, FIRST)
    said = register(
        first,
        event_path,
        **{"Wheelchair access": "tick", "Anything else we can do": "A seat near the door"},
    )
    assert "You have a place" in said

    second = open_page(js=False)
    sign_in_by_form(second, SECOND)
    said = register(second, event_path, **{"A British Sign Language (BSL) interpreter": "tick"})
    assert "waiting list" in said

    live_server.deliver_email()
    [confirmation] = live_server.inbox.wait_for(FIRST)
    assert confirmation["Subject"] == f"Your place: {TITLE}"
    [calendar] = [p for p in confirmation.walk() if p.get_content_type() == "text/calendar"]
    assert TITLE in calendar.get_payload(decode=True).decode()
    first.goto(path_of(link_in(confirmation, "/cancel"), live_server))
    first.submit("Cancel my registration")
    assert "Your registration is cancelled" in first.banner()

    live_server.deliver_email()
    messages = live_server.inbox.wait_for(SECOND, count=2)
    promoted = messages[-1]
    assert promoted["Subject"] == f"A place came free for you: {TITLE}"
    assert "You do not need to do anything" in body_of(promoted)

    # On the day, at the door: a phone without JavaScript.
    at_the_door = open_page(js=False, viewport=PHONE)
    at_the_door.goto("/sign-in")
    at_the_door.fill_form({"Email address": northshire.organiser_email, "Password": PASSWORD})
    at_the_door.submit("Sign in")
    at_the_door.fill_form({CODE_LABEL: current_code(northshire.organiser_email)})
    at_the_door.submit("Continue")
    at_the_door.goto(f"{event_path}/registrations")
    listed = at_the_door.page.inner_text("main")
    assert "Sam Second" in listed and "Fola First" not in listed
    assert "British Sign Language" in listed
    at_the_door.submit("Came (Sam Second)")
    assert "Came" in at_the_door.page.locator("[id^=attendance-]").first.inner_text()
    assert not at_the_door.page.get_by_role("button", name="Came (Sam Second)").count()
