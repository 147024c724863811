"""The one POST digests add: stopping a daily or weekly email from its link. It is exempt
from CSRF (mail programs POST `List-Unsubscribe=One-Click` with no cookies, RFC 8058), so the
signed token is its only authority; it answers 200 with a page (or plain text for one click),
never a redirect, so a mail program's POST ends there."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.extensions import db
from forum.notifications import preferences
from forum.notifications.services import Account
from forum.notifications.tokens import make_digest_token, make_token
from forum.notifications.topics import Frequency, Topic
from tests.factories import make_area, make_person_in

#: one entry per POST endpoint: (what it is, the data a mail program sends)
POSTS = {"stop a digest": ("mailings.digest_unsubscribe_post", {"List-Unsubscribe": "One-Click"})}


@pytest.fixture
def token(app):
    with app.app_context(), app.test_request_context():
        area = make_area()
        person = make_person_in(area, Role.MEMBER)
        preferences.choose(Account(person.id), area.id, Topic.EVENTS, Frequency.DAILY)
        db.session.commit()
        return {
            "digest": make_digest_token(
                area_id=area.id, frequency=Frequency.DAILY, user_id=person.id
            ),
            "topic": make_token(area_id=area.id, topic=Topic.EVENTS, user_id=person.id),
            "ids": (person.id, area.id),
        }


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("mailings.digest")
    }
    assert posts == {endpoint for endpoint, _ in POSTS.values()}


@pytest.mark.parametrize("one_click", [False, True], ids=["button", "one-click"])
def test_it_stops_the_digest_without_a_session_or_form_token(app, client, token, one_click):
    data = {"List-Unsubscribe": "One-Click"} if one_click else {}
    response = client.post(f"/unsubscribe/digest/{token['digest']}", data=data)
    assert response.status_code == 200
    with app.app_context():
        person_id, area_id = token["ids"]
        assert preferences.choices(Account(person_id), area_id)[Topic.EVENTS] is Frequency.NEVER


def test_a_topic_token_is_not_a_digest_token(app, client, token):
    response = client.post(
        f"/unsubscribe/digest/{token['topic']}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 404
    with app.app_context():
        person_id, area_id = token["ids"]
        assert preferences.choices(Account(person_id), area_id)[Topic.EVENTS] is Frequency.DAILY
