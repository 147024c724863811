"""Every POST the documents area adds answers a plain form with 303 See Other and htmx with 204
and HX-Redirect."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from forum.documents import services as documents
from forum.documents.models import DocumentFormat
from forum.documents.owners import find_owner
from forum.extensions import db
from tests.documents import samples
from tests.documents.worlds import AREA, manage_path
from tests.support import assert_redirects_after_post


def _file(app, world):
    return {"format": "easy_read", "file": (io.BytesIO(samples.PDF), "easy.pdf")}


#: one entry per POST endpoint: (who, url(world), data or data(app, world))
POSTS = {
    "upload": ("org@example.org", lambda w: f"{manage_path(w)}/upload", _file),
    "link": (
        "org@example.org",
        lambda w: f"{manage_path(w)}/link",
        {"link-format": "bsl", "link-title": "BSL", "link-link_url": "https://v.example.org/1"},
    ),
    "relabel": (
        "org@example.org",
        lambda w: f"{AREA}/documents/{w.link}/edit",
        {"format": "bsl", "title": "BSL video"},
    ),
    "move": ("org@example.org", lambda w: f"{AREA}/documents/{w.link}/move", {"position": "1"}),
    "remove": ("org@example.org", lambda w: f"{AREA}/documents/{w.fresh}/remove", {}),
    "ask": (
        None,
        lambda w: f"{AREA}/documents/consultation/{w.public.id}/ask",
        {"format": "audio", "email": "a@example.org"},
    ),
    "answer": (
        "org@example.org",
        lambda w: f"{AREA}/format-requests/{w.request_id}",
        {"answer": "Done"},
    ),
}


@pytest.fixture
def ready(app, world):
    """A link of this test's own to remove, and a request to answer."""
    with app.app_context(), app.test_request_context():
        owner = find_owner("consultation", world.public.id)
        from forum.accounts.models import User

        organiser = db.session.scalar(select(User).where(User.email == "org@example.org"))
        world.fresh = documents.add_link(
            owner,
            url="https://v.example.org/old",
            format_=DocumentFormat.AUDIO,
            title="Old",
            actor=organiser,
        ).id
        world.request_id = documents.request_format(
            owner, format_=DocumentFormat.AUDIO, email="b@example.org", actor=None
        ).id
        db.session.commit()
    return world


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("documents.")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, ready, case, htmx):
    who, url, data = POSTS[case]
    if who:
        auth.login(who)
    data = data(app, ready) if callable(data) else dict(data)
    response = client.post_form(url(ready), data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx, shown=500)
