"""The one POST digests add: stopping a daily or weekly email from its link. 303 to a page
that says what stopped for the page's button, 204 with HX-Redirect for htmx, and a plain 200
for a mail program's one-click POST (RFC 8058), which comes with no cookies and no form token:
the signed token is its only authority."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.extensions import db
from forum.notifications import preferences
from forum.notifications.services import Account
from forum.notifications.tokens import make_digest_token, make_token
from forum.notifications.topics import Frequency, Topic
from tests.factories import make_area, make_person_in
from tests.support import assert_redirects_after_post


def _made(app) -> dict:
    with app.app_context(), app.test_request_context():
        area = make_area()
        person = make_person_in(area, Role.MEMBER)
        preferences.choose(Account(person.id), area.id, Topic.EVENTS, Frequency.DAILY)
        db.session.commit()
        digest = make_digest_token(area_id=area.id, frequency=Frequency.DAILY, user_id=person.id)
        return {
            "url": f"/unsubscribe/digest/{digest}",
            "topic": make_token(area_id=area.id, topic=Topic.EVENTS, user_id=person.id),
            "ids": (person.id, area.id),
        }


def _url(app) -> str:
    return _made(app)["url"]


#: one entry per POST endpoint: (who, url, data)
POSTS = {"stop a digest": (None, _url, {})}


def _events(app, ids) -> Frequency:
    with app.app_context():
        person_id, area_id = ids
        return preferences.choices(Account(person_id), area_id)[Topic.EVENTS]


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("mailings.digest")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_the_button_redirects_to_a_page_that_says_what_stopped(app, client, htmx):
    made = _made(app)
    response = client.post_form(made["url"], {}, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)
    assert _events(app, made["ids"]) is Frequency.NEVER
    done = client.get(f"{made['url']}/done")
    assert done.status_code == 200 and "Your daily email from" in done.text


def test_one_click_needs_no_session_or_form_token(app, client):
    made = _made(app)
    response = client.post(made["url"], data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.text == "Unsubscribed"
    assert _events(app, made["ids"]) is Frequency.NEVER


def test_a_topic_token_is_not_a_digest_token(app, client):
    made = _made(app)
    url = f"/unsubscribe/digest/{made['topic']}"
    assert client.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert client.post(url).status_code == 404
    assert client.get(f"{url}/done").status_code == 404
    assert _events(app, made["ids"]) is Frequency.DAILY
