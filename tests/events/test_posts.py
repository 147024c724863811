"""Every POST the events add answers a plain form with 303 See Other and htmx with 204 and
HX-Redirect, and does what it says; the same form sent twice does its work once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.events.models import Event, EventStatus
from forum.extensions import db
from tests.events.worlds import event_form, url
from tests.support import assert_redirects_after_post

#: answered with the changed row for htmx (the rest of the page stays), 303 without it
INLINE = {"mark attendance"}
#: one entry per POST endpoint: (who, url(world), data)
POSTS = {
    "new event": ("org@example.org", lambda w: "/areas/northshire/events/new", event_form()),
    "edit event": ("org@example.org", lambda w: f"{url(w.public)}/edit", event_form()),
    "publish event": ("org@example.org", lambda w: f"{url(w.draft)}/publish", {}),
    "delete draft": ("org@example.org", lambda w: f"{url(w.draft)}/delete", {}),
    "close registration": (
        "org@example.org",
        lambda w: f"{url(w.public)}/close-registration",
        {},
    ),
    "open registration": ("org@example.org", lambda w: f"{url(w.public)}/open-registration", {}),
    "register": (
        "council@example.org",
        lambda w: f"{url(w.public)}/register",
        {"adults": "2", "access_choices": ["bsl"], "access_needs": "", "dietary_needs": ""},
    ),
    "cancel my registration": (
        "member@example.org",
        lambda w: f"{url(w.public)}/registration/cancel",
        {},
    ),
    "cancel by link": (None, lambda w: w.cancel_path, {}),
    "confirm by link": (None, lambda w: w.confirm_path, {}),
    "mark attendance": (
        "org@example.org",
        lambda w: f"{url(w.public)}/registrations/{w.placed}/attendance",
        {"attended": "yes"},
    ),
    "save notes": (
        "org@example.org",
        lambda w: f"{url(w.happened)}/notes",
        {"summary": "Busy.", "visibility": "members"},
    ),
    "add note item": (
        "org@example.org",
        lambda w: f"{url(w.happened)}/notes/items/new",
        {"text": "Transport to college", "people": "3"},
    ),
    "delete note item": (
        "org@example.org",
        lambda w: f"{url(w.happened)}/notes/items/{w.item}/delete",
        {},
    ),
    "tag note item": (
        "org@example.org",
        lambda w: f"{url(w.happened)}/notes/items/{w.item}/codes",
        {},
    ),
    "add note action": (
        "org@example.org",
        lambda w: f"{url(w.happened)}/notes/actions/new",
        {"what": "Write to the council", "owner": "Ann", "due_on-day": "", "due_on-month": ""},
    ),
    "note action done": (
        "org@example.org",
        lambda w: f"{url(w.happened)}/notes/actions/{w.action}/done",
        {"done": "yes"},
    ),
    "delete note action": (
        "org@example.org",
        lambda w: f"{url(w.happened)}/notes/actions/{w.action}/delete",
        {},
    ),
    "cancel event": (
        "org@example.org",
        lambda w: f"{url(w.public)}/cancel",
        {"reason": "The venue flooded."},
    ),
}


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("events.")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(client, auth, world, case, htmx):
    who, to, data = POSTS[case]
    if who:
        auth.login(who)
    response = client.post_form(to(world), dict(data), htmx=htmx)
    if htmx and case in INLINE:
        assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
        assert response.get_data(as_text=True).lstrip().startswith("<div id=")
    else:
        assert_redirects_after_post(response, htmx=htmx, shown=500)


def test_posts_change_what_they_say(app, client, auth, world):
    auth.login("org@example.org")
    client.post_form("/areas/northshire/events/new", event_form(title="Brand new"))
    client.post_form(f"{url(world.draft)}/publish", {})
    client.post_form(f"{url(world.public)}/cancel", {"reason": "Flood"})
    with app.app_context():
        new = db.session.scalar(select(Event).where(Event.title == "Brand new"))
        assert new.status is EventStatus.DRAFT and new.has_hearing_loop and not new.has_parking
        assert db.session.get(Event, world.draft).status is EventStatus.PUBLISHED
        assert db.session.get(Event, world.public).status is EventStatus.CANCELLED


def test_same_form_twice_makes_one_event(app, client, auth, world):
    auth.login("org@example.org")
    data = event_form(title="Double click", submission_key="same-key-123")
    first = client.post_form("/areas/northshire/events/new", data)
    second = client.post_form("/areas/northshire/events/new", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        made = db.session.scalar(
            select(func.count()).select_from(Event).where(Event.title == "Double click")
        )
        assert made == 1


def test_a_stale_edit_is_caught(app, client, auth, world):
    auth.login("org@example.org")
    first = event_form(title="Mine", row_version="1")
    with app.app_context():
        event = db.session.get(Event, world.public)
        event.title = "Theirs"
        db.session.commit()
    response = client.post_form(f"{url(world.public)}/edit", first)
    assert response.status_code == 422
    assert "Someone else changed this event" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["member@example.org", "council@example.org", "other@example.org"])
def test_only_the_areas_organisers_post(client, auth, world, who):
    auth.login(who)
    for name, (who_may, to, data) in POSTS.items():
        if who_may == "org@example.org":
            assert client.post_form(to(world), dict(data)).status_code == 403, name
