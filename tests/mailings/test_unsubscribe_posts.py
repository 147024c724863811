"""The unsubscribe POST: 303 for the page's button, 204 with HX-Redirect for htmx, and a plain
200 for a mail program's one-click POST (RFC 8058)."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.extensions import db
from forum.notifications.tokens import make_token
from forum.notifications.topics import Topic
from tests.factories import make_area, make_person_in
from tests.support import assert_redirects_after_post


def _url(app) -> str:
    with app.test_request_context():
        area = make_area()
        member = make_person_in(area, Role.MEMBER)
        db.session.commit()
        return f"/unsubscribe/{make_token(area_id=area.id, topic=Topic.REPLIES, user_id=member.id)}"


#: one entry per POST endpoint: (who, url, data)
POSTS = {"unsubscribe": (None, _url, {})}


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("mailings.unsubscribe")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_post_redirects_to_a_page_that_says_what_stopped(app, client, htmx):
    url = _url(app)
    response = client.post_form(url, {}, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)
    done = client.get(f"{url}/done")
    assert done.status_code == 200 and "You have unsubscribed" in done.text
