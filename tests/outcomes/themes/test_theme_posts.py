"""Every POST of the theme pages answers a plain form with 303 See Other, and htmx with
HX-Redirect, except "Add" in the evidence picker, which answers htmx with the fragment that
replaces its button.

`POSTS` has exactly one entry per POST endpoint these pages add, in the shape of
tests/web/test_post_responses.CASES: (who signs in, lambda app, client: url, data or
lambda app: data), with the theme world of tests/outcomes/worlds.py plus two themes.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.themes.models import Evidence, Theme
from forum.surveys.models import Code
from tests.factories import make_theme
from tests.outcomes.worlds import THEME_EMAILS, build_theme_world
from tests.support import assert_redirects_after_post

ORGANISER = THEME_EMAILS["organiser"]


@pytest.fixture(scope="module")
def world(world_app):
    """Built once for the module; each test works in a savepoint rolled back when it ends."""
    app = world_app
    with app.app_context():
        world = build_theme_world()
        c = db.session.get(Consultation, world.consultation_id)
        make_theme(c, title="First theme")
        make_theme(c, title="Second theme")
        return world


def _ids(app):
    with app.app_context():
        consultation = db.session.scalar(
            select(Consultation).where(Consultation.title == "Speech therapy")
        )
        theme_id = db.session.scalar(select(Theme.id).where(Theme.title == "First theme"))
        return consultation, theme_id


def themes_path(app, action: str = "") -> str:
    consultation, theme_id = _ids(app)
    path = f"/areas/northshire/consultations/{consultation.slug}/themes"
    if action == "new":
        return path + "/new"
    return f"{path}/{theme_id}/{action}"


def _post_id(app, body: str) -> int:
    from forum.discussions.models import Post

    with app.app_context():
        return db.session.scalar(select(Post.id).where(Post.body == body))


def evidence_to_remove(app) -> str:
    """Link a post to the theme first, and give the path that removes it."""
    from forum.accounts.models import User
    from forum.outcomes.themes import services as service

    _, theme_id = _ids(app)
    post_id = _post_id(app, "Same for us")
    with app.app_context():
        theme = db.session.get(Theme, theme_id)
        organiser = db.session.scalar(select(User).where(User.email == ORGANISER))
        link = service.add_evidence(theme, "post", post_id, actor=organiser).evidence
        db.session.commit()
        link_id = link.id
    return themes_path(app, f"evidence/{link_id}/remove")


def quote_path(app) -> str:
    """Put the "Waiting" code (a consented answer behind it) on the theme first, and give the
    path that quotes that answer."""
    from forum.accounts.models import User
    from forum.outcomes.themes import services as service
    from forum.surveys.models import Answer

    _, theme_id = _ids(app)
    with app.app_context():
        theme = db.session.get(Theme, theme_id)
        organiser = db.session.scalar(select(User).where(User.email == ORGANISER))
        code = db.session.scalar(select(Code.id).where(Code.name == "Waiting"))
        service.add_evidence(theme, "code", code, actor=organiser)
        db.session.commit()
        answer = db.session.scalar(select(Answer.id).where(Answer.text == "We waited a year"))
    return themes_path(app, f"quotes/{answer}")


POSTS = {
    "theme new": (
        ORGANISER,
        lambda app, c: themes_path(app, "new"),
        {"title": "Transport", "summary": "Buses are late."},
    ),
    "theme edit": (
        ORGANISER,
        lambda app, c: themes_path(app, "edit"),
        {"title": "Waiting", "summary": "Too long."},
    ),
    "theme move": (ORGANISER, lambda app, c: themes_path(app, "move"), {"direction": "down"}),
    "theme delete": (ORGANISER, lambda app, c: themes_path(app, "delete"), {}),
    "theme evidence add": (
        ORGANISER,
        lambda app, c: themes_path(app, "evidence"),
        lambda app: {"kind": "post", "id": _post_id(app, "Same for us")},
    ),
    "theme evidence remove": (ORGANISER, lambda app, c: evidence_to_remove(app), {}),
    "theme quote": (
        ORGANISER,
        lambda app, c: quote_path(app),
        {"words": "We waited [redacted]"},
    ),
    "theme quote remove": (ORGANISER, lambda app, c: quote_path(app) + "/remove", {}),
}

#: answered with a fragment for htmx rather than HX-Redirect
FRAGMENTS = {"theme evidence add": 'id="pick-post-'}


def test_one_case_per_post_endpoint(app):
    from forum.outcomes.themes import views as theme_views

    posts = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and rule.endpoint.startswith("outcomes.theme")
        and app.view_functions[rule.endpoint].__module__ == theme_views.__name__
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    auth.login(who)
    data = data(app) if callable(data) else data
    response = client.post_form(url(app, client), data, htmx=htmx)
    if htmx and case in FRAGMENTS:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "<html" not in text and FRAGMENTS[case] in text
        assert "HX-Request" in response.headers["Vary"]
    else:
        assert_redirects_after_post(response, htmx=htmx)


def test_remove_then_add_leaves_one_link(app, client, auth, world):
    auth.login(ORGANISER)
    client.post_form(evidence_to_remove(app))
    _, data = POSTS["theme evidence add"][1:]
    client.post_form(themes_path(app, "evidence"), data(app))
    with app.app_context():
        assert len(db.session.scalars(select(Evidence)).all()) == 1
