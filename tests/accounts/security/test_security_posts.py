"""Every POST of account security answers a plain form with 303 See Other and htmx with 204 and
HX-Redirect (tests/web/test_post_responses.py counts these cases)."""

from __future__ import annotations

import pytest

from forum.accounts.queries import get_by_email
from forum.accounts.security import services as security
from forum.accounts.security import totp
from tests.accounts.security.worlds import CAREFUL, MEMBER, RECOVERY, code_now, sessions_of
from tests.factories import PASSWORD
from tests.support import assert_redirects_after_post


def _half_signed_in(client, email=CAREFUL):
    client.csrf = None
    client.post_form("/sign-in", {"email": email, "password": PASSWORD})
    client.csrf = None


def _code_step(app, client, world):
    _half_signed_in(client)
    return "/sign-in/code", {"code": code_now()}


def _recovery_step(app, client, world):
    _half_signed_in(client)
    return "/sign-in/recovery-code", {"code": RECOVERY}


def _confirm_app(app, client, world):
    client.post_form("/account/authenticator/start")
    with app.test_request_context():
        secret = security.pending_secret(get_by_email(MEMBER))
    return "/account/authenticator/setup", {"code": totp.code_at(secret, totp.current_step())}


def _other_session(app, client, world):
    other = app.test_client()
    other.post_form("/sign-in", {"email": MEMBER, "password": PASSWORD})
    newest = max(sessions_of(app, MEMBER), key=lambda s: s.id)
    return f"/account/sessions/{newest.id}/sign-out", {}


#: one entry per POST endpoint: (who is signed in first, or None; prepare(app, client, world)
#: -> (url, data))
POSTS = {
    "sign in: code": (None, _code_step),
    "sign in: recovery code": (None, _recovery_step),
    "start setting up an app": (MEMBER, lambda a, c, w: ("/account/authenticator/start", {})),
    "confirm the app": (MEMBER, _confirm_app),
    "recovery codes saved": (
        CAREFUL,
        lambda a, c, w: ("/account/authenticator/recovery-codes/saved", {"next": "/account"}),
    ),
    "new recovery codes": (
        CAREFUL,
        lambda a, c, w: ("/account/authenticator/recovery-codes/new", {}),
    ),
    "turn the app off": (CAREFUL, lambda a, c, w: ("/account/authenticator/turn-off", {})),
    "set up a different app": (
        CAREFUL,
        lambda a, c, w: ("/account/authenticator/replace", {}),
    ),
    "confirm it is you": (
        MEMBER,
        lambda a, c, w: ("/account/confirm-it-is-you", {"password": PASSWORD, "next": "/"}),
    ),
    "sign out one session": (MEMBER, _other_session),
    "sign out everywhere else": (
        MEMBER,
        lambda a, c, w: ("/account/sessions/sign-out-others", {}),
    ),
}

SECURITY_ENDPOINTS = {
    "accounts.sign_in_code",
    "accounts.sign_in_recovery",
    "accounts.start_authenticator",
    "accounts.setup_authenticator",
    "accounts.recovery_codes_saved",
    "accounts.new_recovery_codes",
    "accounts.turn_off_authenticator",
    "accounts.replace_authenticator",
    "accounts.reauthenticate",
    "accounts.end_session",
    "accounts.end_other_sessions",
}


def test_one_case_per_post_route(app):
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    assert posts >= SECURITY_ENDPOINTS
    assert len(POSTS) == len(SECURITY_ENDPOINTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, prepare = POSTS[case]
    if who:
        auth.login(who)
    url, data = prepare(app, client, world)
    response = client.post_form(url, data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx, shown=500)


@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_without_a_csrf_token_is_refused(app, client, auth, world, case):
    who, prepare = POSTS[case]
    if who:
        auth.login(who)
    url, data = prepare(app, client, world)
    response = client.post(url, data={**data, "csrf_token": "forged"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/account/authenticator/start",
        "/account/authenticator/setup",
        "/account/authenticator/recovery-codes/saved",
        "/account/authenticator/recovery-codes/new",
        "/account/authenticator/turn-off",
        "/account/authenticator/replace",
        "/account/confirm-it-is-you",
        "/account/sessions/1/sign-out",
        "/account/sessions/sign-out-others",
    ],
)
def test_signed_out_visitors_are_sent_to_sign_in(client, world, url):
    response = client.post_form(url, {})
    assert response.status_code in (302, 303)
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("url", ["/sign-in/code", "/sign-in/recovery-code"])
def test_the_second_step_without_the_first_goes_back_to_sign_in(client, world, url):
    response = client.post_form(url, {"code": "123456"})
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
