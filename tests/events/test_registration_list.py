"""The organisers' registration list: who sees it (never a responder, a member or another
area), the streamed CSV (the only export with needs), marking who came on the day without
JavaScript and with htmx, and the erasure of needs after the event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.events import services
from forum.events.models import Event, Registration, RegistrationStatus
from forum.extensions import db
from forum.models import utcnow
from forum.retention import run_purges
from tests.events.worlds import make_registration, url
from tests.support import assert_same_count, statements_for


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        ("member@example.org", 403),
        ("council@example.org", 403),
        ("other@example.org", 403),
        ("org@example.org", 200),
        ("admin@example.org", 200),
    ],
)
@pytest.mark.parametrize("page", ["registrations", "registrations.csv"])
def test_only_the_areas_organisers_see_needs(client, auth, world, who, status, page):
    if who:
        auth.login(who)
    response = client.get(f"{url(world.public)}/{page}")
    assert response.status_code == status
    body = response.get_data(as_text=True)
    assert ("Needs a seat near the door" in body) is (status == 200)


def test_the_list_shows_places_then_the_waiting_list(client, auth, world):
    auth.login("org@example.org")
    page = client.get(f"{url(world.public)}/registrations").get_data(as_text=True)
    assert page.index("With a place") < page.index("member@example.org")
    assert page.index("Waiting list") < page.index("waiting@example.org")
    assert "No nuts" in page and "British Sign Language" in page


def test_the_csv_is_streamed_with_needs_and_is_safe_in_a_spreadsheet(app, client, auth, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        make_registration(
            event, email="formula@example.org", name="=HYPERLINK(1)", access_needs="+1"
        )
        db.session.commit()
    auth.login("org@example.org")
    response = client.get(f"{url(world.public)}/registrations.csv")
    assert response.is_streamed and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("Name,Email,Status,Adults")
    assert any("Needs a seat near the door" in line and "No nuts" in line for line in lines)
    assert any(line.startswith("'=HYPERLINK(1)") and "'+1" in line for line in lines)


def test_attendance_without_javascript_comes_back_to_the_row(app, client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(
        f"{url(world.public)}/registrations/{world.placed}/attendance", {"attended": "yes"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/registrations#registration-{world.placed}")
    with app.app_context():
        assert db.session.get(Registration, world.placed).attended is True


def test_attendance_with_htmx_swaps_the_row(app, client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(
        f"{url(world.public)}/registrations/{world.placed}/attendance",
        {"attended": "no"},
        htmx=True,
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "Did not come" in fragment and "<html" not in fragment
    with app.app_context():
        assert db.session.get(Registration, world.placed).attended is False


def test_attendance_with_htmx_moves_the_count_of_people_who_came(app, client, auth, world):
    """Once the event has started the list says how many came; a row marked with htmx sends
    the new count with it (out of band), before the event nothing else is sent."""
    with app.app_context():
        happened = db.session.get(Event, world.happened)
        family = make_registration(happened, email="family@example.org", name="Fay", adults=3)
        family_id = family.id
        db.session.commit()
    auth.login("org@example.org")
    response = client.post_form(
        f"{url(world.happened)}/registrations/{family_id}/attendance",
        {"attended": "yes"},
        htmx=True,
    )
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<div id="attendance-{family_id}">')
    assert '<p class="govuk-body" id="came" hx-swap-oob="true">3 people came' in fragment
    before = client.post_form(
        f"{url(world.public)}/registrations/{world.placed}/attendance",
        {"attended": "yes"},
        htmx=True,
    )
    assert 'id="came"' not in before.get_data(as_text=True)


def test_only_people_with_a_place_are_marked(app, client, auth, world):
    with app.app_context():
        waiting = db.session.scalar(
            select(Registration).where(Registration.status == RegistrationStatus.WAITING)
        )
        waiting_id = waiting.id
    auth.login("org@example.org")
    client.post_form(
        f"{url(world.public)}/registrations/{waiting_id}/attendance", {"attended": "yes"}
    )
    with app.app_context():
        assert db.session.get(Registration, waiting_id).attended is None


def test_another_events_registration_is_not_found(client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(
        f"{url(world.members)}/registrations/{world.placed}/attendance", {"attended": "yes"}
    )
    assert response.status_code == 404


def test_needs_are_erased_the_chosen_days_after_the_event(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        event.starts_at = utcnow() - timedelta(days=12, hours=2)
        event.ends_at = utcnow() - timedelta(days=12)
        event.keep_needs_days = 14
        db.session.commit()
        assert services.erase_needs(utcnow()) == 0
        erased = services.erase_needs(utcnow() + timedelta(days=3))
        assert erased == 3  # every registration of the event, whatever its state
        row = db.session.get(Registration, world.placed)
        db.session.refresh(row)
        assert (row.access_needs, row.dietary_needs, row.access_choices) == ("", "", "")
        assert row.adults == 1 and row.status is RegistrationStatus.CONFIRMED
        db.session.refresh(event)
        assert event.needs_erased_at is not None
        assert services.erase_needs(utcnow() + timedelta(days=4)) == 0


def test_the_purges_run_from_the_retention_schedule(app, world):
    with app.app_context():
        counts = run_purges(utcnow() + timedelta(days=3))
    assert "access and dietary needs after events" in counts
    assert counts["event registrations never confirmed"] == 1  # the guest's, after 48 hours


def test_registration_list_is_flat(app, client, auth, world):
    auth.login("org@example.org")
    page = f"{url(world.public)}/registrations"
    small = statements_for(app, client, page)
    with app.app_context():
        event = db.session.get(Event, world.public)
        for n in range(30):
            make_registration(event, email=f"p{n}@example.org", name=f"P{n}", status="waiting")
        db.session.commit()
    assert_same_count(page, small, statements_for(app, client, page))
