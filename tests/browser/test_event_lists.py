"""The organiser's lists of events and people. The registration list for an event under way:
opened with JavaScript off (who has a place, their access needs, the waiting list, how many
came), and with JavaScript on marking one person as came by keyboard alone, the row and the
count swapped in place. A draft deleted from the "are you sure" page without JavaScript, and
gone from the list of all events. axe runs on every page and swap."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.models import utcnow
from tests.browser.support import assert_focus_visible, sign_in, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def event_list(live_server, northshire) -> str:
    """A coffee morning that began an hour ago: two families with places (one of three adults,
    with an access need) and one on the waiting list. Returns the list's path."""
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from tests.events.worlds import make_event, make_registration
    from tests.factories import make_person_in

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        started = utcnow().replace(microsecond=0) - timedelta(hours=1)
        event = make_event(
            area,
            title="Coffee morning",
            capacity=4,
            starts_at=started,
            ends_at=started + timedelta(hours=2),
        )
        people = [
            make_person_in(area, Role.MEMBER, email=f"{name.lower()}@example.org", name=name)
            for name in ("Ade", "Bea", "Cal")
        ]
        make_registration(
            event, user=people[0], adults=3, access_choices="wheelchair", access_needs="A ramp"
        )
        make_registration(event, user=people[1], adults=1)
        make_registration(event, user=people[2], status="waiting", waiting_since=utcnow())
        db.session.commit()
        return f"/areas/{northshire.slug}/events/{event.id}/registrations"


def test_the_list_without_javascript(open_page, northshire, event_list):
    organiser = open_page(js=False)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(event_list)
    main = organiser.page.locator("main").inner_text()
    assert "4 of 4 places booked." in main
    assert "Nobody is marked as having come yet." in main
    assert "Access: Wheelchair access. A ramp" in main
    assert main.index("With a place") < main.index("Ade") < main.index("Waiting list")
    assert main.index("Waiting list") < main.index("Cal")
    # a waiting family cannot be marked; each family with a place has both buttons
    assert organiser.page.get_by_role("button", name="Came (Cal)").count() == 0
    assert organiser.page.get_by_role("button", name="Did not come (Bea)").is_visible()


def test_marking_who_came_by_keyboard(open_page, northshire, event_list):
    organiser = open_page(js=True)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(event_list)
    page = organiser.page
    tab_to(page, text="Came (Ade)", tag="button")
    assert_focus_visible(page)
    with organiser.swap():
        page.keyboard.press("Enter")
    row = page.locator("li", has=page.get_by_role("heading", name="Ade"))
    assert row.get_by_text("Came", exact=True).is_visible()
    assert row.get_by_role("button", name="Came (Ade)").count() == 0
    # the count moved with it: Ade's registration brought three adults
    assert page.locator("#came").inner_text() == (
        "3 people came: the adults of the registration marked “Came”."
    )
    # and the page, loaded again, says the same
    organiser.goto(event_list)
    assert page.locator("#came").inner_text().startswith("3 people came")


def test_deleting_a_draft_without_javascript(open_page, live_server, northshire):
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from tests.events.worlds import make_event

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        draft = make_event(area, status="draft", title="Draft: summer picnic")
        make_event(area, title="Published coffee morning")
        db.session.commit()
        draft_path = f"/areas/{northshire.slug}/events/{draft.id}"

    organiser = open_page(js=False)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(draft_path)
    with organiser.page.expect_navigation():
        organiser.page.get_by_role("button", name="Delete the draft").click()
    organiser.check()
    assert organiser.page.locator("h1").inner_text() == (
        "Are you sure you want to delete this draft?"
    )
    organiser.submit("Yes, delete the draft")
    assert "The draft “Draft: summer picnic” is deleted." in organiser.banner()
    listing = organiser.page.get_by_role("table").inner_text()
    assert "Published coffee morning" in listing and "summer picnic" not in listing
