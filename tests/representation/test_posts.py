"""Every POST the representation log adds answers a plain form with 303 See Other and htmx
with 204 and HX-Redirect, and does what it says."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.plans.models import Commitment
from forum.representation.models import Action, Meeting
from tests.representation.worlds import MEETINGS
from tests.support import assert_redirects_after_post

MEETING = {
    "name": "Local offer group",
    "partner_id": "",
    "partner_name": "A charity",
    "held_on-day": "3",
    "held_on-month": "11",
    "held_on-year": "2026",
    "public": ["meeting", "agreed"],
}

#: one entry per POST endpoint: (who, url(world), data)
POSTS = {
    "new meeting": ("org@example.org", lambda w: f"{MEETINGS}/new", MEETING),
    "edit meeting": ("org@example.org", lambda w: f"{MEETINGS}/{w.board}/edit", MEETING),
    "delete meeting": ("org@example.org", lambda w: f"{MEETINGS}/{w.hidden}/delete", {}),
    "new action": (
        "org@example.org",
        lambda w: f"{MEETINGS}/{w.board}/actions/new",
        {"text": "Write to schools", "owner": "Council"},
    ),
    "edit action": (
        "org@example.org",
        lambda w: f"{MEETINGS}/{w.board}/actions/{w.open_action}/edit",
        {"text": "Review the statement", "is_done": "y"},
    ),
    "delete action": (
        "admin@example.org",
        lambda w: f"{MEETINGS}/{w.board}/actions/{w.open_action}/delete",
        {},
    ),
    "make commitment": (
        "org@example.org",
        lambda w: f"{MEETINGS}/{w.board}/actions/{w.open_action}/commitment",
        lambda w: {"priority_id": str(w.p2), "partner_id": str(w.council_id)},
    ),
}


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("representation.")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    auth.login(who)
    data = data(world) if callable(data) else dict(data)
    response = client.post_form(url(world), data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx, shown=800)


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_posts_change_what_they_say(app, client, auth, world):
    auth.login("org@example.org")
    meetings, actions, commitments = (_count(app, m) for m in (Meeting, Action, Commitment))
    client.post_form(f"{MEETINGS}/new", MEETING)
    client.post_form(POSTS["new action"][1](world), POSTS["new action"][2])
    client.post_form(POSTS["make commitment"][1](world), POSTS["make commitment"][2](world))
    client.post_form(f"{MEETINGS}/{world.hidden}/delete", {})
    assert _count(app, Meeting) == meetings
    assert _count(app, Action) == actions + 1
    assert _count(app, Commitment) == commitments + 1
    with app.app_context():
        made = db.session.get(Action, world.open_action)
        assert made.commitment_id is not None
        edited = db.session.scalar(select(Meeting).where(Meeting.name == "Local offer group"))
        assert edited.is_public and edited.is_agreed_public and not edited.is_raised_public


def test_the_same_form_twice_records_one_meeting(app, client, auth, world):
    auth.login("org@example.org")
    data = dict(MEETING, submission_key="same-key-456")
    first = client.post_form(f"{MEETINGS}/new", data)
    second = client.post_form(f"{MEETINGS}/new", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).where(Meeting.name == "Local offer group")) == 1
        )


def test_an_action_is_made_a_commitment_once(app, client, auth, world):
    auth.login("org@example.org")
    url = POSTS["make commitment"][1](world)
    client.post_form(url, POSTS["make commitment"][2](world))
    again = client.post_form(url, POSTS["make commitment"][2](world))
    assert again.status_code == 422
    assert "already a commitment" in again.get_data(as_text=True)
