"""Every POST of the announcements pages answers a plain form with 303 See Other and htmx
with HX-Redirect. `POSTS` has one entry per POST endpoint they add, in the shape of
tests/web/test_post_responses.CASES: (who signs in, url(client), data)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.areas.models import Role
from forum.extensions import db
from tests.factories import make_area, make_consultation, make_person_in
from tests.support import assert_redirects_after_post


def _emails(client) -> str:
    from forum.consultations.models import Consultation

    with client.application.app_context():
        slug = db.session.scalar(select(Consultation.slug))
    return f"/areas/north/consultations/{slug}/emails"


POSTS = {
    "reminder settings": (
        "org@example.org",
        _emails,
        {"reminder": "on", "days_before": "4"},
    ),
}


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="north")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        make_consultation(area, state="open")


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    auth.login(who)
    response = client.post_form(url(client), data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)
