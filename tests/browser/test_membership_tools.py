"""Membership tools in a browser: an organiser invites someone by keyboard (JavaScript on);
the invitee, on a phone-sized screen with JavaScript off, follows the emailed link, creates an
account, confirms it, signs in, comes back to the invitation and accepts; they are a member at
once, with no approval step. Every page is axe-checked (support.py)."""

from __future__ import annotations

import pytest

from tests.browser.support import (
    CODE_LABEL,
    assert_focus_visible,
    current_code,
    needs_code,
    press,
    tab_to,
    type_into,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
IVY = "ivy.invited@example.org"
IVY_PASSWORD = "violet harbour copper meadow"


def keyboard_sign_in(checked, email: str, password: str) -> None:
    asks_for_code = needs_code(email)
    checked.goto("/sign-in")
    type_into(checked, "Email address", email)
    type_into(checked, "Password", password)
    tab_to(checked.page, text="Sign in", tag="button")
    press(checked, "Enter")
    if asks_for_code:
        type_into(checked, CODE_LABEL, current_code(email))
        press(checked, "Enter")


def test_invite_by_keyboard_then_accept_on_a_phone_without_javascript(
    open_page, live_server, northshire
):
    organiser = open_page()
    keyboard_sign_in(organiser, northshire.organiser_email, PASSWORD)
    organiser.goto(f"/areas/{northshire.slug}/members")
    tab_to(organiser.page, text="Invite people by email", tag="a")
    assert_focus_visible(organiser.page)
    press(organiser, "Enter")
    assert organiser.page.locator("h1").inner_text() == "Invite people"
    type_into(organiser, "Email address", IVY)
    type_into(organiser, "Their name", "Ivy")
    tab_to(organiser.page, text="Send invitation", tag="button")
    assert_focus_visible(organiser.page)
    press(organiser, "Enter")
    assert "Invitation sent" in organiser.banner()
    assert IVY in organiser.page.get_by_role("table").inner_text()

    invitee = open_page(js=False, viewport=PHONE)
    link = live_server.link_emailed_to(IVY, "/invitations/")
    assert IVY not in link and "%40" not in link
    invitee.goto(link)
    assert invitee.page.locator("h1").inner_text() == f"Join {northshire.forum_name}"
    with invitee.page.expect_navigation():
        invitee.page.get_by_role("button", name="Create an account").click()
    invitee.check()
    invitee.fill_form(
        {"Your name": "Ivy Invited", "Email address": IVY, "Create a password": IVY_PASSWORD}
    )
    invitee.submit("Create account")
    invitee.goto(live_server.link_emailed_to(IVY, "/verify-email/", count=2))
    invitee.submit("Confirm my email address")
    invitee.fill_form({"Email address": IVY, "Password": IVY_PASSWORD})
    invitee.submit("Sign in")
    # back on the invitation, signed in
    assert invitee.page.url.startswith(link.split("?")[0])
    response = invitee.submit("Accept the invitation")
    post = response.request.redirected_from
    assert post is not None and post.response().status == 303
    assert f"You are now a member of {northshire.forum_name}" in invitee.banner()
    assert "You are a member of this forum." in invitee.page.locator("main").inner_text()
    width = invitee.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing scrolls sideways on a phone"
