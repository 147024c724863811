"""An event, end to end (issue 15): the organiser creates and publishes it by keyboard; a
parent registers with an access need on a phone-sized screen; a second parent (JavaScript
off) goes on the waiting list; the first cancels from the link in their confirmation email
(which carries the .ics); the second is promoted and emailed; the organiser, with JavaScript
off, sees the access need and marks who came. Once the event has happened, the organiser
writes public notes on the phone (still no JavaScript), adds a point families raised to a
theme of a consultation (htmx), and records a partnership meeting where the theme was raised;
a visitor reads the point under "you said, we did" and the theme on "Where we represented
you". axe runs on every page and every swap.
"""

from __future__ import annotations

import re
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


POINT = "Letters about school transport arrive after term starts"
THEME = "Transport letters"
CONSULTATION = "Getting to school"
MEETING = "SEND Partnership Board"


@pytest.fixture
def ledger(live_server, northshire):
    """A consultation that has closed and been answered, with a published theme to add
    evidence to, as the outcome tests build one."""
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.outcomes.themes.models import Theme
    from tests.factories import make_consultation, make_theme

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        consultation = make_consultation(area, state="closed", title=CONSULTATION)
        theme = make_theme(consultation, title=THEME, summary="Letters come too late.")
        db.session.get(Theme, theme.id).published_at = utcnow()
        consultation = db.session.merge(consultation)
        consultation.responded_at = utcnow()
        db.session.commit()
        return {
            "consultation": f"/areas/{northshire.slug}/consultations/{consultation.slug}",
            "theme": f"/areas/{northshire.slug}/consultations/{consultation.slug}"
            f"/themes/{theme.id}",
        }


def _the_event_happens(live_server, event_path: str) -> None:
    """Move the event's times into the past, as the clock would by the day after."""
    from forum.events.models import Event
    from forum.extensions import db

    event_id = int(event_path.rstrip("/").split("/")[-1])
    with live_server.app.app_context():
        event = db.session.get(Event, event_id)
        length = event.ends_at - event.starts_at
        event.starts_at = utcnow() - timedelta(days=1)
        event.ends_at = event.starts_at + length
        db.session.commit()


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


def follow(person: CheckedPage, name: str) -> None:
    """Follow a link, wait for the page and check it."""
    with person.page.expect_navigation() as navigation:
        person.page.get_by_role("link", name=name, exact=True).click()
    assert navigation.value.status == 200, navigation.value.url
    person.check()


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


def test_event_from_keyboard_to_evidence(open_page, live_server, northshire, parents, ledger):
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

    # --- the day after: the organiser writes what was heard, on the phone, no JavaScript ---
    _the_event_happens(live_server, event_path)
    at_the_door.goto(event_path)
    follow(at_the_door, "Write notes on what was heard")
    at_the_door.fill_form({"Summary (optional)": "Nine parents came. Most talked about transport."})
    at_the_door.page.get_by_label("Anyone who can see the event", exact=True).check()
    at_the_door.submit("Save the notes")
    assert "The notes are saved" in at_the_door.banner()
    at_the_door.goto(f"{event_path}/notes")
    follow(at_the_door, "Add a point families raised")
    at_the_door.fill_form({"What was raised": POINT, "How many people raised it (optional)": "3"})
    at_the_door.submit("Add the point")
    assert POINT in at_the_door.page.inner_text("main")

    # --- at the desk, with htmx: the point becomes evidence for a theme -------------------
    organiser.goto(ledger["theme"] + "/evidence")
    follow(organiser, "Raised at events")
    row = organiser.page.locator(".app-pick-row", has_text=POINT)
    assert "3 people" in row.inner_text() and TITLE in row.inner_text()
    with organiser.swap():
        row.get_by_role("button", name=re.compile("^Add")).click()
    assert "Added" in row.inner_text()
    organiser.goto(ledger["theme"])
    evidence = organiser.page.locator("#evidence-heading ~ table").inner_text()
    assert "Raised at an event" in evidence and POINT in evidence

    # --- and the theme is raised at a partnership meeting -------------------------------------
    organiser.goto(f"/areas/{northshire.slug}/representation/meetings/new")
    organiser.fill_form({"Name of the meeting": MEETING, "Day": "3", "Month": "11", "Year": "2026"})
    organiser.page.get_by_label("If it is not on the list").fill("Northshire County Council")
    organiser.page.get_by_label(f"{THEME} ({CONSULTATION})", exact=True).check()
    organiser.page.get_by_label(re.compile("The meeting: its name")).check()
    organiser.page.get_by_label(re.compile("What the forum raised: the summary")).check()
    organiser.submit("Record the meeting")
    assert "The meeting is recorded" in organiser.banner()

    # --- a visitor reads it all, on a phone, without JavaScript -------------------------------
    visitor = open_page(js=False, viewport=PHONE)
    visitor.goto(ledger["consultation"])
    said = visitor.page.locator("#we-did").inner_text()
    assert THEME in said and "At the forum’s events" in said
    assert POINT in said and TITLE in said
    visitor.goto(f"/areas/{northshire.slug}/representation")
    represented = visitor.page.inner_text("main")
    assert MEETING in represented and THEME in represented
