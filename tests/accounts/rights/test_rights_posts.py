"""Every POST the data-rights pages add: 303 for a plain form, 204 with HX-Redirect for htmx,
the sign-in page for someone signed out, and a stale second submission harmless."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import db
from tests.factories import PASSWORD, make_user
from tests.support import SCRIPT, assert_redirects_after_post

#: one entry per POST endpoint: (who, url, data)
POSTS = {
    "delete account": ("leaving@example.org", "/account/delete", {"password": PASSWORD}),
}


@pytest.fixture
def people(app):
    with app.app_context():
        make_user(email="leaving@example.org")
        make_user(email="staying@example.org")


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("rights.")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, people, case, htmx):
    who, url, data = POSTS[case]
    auth.login(who)
    assert_redirects_after_post(client.post_form(url, data, htmx=htmx), htmx=htmx)


@pytest.mark.parametrize("case", sorted(POSTS))
def test_signed_out_people_are_sent_to_sign_in(app, client, people, case):
    _, url, data = POSTS[case]
    response = client.post_form(url, data)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_without_a_csrf_token_nothing_happens(app, client, auth, people):
    auth.login("leaving@example.org")
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


@pytest.mark.parametrize("password", [SCRIPT, "‮" + PASSWORD, " " + PASSWORD])
def test_hostile_or_odd_passwords_are_refused_beside_the_field(app, client, auth, people, password):
    auth.login("leaving@example.org")
    response = client.post_form("/account/delete", {"password": password})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and 'href="#password"' in page
    assert "<script>alert" not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_a_second_submission_after_deletion_does_no_harm(app, client, auth, people):
    auth.login("leaving@example.org")
    first = client.post_form("/account/delete", {"password": PASSWORD})
    assert first.status_code == 303
    again = client.post_form("/account/delete", {"password": PASSWORD})
    assert again.status_code in (302, 400)
    with app.app_context():
        assert db.session.scalars(select(User.email)).all() == ["staying@example.org"]
