"""The CSRF tokens pages carry are the ones the app accepts.

The test client makes its tokens with Flask-WTF's `generate_csrf` rather than reading them from
a page (tests/conftest.py, `CsrfClient.csrf_token`), so these tests read them from pages as a
browser does: from a form's hidden field when signed out, from <body hx-headers> (which htmx
sends as the X-CSRFToken header) when signed in. tests/web/test_routes.py proves the other
side: every POST without a good token is refused.
"""

from __future__ import annotations

from tests.conftest import AuthActions
from tests.factories import PASSWORD, make_user


def _signed_in(client) -> bool:
    return "Sign out" in client.get("/privacy").get_data(as_text=True)


def test_a_signed_out_forms_token_signs_in(app, client):
    with app.app_context():
        make_user(email="parent@example.org")
    token = client.csrf_token_from_page()
    response = client.post(
        "/sign-in",
        data={"email": "parent@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert _signed_in(client)


def test_a_signed_in_pages_token_works_as_a_field_and_as_htmxs_header(app, make_client):
    with app.app_context():
        make_user(email="parent@example.org")
    as_field, as_header = make_client(), make_client()
    for client in (as_field, as_header):
        AuthActions(client).login("parent@example.org")
        assert _signed_in(client)

    response = as_field.post("/sign-out", data={"csrf_token": as_field.csrf_token_from_page()})
    assert response.status_code == 303
    assert not _signed_in(as_field)

    # The first client's sign-out ended every session of the account: sign in again.
    AuthActions(as_header).login("parent@example.org")
    response = as_header.post(
        "/sign-out",
        headers={"HX-Request": "true", "X-CSRFToken": as_header.csrf_token_from_page()},
    )
    assert response.status_code == 204, response.get_data(as_text=True)[:2000]
    assert "HX-Redirect" in response.headers
    assert not _signed_in(as_header)


def test_a_token_from_another_session_is_refused(app, make_client):
    with app.app_context():
        make_user(email="parent@example.org")
    mine, theirs = make_client(), make_client()
    AuthActions(mine).login("parent@example.org")
    AuthActions(theirs).login("parent@example.org")
    response = mine.post("/sign-out", data={"csrf_token": theirs.csrf_token_from_page()})
    assert response.status_code == 400
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert _signed_in(mine)
