"""Every POST of the burst page and of confirming an email address answers a plain form with
303 See Other and htmx with HX-Redirect, and only organisers may quarantine or release.

`POSTS` has exactly one entry per POST endpoint these pages add, in the shape of
tests/web/test_post_responses.CASES: (who signs in, lambda app, client: url, data).
"""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.surveys.models import Response
from tests.support import assert_redirects_after_post
from tests.surveys.quarantine.worlds import EMAILS, build_burst_world

ORGANISER = EMAILS["organiser"]


@pytest.fixture
def world(app):
    with app.app_context():
        world = build_burst_world()
        db.session.commit()
        return world


def _quarantined(app, world) -> str:
    """Quarantine the real response first, and give the path that releases it."""
    with app.app_context():
        db.session.get(Response, world.real_id).quarantined_at = db.func.now()
        db.session.commit()
    return world.base + "/bursts/release"


def _awaiting(app, client, world) -> str:
    """Answer the survey without an account (so the response waits for an email address)."""
    client.post_form(world.base + "/answer", {f"q{world.colour.id}": "red"})
    return world.base + "/confirm-email"


def _link(app, world) -> str:
    """A live confirmation link for a response waiting for its email address."""
    from forum.surveys.answering import services as answering

    with app.test_request_context():
        response = db.session.get(Response, world.real_id)
        response.is_awaiting_email = True
        tokens = []
        answering.ask_to_confirm(
            response, "someone@example.org", link_for=lambda t: tokens.append(t) or t
        )
        db.session.commit()
    return f"{world.base}/confirm/{tokens[0]}"


POSTS = {
    "quarantine": (
        ORGANISER,
        lambda app, c, w: w.base + "/bursts/quarantine",
        lambda w: {"kind": "device", "value": "d" * 64},
    ),
    "release": (
        ORGANISER,
        lambda app, c, w: _quarantined(app, w),
        lambda w: {"kind": "response", "value": str(w.real_id)},
    ),
    "ask to confirm": (
        None,
        lambda app, c, w: _awaiting(app, c, w),
        lambda w: {"email": "parent.at.home@example.org"},
    ),
    "confirm response": (None, lambda app, c, w: _link(app, w), lambda w: {}),
}


def test_one_case_per_post_endpoint(app):
    from forum.surveys.answering import views as answering_views
    from forum.surveys.quarantine import views as quarantine_views

    mine = {
        quarantine_views.quarantine,
        quarantine_views.release,
        answering_views.ask_to_confirm,
        answering_views.confirm_response,
    }
    posts = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and app.view_functions[rule.endpoint] in mine
    }
    assert len(posts) == len(POSTS)
    modules = {quarantine_views.__name__}
    assert {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and app.view_functions[rule.endpoint].__module__ in modules
    } == {"surveys.quarantine", "surveys.release"}


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    if who:
        auth.login(who)
    path = url(app, client, world)
    response = client.post_form(path, data(world), htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)


@pytest.mark.parametrize("who", ["responder", "member", "visitor"])
@pytest.mark.parametrize("action", ["quarantine", "release"])
def test_only_organisers_quarantine_or_release(app, client, auth, world, who, action):
    if who != "visitor":
        auth.login(EMAILS[who])
    data = {"kind": "device", "value": "d" * 64}
    response = client.post_form(f"{world.base}/bursts/{action}", data)
    assert response.status_code in (302, 403)
    if who != "visitor":
        assert response.status_code == 403
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count()).where(Response.quarantined_at.is_not(None))
            )
            == 0
        )


@pytest.mark.parametrize(
    "who, status",
    [("organiser", 200), ("admin", 200), ("responder", 403), ("member", 403), ("visitor", 302)],
)
def test_who_may_see_the_bursts(client, auth, world, who, status):
    if who != "visitor":
        auth.login(EMAILS[who])
    page = client.get(world.base + "/bursts")
    assert page.status_code == status
    if status == 302:
        assert "/sign-in" in page.headers["Location"]
    if status == 403:
        assert "Only organisers of" in page.get_data(as_text=True)


def test_the_bursts_page_as_htmx_is_the_page_content(client, auth, world):
    auth.login(ORGANISER)
    page = client.htmx_get(world.base + "/bursts")
    assert page.status_code == 200 and "Bursts of responses" in page.get_data(as_text=True)
