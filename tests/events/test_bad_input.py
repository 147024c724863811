"""Bad input on the event forms gets a clear message beside its field, never a 500, and
nothing half-saved; a cancelled event's links say what happened."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.events.models import Event, EventStatus
from forum.extensions import db
from tests.events.worlds import event_form, moment, url

NEW = "/areas/northshire/events/new"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Event))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "Enter a title"),
        ({"title": "x" * 161}, "The title must be 160 characters or fewer"),
        (
            moment("starts_at", -2, "10:00") | moment("ends_at", -2, "12:00"),
            "The start must be in the future",
        ),
        (moment("ends_at", 21, "09:00"), "The end must be after the start"),
        ({"starts_at-day": "31", "starts_at-month": "2"}, "Start must be a real date"),
        ({"starts_at-time": "25:99"}, "Start must be a real date and time"),
        ({"ends_at-day": "", "ends_at-month": "", "ends_at-year": ""}, "Enter the end"),
        ({"capacity": "0"}, "The number of places must be a whole number from 1 to 5,000"),
        ({"capacity": "100000"}, "The number of places must be a whole number from 1 to 5,000"),
        ({"capacity": "ten"}, "The number of places must be a whole number from 1 to 5,000"),
        ({"capacity": ""}, "Enter the number of places"),
        ({"how": []}, "Choose whether people come in person, join online, or both"),
        ({"address": ""}, "Enter the address for people coming in person"),
        ({"how": ["online"], "online_link": "javascript:alert(1)"}, "must be a web address"),
        ({"keep_needs_days": "0"}, "The number of days must be a whole number from 1 to 365"),
        ({"audience": "everyone"}, "Not a valid choice"),
        ({"consultation_id": "99999"}, "Choose a consultation from the list"),
        ({"needs_registration": "maybe"}, "Not a valid choice"),
    ],
)
def test_each_mistake_is_said_and_nothing_saved(app, client, auth, world, changes, message):
    auth.login("org@example.org")
    before = _count(app)
    response = client.post_form(NEW, event_form(**changes))
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert _count(app) == before


def test_hostile_text_in_every_field_is_kept_as_text(app, client, auth, world):
    auth.login("org@example.org")
    odd = "Caf\u00e9\u200b \u202eevil\u202c \U0001f600 \x00"
    data = event_form(
        title=f"{HOSTILE}{odd}"[:150],
        description=f"{HOSTILE} [link](javascript:alert(1)) {odd}",
        address=f"{HOSTILE}\n{odd}",
        accessibility_notes=HOSTILE,
        how=["in_person", "online", "<b>"],
        online_link="https://meet.example.org/room?<script>",
        features=["has_parking", "'; DROP TABLE events; --"],
        capacity=" 25 ",
        priorities=["1 OR 1=1"],
    )
    response = client.post_form(NEW, data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page
    with app.app_context():
        event = db.session.scalar(select(Event).order_by(Event.id.desc()))
        assert "\x00" not in event.title and "\u202e" not in event.title
        assert event.capacity == 25 and event.has_parking and event.priorities == []


def test_a_cancelled_events_links_say_what_happened(app, client, auth, world):
    auth.login("org@example.org")
    client.post_form(f"{url(world.public)}/cancel", {"reason": "The venue flooded."})
    page = client.get(url(world.public)).get_data(as_text=True)
    assert "This event is cancelled." in page and "The venue flooded." in page
    response = client.post_form(f"{url(world.public)}/edit", event_form())
    assert response.status_code == 422
    assert "This event is cancelled, so it cannot be changed" in response.get_data(as_text=True)
    response = client.post_form(f"{url(world.public)}/publish", {})
    assert response.status_code == 303
    assert "Only a draft can be published" in client.get(url(world.public)).get_data(as_text=True)
    again = client.post_form(f"{url(world.public)}/cancel", {"reason": "Twice"})
    assert again.status_code == 303
    with app.app_context():
        event = db.session.get(Event, world.public)
        assert event.status is EventStatus.CANCELLED and event.cancel_reason == "The venue flooded."


def test_an_empty_cancel_reason_is_asked_for(client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(f"{url(world.public)}/cancel", {"reason": "  "})
    assert response.status_code == 422
    assert "Say why it is cancelled" in response.get_data(as_text=True)


def test_ids_out_of_range_are_not_found(client, auth, world):
    auth.login("org@example.org")
    assert client.get("/areas/northshire/events/99999999999").status_code == 404
    assert client.get("/areas/northshire/events/0").status_code == 404
