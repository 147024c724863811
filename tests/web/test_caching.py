"""Public pages kept and shared (issue 18, `forum/web/caching.py`): two visitors get the same
kept page, with validators and `304 Not Modified`; a member's and an organiser's pages are
never kept nor served from what was kept; a change shows at once to the person who made it and
to everyone within the stated max-age; nothing with a form, a cookie or a nonce is kept; pages
are gzipped for clients that accept it; with Redis, app servers share what they keep."""

from __future__ import annotations

import gzip
import uuid

import pytest
from sqlalchemy import select

from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.web import caching
from tests.areas.worlds import make_northshire_with_council
from tests.conftest import AuthActions, base_config, make_app
from tests.factories import make_consultation, make_person_in
from tests.support import REDIS, recorded_statements, redis_answers

HOME = "/areas/northshire"
CONSULTATIONS = "/areas/northshire/consultations"


@pytest.fixture
def app_config(database_url):
    return base_config(database_url, PAGE_CACHE_SECONDS=30)


@pytest.fixture(autouse=True)
def empty_store(app):
    caching.store_of(app).clear()


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    found = Clock()
    monkeypatch.setattr(caching, "clock", found)
    return found


@pytest.fixture
def northshire(app):
    with app.app_context():
        area, _, _ = make_northshire_with_council()
        make_person_in(area, Role.MEMBER, email="member@example.org", name="Mia Member")
        make_consultation(area, title="Short breaks this summer", state="open")
        db.session.commit()


def _statements(app, client, url, **kwargs):
    with recorded_statements(app) as statements:
        response = client.get(url, **kwargs)
    return response, len(statements)


def test_two_visitors_share_one_kept_page(app, make_client, northshire, clock):
    first, made = _statements(app, make_client(), HOME)
    assert first.status_code == 200 and made > 0
    assert first.headers["Cache-Control"] == "public, max-age=30"
    assert first.headers["ETag"]
    assert {"Cookie", "HX-Request", "Accept-Encoding"} <= set(first.vary)
    assert "Set-Cookie" not in first.headers
    # no nonce to share: the inline blocks are allowed by their hashes
    csp = first.headers["Content-Security-Policy"]
    assert "'nonce-" not in csp and "'sha256-" in csp
    assert "nonce=" not in first.get_data(as_text=True)
    clock.now += 12
    second, read = _statements(app, make_client(), HOME)
    assert read == 0, "the second visitor's page comes from the store"
    assert second.get_data() == first.get_data()
    assert second.headers["Age"] == "12" and second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Content-Security-Policy"] == csp


