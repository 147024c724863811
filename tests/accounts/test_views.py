import re

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "lighthouse-biscuit-meadow"


def outbox(app, kind=None):
    with app.app_context():
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return [(m.to_address, m.kind, m.body_text) for m in db.session.scalars(stmt)]


def emailed_path(app, kind, prefix):
    body = outbox(app, kind)[-1][2]
    return re.search(r"http://localhost(" + prefix + r"\S+)", body).group(1)


def register(client, email="parent@example.org", **extra):
    data = {"display_name": "A Parent", "email": email, "password": PASSWORD, **extra}
    return client.post_form("/register", data)


def test_register_page(client):
    page = client.get("/register")
    assert page.status_code == 200
    assert "Create an account" in page.get_data(as_text=True)


def test_register_redirects_with_303_and_queues_verification(app, client):
    response = register(client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/register/check-your-email")
    assert [(to, kind) for to, kind, _ in outbox(app)] == [("parent@example.org", "verify_email")]
    page = client.get("/register/check-your-email").get_data(as_text=True)
    assert "We have sent a link to the email address you gave" in page


def test_register_with_htmx_redirects_by_header(client):
    response = client.post_form(
        "/register",
        {"display_name": "A", "email": "h@example.org", "password": PASSWORD},
        htmx=True,
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith("/register/check-your-email")
    assert "HX-Request" in response.headers["Vary"]


def test_register_same_page_whether_or_not_email_exists(app, client):
    with app.app_context():
        make_user(email="taken@example.org")
    taken = register(client, email="taken@example.org")
    fresh = register(client, email="fresh@example.org")
    assert taken.status_code == fresh.status_code == 303
    assert taken.headers["Location"] == fresh.headers["Location"]
    kinds = [kind for _, kind, _ in outbox(app)]
    assert kinds == ["already_registered", "verify_email"]


#: what differs between any two responses: CSRF tokens, submission keys, script nonces
_ONE_TIME = re.compile(
    r'(?<=name="csrf_token" type="hidden" value=")[^"]*'
    r'|(?<=name="submission_key" type="hidden" value=")[^"]*'
    r"|(?<=X-CSRFToken&#34;: &#34;)[^&]*"
    r'|(?<=nonce=")[^"]*'
)


def _as_seen(response) -> tuple[int, str | None, str]:
    """Status, redirect target and text of a response, with its one-time values masked."""
    text = _ONE_TIME.sub("…", response.get_data(as_text=True))
    return response.status_code, response.headers.get("Location"), text


def _posted(client, url: str, data: dict) -> list[tuple[int, str | None, str]]:
    """What the person sees after a POST: the response, then the page it redirects to."""
    response = client.post_form(url, {"submission_key": "one-time-key", **data})
    return [_as_seen(response), _as_seen(client.get(response.headers["Location"]))]


ENUMERABLE = {
    "/register": {"display_name": "A Parent", "password": PASSWORD},
    "/forgot-password": {},
}


@pytest.mark.parametrize("url", ENUMERABLE)
def test_known_and_new_address_see_the_same_responses(app, make_client, url):
    with app.app_context():
        make_user(email="known@example.org")
    known = _posted(make_client(), url, {**ENUMERABLE[url], "email": "known@example.org"})
    new = _posted(make_client(), url, {**ENUMERABLE[url], "email": "new@example.org"})
    assert known == new
    assert [status for status, _, _ in known] == [303, 200]


def _session_in_cookie(app, client) -> dict:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


@pytest.mark.parametrize("url", ENUMERABLE)
@pytest.mark.parametrize("email", ["known@example.org", "new@example.org"])
def test_session_cookie_holds_no_typed_address(app, client, url, email):
    # Flask signs the session cookie but does not encrypt it: anyone who sees it can read it.
    with app.app_context():
        make_user(email="known@example.org")
    _posted(client, url, {**ENUMERABLE[url], "email": email})
    session = _session_in_cookie(app, client)
    assert session.get("csrf_token")  # the cookie was decoded
    assert "@" not in repr(session)


def test_verify_link_get_changes_nothing_post_confirms(app, client):
    register(client)
    path = emailed_path(app, "verify_email", "/verify-email/")
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my email address" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User)).email_verified_at is None
    response = client.post_form(path)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/sign-in")
    with app.app_context():
        assert db.session.scalar(select(User)).email_verified_at is not None
    # single use
    assert client.get(path).status_code == 404


def test_unknown_verify_link_explains(client):
    page = client.get("/verify-email/not-a-real-token")
    assert page.status_code == 404
    assert "expired or has already been used" in page.get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("page", ["check your email", "reset sent", "verify email"])
def test_pages_a_visitor_reaches_about_their_address_are_never_stored(app, client, page, htmx):
    """The confirm page shows the address; the two "check your email" pages no longer repeat
    what was typed (it would say whether the address has an account), but all three are one
    visitor's and stay out of shared caches."""
    with app.app_context():
        make_user(email="me@example.org")
    if page == "reset sent":
        client.post_form("/forgot-password", {"email": "me@example.org"})
        url, typed = "/forgot-password/sent", "me@example.org"
    else:
        register(client)
        url, typed = "/register/check-your-email", "parent@example.org"
        if page == "verify email":
            url = emailed_path(app, "verify_email", "/verify-email/")
    response = client.htmx_get(url) if htmx else client.get(url)
    assert response.status_code == 200
    assert (typed in response.get_data(as_text=True)) is (page == "verify email")
    assert response.headers.get("Cache-Control") == "no-store"


def test_sign_in_and_out(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    response = auth.login("me@example.org", pages=True)
    assert response.headers["Location"] == "/"
    assert client.get("/account").status_code == 200
    assert client.get("/account").headers["Cache-Control"] == "no-store"
    out = auth.logout()
    assert out.status_code == 303
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("email", ["me@example.org", "nobody@example.org"])
def test_sign_in_failure_says_the_same_thing(app, client, email):
    with app.app_context():
        make_user(email="me@example.org")
    response = client.post_form("/sign-in", {"email": email, "password": "wrong-password-123"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Enter a correct email address and password" in text
    assert "govuk-error-summary" in text


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/account", "/account"),
        ("https://evil.example/x", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_sign_in_next_only_goes_to_this_site(app, client, target, expected):
    with app.app_context():
        make_user(email="me@example.org")
    response = client.post_form(
        "/sign-in", {"email": "me@example.org", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def test_protected_page_redirects_to_sign_in_with_next(client):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert "/sign-in?next=/account/profile" in response.headers["Location"]


def signed_in_on_two_devices(app):
    """me@example.org, signed in on a phone and a laptop (two clients)."""
    with app.app_context():
        make_user(email="me@example.org")
    phone, laptop = app.test_client(), app.test_client()
    for c in (phone, laptop):
        c.post_form("/sign-in", {"email": "me@example.org", "password": PASSWORD})
        c.csrf = None
    return phone, laptop


def test_sign_out_ends_sessions_on_every_device(app):
    phone, laptop = signed_in_on_two_devices(app)
    for c in (phone, laptop):
        assert c.get("/account").status_code == 200
    phone.post_form("/sign-out")
    assert laptop.get("/account").status_code == 302


def test_a_copied_session_cookie_stops_working_after_sign_out(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    auth.login("me@example.org")
    stolen = client.get_cookie("coproduce_session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("coproduce_session", stolen)
    assert thief.get("/account").status_code == 302


def test_change_password_signs_out_other_devices_but_not_this_one(app):
    phone, laptop = signed_in_on_two_devices(app)
    response = phone.post_form(
        "/account/password", {"current_password": PASSWORD, "password": NEW_PASSWORD}
    )
    assert response.status_code == 303
    assert phone.get("/account").status_code == 200
    assert laptop.get("/account").status_code == 302
    assert [kind for _, kind, _ in outbox(app)] == ["password_changed"]


def test_change_password_wrong_current(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    auth.login("me@example.org")
    response = client.post_form(
        "/account/password", {"current_password": "not-my-password", "password": NEW_PASSWORD}
    )
    assert response.status_code == 422
    assert "Your current password is not right" in response.get_data(as_text=True)


@pytest.mark.parametrize("known", [True, False])
def test_forgot_password_same_response_either_way(app, client, known):
    with app.app_context():
        make_user(email="me@example.org")
    email = "me@example.org" if known else "nobody@example.org"
    response = client.post_form("/forgot-password", {"email": email})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/forgot-password/sent")
    assert len(outbox(app, "reset_password")) == (1 if known else 0)


def test_reset_password_flow_is_single_use(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    client.post_form("/forgot-password", {"email": "me@example.org"})
    path = emailed_path(app, "reset_password", "/reset-password/")
    assert client.get(path).status_code == 200
    response = client.post_form(path, {"password": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/sign-in")
    assert client.get(path).status_code == 404
    auth.login("me@example.org", NEW_PASSWORD)


def test_reset_password_rejects_weak_password(app, client):
    with app.app_context():
        make_user(email="me@example.org")
    client.post_form("/forgot-password", {"email": "me@example.org"})
    path = emailed_path(app, "reset_password", "/reset-password/")
    response = client.post_form(path, {"password": "qwerty123456"})
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)


def test_edit_profile(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org", name="Old Name")
    auth.login("me@example.org")
    assert "Old Name" in client.get("/account/profile").get_data(as_text=True)
    response = client.post_form("/account/profile", {"display_name": "New Name"})
    assert response.status_code == 303
    assert "New Name" in client.get("/account").get_data(as_text=True)


def change_email(client, email="new@example.org", password=PASSWORD):
    return client.post_form("/account/email", {"email": email, "password": password})


def account_email(app):
    with app.app_context():
        user = db.session.scalar(select(User).order_by(User.id))
        return user.email, user.is_verified


def test_change_email_needs_password_and_waits_for_the_link(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    auth.login("me@example.org")
    assert change_email(client, password="nope-nope").status_code == 422
    response = change_email(client)
    assert response.status_code == 303
    assert account_email(app) == ("me@example.org", True)
    assert [(to, kind) for to, kind, _ in outbox(app)] == [
        ("new@example.org", "change_email"),
        ("me@example.org", "email_change_requested"),
    ]


def test_change_email_keeps_the_typed_address_out_of_the_session(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    auth.login("me@example.org")
    change_email(client, email="Secret.New@example.org")
    with client.session_transaction() as sess:
        assert "secret.new" not in repr(dict(sess)).lower()
    page = client.get("/account").get_data(as_text=True)
    assert "If that email address can be used" in page
    assert "secret.new" not in page.lower()


def test_following_the_change_email_link_changes_the_address_once(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    auth.login("me@example.org")
    change_email(client)
    path = emailed_path(app, "change_email", "/confirm-email-change/")
    assert "new@example.org" in client.get(path).get_data(as_text=True)
    response = client.post_form(path)
    assert response.status_code == 303
    assert account_email(app) == ("new@example.org", True)
    assert outbox(app, "email_changed")[0][0] == "me@example.org"
    assert client.get(path).status_code == 404


def test_change_email_link_refused_if_the_address_was_taken_meanwhile(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    auth.login("me@example.org")
    change_email(client)
    path = emailed_path(app, "change_email", "/confirm-email-change/")
    with app.app_context():
        make_user(email="new@example.org")
    response = client.post_form(path)
    assert response.status_code == 409
    assert "Another account now uses that email address" in response.get_data(as_text=True)
    assert account_email(app) == ("me@example.org", True)


def test_reset_link_fails_after_a_password_change(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    client.post_form("/forgot-password", {"email": "me@example.org"})
    path = emailed_path(app, "reset_password", "/reset-password/")
    auth.login("me@example.org")
    client.post_form("/account/password", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert client.get(path).status_code == 404


def test_change_email_link_fails_after_a_password_reset(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    auth.login("me@example.org")
    change_email(client)
    change_path = emailed_path(app, "change_email", "/confirm-email-change/")
    auth.logout()
    client.post_form("/forgot-password", {"email": "me@example.org"})
    reset_path = emailed_path(app, "reset_password", "/reset-password/")
    assert client.post_form(reset_path, {"password": NEW_PASSWORD}).status_code == 303
    assert client.get(reset_path).status_code == 404
    assert client.get(change_path).status_code == 404
    assert account_email(app) == ("me@example.org", True)


def test_reset_link_fails_after_an_email_change(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    client.post_form("/forgot-password", {"email": "me@example.org"})
    reset_path = emailed_path(app, "reset_password", "/reset-password/")
    auth.login("me@example.org")
    change_email(client)
    client.post_form(emailed_path(app, "change_email", "/confirm-email-change/"))
    assert account_email(app) == ("new@example.org", True)
    assert client.get(reset_path).status_code == 404


def test_resend_verification(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org", verified=False)
    auth.login("me@example.org")
    assert "Send the link again" in client.get("/account").get_data(as_text=True)
    response = client.post_form("/account/verify-email/resend")
    assert response.status_code == 303
    assert len(outbox(app, "verify_email")) == 1
