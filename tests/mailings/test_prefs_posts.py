"""Every POST of the "Your emails" page and the public subscription pages answers a plain form
with 303 See Other and htmx with 204 and HX-Redirect."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.mailings.subscribers import services as subscribers
from forum.notifications import subscriber_tokens as tokens
from forum.notifications.models import OutboxMessage, Subscriber
from forum.notifications.topics import Topic
from tests.factories import make_area, make_person_in
from tests.support import assert_redirects_after_post


@pytest.fixture
def world(app):
    from forum.areas.models import Role

    with app.app_context():
        area = make_area(slug="northshire")
        make_person_in(area, Role.MEMBER, email="member@example.org")
        subscribers.subscribe(area, "waiting@example.org", [Topic.EVENTS])
        confirm_body = db.session.scalars(select(OutboxMessage)).one().body_text
        confirmed = subscribers.subscribe(area, "sam@example.org", [Topic.EVENTS])
        subscribers.confirm(confirmed, area)
        db.session.commit()
        return {
            "area": area.id,
            "confirm": re.search(r"/subscribe/confirm/\S+", confirm_body).group(0),
            "choices": f"/subscriptions/{tokens.make_token(confirmed)}",
        }


#: one entry per POST endpoint: (who, url(world), data(world))
POSTS = {
    "save emails": (
        "member@example.org",
        lambda w: "/account/emails/northshire",
        lambda w: {f"area-{w['area']}-{t.value}": "weekly" for t in Topic},
    ),
    "subscribe": (
        None,
        lambda w: "/areas/northshire/subscribe",
        lambda w: {"email": "new@example.org", "topics": ["events", "newsletters"]},
    ),
    "confirm subscription": (None, lambda w: w["confirm"], lambda w: {}),
    "subscriber's choices": (
        None,
        lambda w: w["choices"],
        lambda w: {"consultations": "never", "newsletters": "daily", "events": "weekly"},
    ),
    "delete subscription": (None, lambda w: w["choices"] + "/delete", lambda w: {}),
}

ENDPOINTS = {
    "mailings.save_preferences",
    "mailings.subscribe",
    "mailings.confirm_subscription",
    "mailings.subscription",
    "mailings.delete_subscription",
}


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint in ENDPOINTS
    }
    assert posts == ENDPOINTS and len(POSTS) == len(ENDPOINTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    if who:
        auth.login(who)
    response = client.post_form(url(world), data(world), htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)


def test_confirming_by_post_only(app, client, world):
    assert client.get(world["confirm"]).status_code == 200
    with app.app_context():
        waiting = db.session.scalar(
            select(Subscriber).where(Subscriber.email == "waiting@example.org")
        )
        assert not waiting.is_confirmed