def test_a_browser_that_has_the_page_is_told_it_has_not_changed(app, make_client, northshire):
    first = make_client().get(HOME)
    tag = first.headers["ETag"]
    again = make_client().get(HOME, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    changed = make_client().get(HOME, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


@pytest.mark.parametrize("who", ["member@example.org", "org@example.org"])
def test_signed_in_pages_are_never_kept_nor_taken_from_the_store(app, make_client, northshire, who):
    visitor = make_client()
    public = visitor.get(HOME).get_data(as_text=True)
    person = make_client()
    AuthActions(person).login(who)
    page, made = _statements(app, person, HOME)
    assert made > 0 and page.headers["Cache-Control"] == "no-store"
    assert "ETag" not in page.headers
    text = page.get_data(as_text=True)
    assert text != public and "Sign out" in text and "nonce=" in text
    # ... and what they saw was not kept for anyone else
    again = make_client().get(HOME).get_data(as_text=True)
    assert again == public and "Sign out" not in again


def test_a_change_shows_at_once_to_its_maker_and_to_visitors_within_max_age(
    app, make_client, northshire, clock
):
    assert "Transport to college" not in make_client().get(CONSULTATIONS).get_data(as_text=True)
    with app.app_context():
        area = db.session.scalar(select(Consultation)).area
        make_consultation(area, title="Transport to college", state="open")
        db.session.commit()
    organiser = make_client()
    AuthActions(organiser).login("org@example.org")
    assert "Transport to college" in organiser.get(CONSULTATIONS).get_data(as_text=True)
    clock.now += 29
    stale = make_client().get(CONSULTATIONS)
    assert "Transport to college" not in stale.get_data(as_text=True)
    assert int(stale.headers["Age"]) == 29  # so a proxy keeps it 1 second more at most
    clock.now += 2
    assert "Transport to college" in make_client().get(CONSULTATIONS).get_data(as_text=True)


def test_a_visitor_with_a_session_gets_the_page_made_for_them(app, make_client, northshire):
    make_client().get(HOME)  # kept
    visitor = make_client()
    visitor.get("/sign-in")  # a form: the visitor now has a session (its CSRF token)
    page, made = _statements(app, visitor, HOME)
    assert made > 0
    assert page.headers["Cache-Control"] == "private, no-cache"


def test_a_shared_page_that_shows_a_visitor_a_form_is_not_kept(app, make_client):
    """A page marked as shared that renders a form for a visitor (with its CSRF token, and so
    a session cookie) is sent as made, not kept, and made again for the next visitor."""
    from flask import render_template_string

    from forum.web.caching import shared_page

    made = []

    @shared_page
    def with_a_form():
        made.append(1)
        return render_template_string("<form>{{ csrf_token() }}</form>")

    real = app.view_functions["web.accessibility"]
    app.view_functions["web.accessibility"] = with_a_form
    try:
        first = make_client().get("/accessibility")
        assert first.headers["Cache-Control"] == "no-store" and "ETag" not in first.headers
        second = make_client().get("/accessibility")
        assert "Age" not in second.headers and len(made) == 2
    finally:
        app.view_functions["web.accessibility"] = real


def test_full_pages_and_htmx_fragments_are_kept_apart(app, make_client, northshire):
    fragment = make_client().get(CONSULTATIONS, headers={"HX-Request": "true"})
    page = make_client().get(CONSULTATIONS)
    assert "<html" not in fragment.get_data(as_text=True)
    assert "<html" in page.get_data(as_text=True)


def test_pages_are_gzipped_for_clients_that_take_it(app, make_client, northshire):
    plain = make_client().get(HOME).get_data()
    zipped = make_client().get(HOME, headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain
    kept = make_client().get(HOME, headers={"Accept-Encoding": "gzip"})
    assert kept.headers["Content-Encoding"] == "gzip" and kept.headers["Age"] == "0"
    assert make_client().get(HOME).get_data() == plain


@pytest.mark.skipif(not redis_answers(), reason="Redis is not running on 6379")
def test_app_servers_share_kept_pages_through_redis(database_url):
    """Two app instances (two gunicorn workers, or two machines) with PAGE_CACHE_URL: a page
    one makes, the other sends from the store (its `Age` says so)."""
    config = base_config(
        database_url,
        PAGE_CACHE_SECONDS=30,
        PAGE_CACHE_URL=f"redis://{REDIS[0]}:{REDIS[1]}/15",
    )
    one, other = make_app(config), make_app(config)
    base_url = f"http://{uuid.uuid4().hex[:8]}.test"  # this test's own keys
    try:
        made = one.test_client().get("/accessibility", base_url=base_url)
        assert made.status_code == 200 and "Age" not in made.headers
        shared = other.test_client().get("/accessibility", base_url=base_url)
        assert "Age" in shared.headers and shared.get_data() == made.get_data()
    finally:
        caching.store_of(one).clear()
        for flask_app in (one, other):
            with flask_app.app_context():
                db.engine.dispose()


def test_every_shared_page_of_the_demo_is_kept_for_visitors(app):
    """A visitor's copy of every page marked as shared, found by following the demo's links
    from its home pages, can be kept: none makes a form (and so a session) for a visitor."""
    import re

    assert app.test_cli_runner().invoke(args=["seed", "demo"]).exit_code == 0
    shared = {name for name, view in app.view_functions.items() if caching.is_shared(view)}
    adapter = app.url_map.bind("localhost")
    found: dict[str, str] = {}
    todo, seen = ["/", "/areas/northshire", "/national"], set()
    while todo and len(seen) < 250:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = app.test_client().get(url)
        endpoint = adapter.match(url.split("?")[0])[0]
        if endpoint in shared and response.status_code == 200:
            found.setdefault(endpoint, response.headers["Cache-Control"])
        if response.status_code == 200 and response.mimetype == "text/html":
            for href in re.findall(r'href="(/areas/northshire[^"#]*|/national)"', response.text):
                todo.append(href.replace("&amp;", "&"))
    assert len(found) >= 20, sorted(found)
    assert {e: c for e, c in found.items() if c != "public, max-age=30"} == {}
