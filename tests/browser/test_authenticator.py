"""Issue 12 point 6 in the browser: an organiser signs in with a password and is asked to set
up an authenticator app before anything else; sets it up on a phone-sized screen with
JavaScript off (the code is worked out here from the key the page shows, as an app would);
keeps the recovery codes; then signs in elsewhere by keyboard with a code, and signs the first
browser out from "where you are signed in". axe checks every page."""

from __future__ import annotations

import re

import pytest

from forum.accounts.security import totp
from tests.browser.support import CODE_LABEL, press, tab_to, type_into
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def h1(checked) -> str:
    return checked.page.locator("h1").inner_text()


def test_set_up_an_authenticator_app_then_sign_in_with_a_code(open_page, northshire):
    phone = open_page(js=False, viewport=PHONE)
    members = f"/areas/{northshire.slug}/members"
    phone.goto(members)
    assert phone.page.url.startswith(phone.url("/sign-in?next="))
    phone.fill_form({"Email address": northshire.organiser_email, "Password": PASSWORD})
    phone.submit("Sign in")

    # Signed in with the password only: staff are sent to set up an app first.
    assert h1(phone) == "Authenticator app"
    assert "Before you carry on, set up an authenticator app" in phone.page.inner_text("main")
    phone.submit("Set up an authenticator app")
    assert h1(phone) == "Set up your authenticator app"
    assert phone.page.get_by_role(
        "img", name="QR code to scan with your authenticator app"
    ).is_visible()
    key = phone.page.locator("#secret-key").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", key.strip()), key
    secret = key.replace(" ", "")

    code_input = phone.page.get_by_label(CODE_LABEL, exact=True)
    assert code_input.get_attribute("autocomplete") == "one-time-code"
    assert code_input.get_attribute("inputmode") == "numeric"
    phone.fill_form({CODE_LABEL: "12345"})
    phone.submit("Turn on the authenticator app", status=422)
    phone.fill_form({CODE_LABEL: totp.code_at(secret, totp.current_step())})
    phone.submit("Turn on the authenticator app")

    assert h1(phone) == "Your recovery codes"
    codes = phone.page.locator("main li code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"\w{4}-\w{4}-\w{4}", c) for c in codes)
    phone.submit("I have saved my recovery codes")
    # Back to where the organiser was going.
    assert phone.page.url == phone.url(members)
    assert h1(phone) == "Members"

    # Another computer: the password, then a code, all by keyboard.
    laptop = open_page()
    laptop.goto("/sign-in")
    type_into(laptop, "Email address", northshire.organiser_email)
    type_into(laptop, "Password", PASSWORD)
    tab_to(laptop.page, text="Sign in", tag="button")
    press(laptop, "Enter")
    assert h1(laptop) == "Check your authenticator app"
    # A step later than the one used to set the app up, which cannot be used twice.
    type_into(laptop, CODE_LABEL, totp.code_at(secret, totp.current_step() + 1))
    press(laptop, "Enter")
    assert laptop.page.get_by_role("button", name="Sign out").is_visible()

    laptop.goto("/account/sessions")
    rows = laptop.page.locator("tbody tr")
    assert rows.count() == 2
    assert "(this device)" in laptop.page.inner_text("main")
    other = laptop.page.locator("tbody tr", has_not_text="(this device)")
    with laptop.page.expect_navigation():
        other.get_by_role("button").click()
    laptop.check()
    assert "has been signed out" in laptop.banner()
    assert laptop.page.locator("tbody tr").count() == 1

    phone.goto(members)
    assert phone.page.url.startswith(phone.url("/sign-in?next="))


def test_the_other_security_pages(open_page, live_server, northshire):
    """A parent who chose to use an app: the recovery-code step (with a mistake), confirming it
    is them before making new codes, the app page with the app on, and the page shown after
    being signed out for resting too long."""
    from tests.factories import make_authenticator, make_user

    with live_server.app.app_context():
        parent = make_user(email="cara@example.org", name="Cara Careful")
        secret = make_authenticator(parent)

    cara = open_page()
    cara.goto("/sign-in")
    cara.fill_form({"Email address": "cara@example.org", "Password": PASSWORD})
    cara.submit("Sign in")
    with cara.page.expect_navigation():
        cara.page.get_by_role("link", name="I cannot use my authenticator app").click()
    cara.check()
    assert h1(cara) == "Use a recovery code"
    cara.fill_form({"Enter one of your recovery codes": "not-a-code"})
    cara.submit("Continue", status=422)
    with cara.page.expect_navigation():
        cara.page.get_by_role("link", name="Use the code from my authenticator app").click()
    cara.check()
    cara.fill_form({CODE_LABEL: totp.code_at(secret, totp.current_step())})
    cara.submit("Continue")

    cara.goto("/account")
    cara.goto("/account/authenticator")
    assert "Recovery codes left" in cara.page.inner_text("main")
    cara.goto("/account/confirm-it-is-you?next=/account/authenticator")
    assert h1(cara) == "Confirm it is you"
    cara.fill_form({"Your password": "not my password"})
    cara.submit("Continue", status=422)
    cara.fill_form({"Your password": PASSWORD})
    cara.submit("Continue")
    cara.submit("Make new recovery codes")
    assert h1(cara) == "Your recovery codes"
    assert cara.page.locator("main li code").count() == 10
    cara.submit("I have saved my recovery codes")
    cara.goto("/account/authenticator/recovery-codes")
    assert "You have 10 left" in cara.page.inner_text("main")

    rested = open_page(js=False, viewport=PHONE)
    rested.goto("/signed-out?idle=30&next=/account")
    assert "You had not used Coproduce for 30 minutes" in rested.page.inner_text("main")
