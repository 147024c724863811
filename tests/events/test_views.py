"""The event pages as each kind of person sees them, with and without htmx."""

from __future__ import annotations

import pytest

from tests.events.worlds import url

SECRET = "meet.example.org/secret-room"


@pytest.mark.parametrize(
    "who, event, status",
    [
        (None, "public", 200),
        (None, "members", 302),
        (None, "draft", 302),
        ("nobody@example.org", "members", 403),
        ("member@example.org", "members", 200),
        ("member@example.org", "draft", 403),
        ("council@example.org", "draft", 403),
        ("other@example.org", "draft", 403),
        ("org@example.org", "draft", 200),
        ("admin@example.org", "draft", 200),
        (None, "cancelled", 200),
        (None, "happened", 200),
    ],
)
def test_who_sees_an_event(client, auth, world, who, event, status):
    if who:
        auth.login(who)
    response = client.get(url(getattr(world, event)))
    assert response.status_code == status


def test_another_areas_event_is_not_found_under_this_area(client, auth, world):
    auth.login("admin@example.org")
    assert client.get(url(world.south_draft)).status_code == 404
    assert client.get(url(world.south_draft, "southshire")).status_code == 200


def test_the_online_link_is_for_organisers(client, auth, world):
    page = client.get(url(world.public)).get_data(as_text=True)
    assert SECRET not in page
    assert "People with a place get the link to join." in page
    auth.login("org@example.org")
    assert SECRET in client.get(url(world.public)).get_data(as_text=True)


def test_the_list_shows_each_person_what_they_may_see(client, auth, world):
    page = client.get("/areas/northshire/events").get_data(as_text=True)
    assert "Coffee morning" in page and "Last month" not in page, "past events are on their own"
    assert "Members&#39; drop-in" not in page and "Draft workshop" not in page
    assert "Last month" in client.get("/areas/northshire/events?when=past").get_data(as_text=True)
    auth.login("member@example.org")
    page = client.get("/areas/northshire/events").get_data(as_text=True)
    assert "Members&#39; drop-in" in page and "Draft workshop" not in page
    auth.logout()
    auth.login("org@example.org")
    page = client.get("/areas/northshire/events").get_data(as_text=True)
    assert "Draft workshop" in page and "Southshire draft" not in page


def test_area_home_and_consultation_page_list_upcoming_events(client, world):
    home = client.get("/areas/northshire").get_data(as_text=True)
    assert "Coming up" in home and url(world.public) in home
    assert url(world.cancelled) not in home and url(world.draft) not in home
    page = client.get(f"/areas/northshire/consultations/{world.consultation_slug}")
    assert url(world.public) in page.get_data(as_text=True)


def test_organiser_list_shows_every_event_with_places(client, auth, world):
    auth.login("org@example.org")
    page = client.get("/areas/northshire/events/manage").get_data(as_text=True)
    assert "Draft workshop" in page and "1 of 10" in page
    auth.logout()
    auth.login("member@example.org")
    assert client.get("/areas/northshire/events/manage").status_code == 403


@pytest.mark.parametrize("htmx", [False, True])
def test_pages_vary_on_htmx(client, world, htmx):
    response = client.htmx_get(url(world.public)) if htmx else client.get(url(world.public))
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]


def test_the_area_home_offers_organisers_the_events_even_when_none_are_coming(
    app, client, auth, world
):
    from forum.events.models import Event, EventStatus
    from forum.extensions import db

    with app.app_context():
        for event in db.session.query(Event).all():
            event.status = EventStatus.DRAFT
        db.session.commit()
    assert "See all events" not in client.get("/areas/northshire").get_data(as_text=True)
    auth.login("org@example.org")
    home = client.get("/areas/northshire").get_data(as_text=True)
    assert "No events are published" in home and "/areas/northshire/events/new" in home


def test_events_come_twenty_to_a_page(app, client, world):
    """However many events there are, the list shows 20 and pages to the rest, coming up and
    past alike (the page sends two statements for its events: tests/events/test_query_counts)."""
    from datetime import timedelta

    from forum.areas.queries import get_by_slug
    from forum.events.models import Event, EventStatus
    from forum.extensions import db
    from forum.models import utcnow

    with app.app_context():
        area = get_by_slug("northshire")
        now = utcnow()
        for n in range(25):
            for sign, label in ((1, "Soon"), (-1, "Gone")):
                start = now + sign * timedelta(days=10 + n)
                db.session.add(
                    Event(
                        area_id=area.id,
                        title=f"{label} {n:02d}",
                        starts_at=start,
                        ends_at=start + timedelta(hours=1),
                        address="The hall",
                        status=EventStatus.PUBLISHED,
                    )
                )
        db.session.commit()
    first = client.get("/areas/northshire/events").get_data(as_text=True)
    assert "Soon 00" in first and "Soon 24" not in first and "Gone 00" not in first
    assert 'href="/areas/northshire/events?page=2"' in first
    second = client.get("/areas/northshire/events?page=2").get_data(as_text=True)
    assert "Soon 24" in second and "Soon 00" not in second
    past = client.get("/areas/northshire/events?when=past").get_data(as_text=True)
    assert "Gone 00" in past and "Gone 24" not in past and "Soon 00" not in past
    assert "when=past" in past and "page=2" in past
    assert "Gone 24" in client.get("/areas/northshire/events?when=past&page=2").get_data(
        as_text=True
    )
