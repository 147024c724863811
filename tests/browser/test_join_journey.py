"""The core journey, three ways: a parent registers, confirms their email from the message
they are sent, signs in and asks to join Northshire; the organiser approves them; they are a
member. With the mouse, with the keyboard only, and with JavaScript off.

Every page and every htmx swap along the way is axe-checked (see support.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.browser.support import (
    CODE_LABEL,
    CheckedPage,
    assert_focus_visible,
    current_code,
    focused,
    needs_code,
    press,
    sign_in,
    tab_to,
    type_into,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Parent:
    name: str
    email: str
    password: str = "plum lantern orbit kettle"
    note: str = "We live in the north of the county."


JO = Parent(name="Jo Bloggs", email="jo.bloggs@example.org")


def h1(checked: CheckedPage) -> str:
    return checked.page.locator("h1").inner_text()


def request_row(checked: CheckedPage, parent: Parent):
    """The parent's request on the members page, found by its id so that the locator still
    finds the row after htmx has swapped its contents."""
    row = checked.page.locator("li.app-member-row", has_text=parent.email)
    return checked.page.locator(f"#{row.get_attribute('id')}")


def assert_is_member(checked: CheckedPage, northshire) -> None:
    """The area page and the account page, as the new member sees them."""
    checked.goto(f"/areas/{northshire.slug}")
    assert "You are a member of this forum." in checked.page.locator("main").inner_text()
    checked.goto("/account")
    forum = checked.page.locator("main li.app-member-row", has_text=northshire.forum_name)
    assert forum.locator(".govuk-tag").inner_text() == "Member"


def register_and_open_the_link(parent, live_server) -> None:
    """Jo creates an account and opens the link emailed to confirm her address."""
    parent.goto("/register")
    parent.fill_form(
        {"Your name": JO.name, "Email address": JO.email, "Create a password": JO.password}
    )
    parent.submit("Create account")
    assert h1(parent) == "Check your email"
    parent.goto(live_server.link_emailed_to(JO.email, "/verify-email/"))


# --- with the mouse --------------------------------------------------------------------------


def test_join_with_the_mouse(open_page, live_server, northshire):
    parent = open_page()
    register_and_open_the_link(parent, live_server)
    assert h1(parent) == "Confirm your email address"
    parent.submit("Confirm my email address")
    assert parent.page.url.endswith("/sign-in")
    assert "Your email address is confirmed." in parent.banner()

    parent.fill_form({"Email address": JO.email, "Password": JO.password})
    parent.submit("Sign in")

    parent.goto(f"/areas/{northshire.slug}")
    with parent.page.expect_navigation():
        parent.page.get_by_role("button", name=f"Ask to join {northshire.forum_name}").click()
    parent.check()
    assert h1(parent) == f"Ask to join {northshire.forum_name}"
    parent.page.get_by_label("Anything you would like the organisers to know").fill(JO.note)
    parent.submit("Ask to join")
    assert "will look at your request" in parent.banner()
    assert "You have asked to join." in parent.page.locator("main").inner_text()

    organiser = open_page()
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}/members")
    row = request_row(organiser, JO)
    assert JO.note in row.inner_text()
    with organiser.swap():
        row.get_by_role("button", name=f"Approve {JO.name}").click()
        row.get_by_text(f"{JO.name} is now a member.").wait_for()
    assert organiser.page.url.endswith(f"/areas/{northshire.slug}/members")
    assert row.get_by_role("button").count() == 0

    # The parent's open page is stale: reload it.
    parent.page.reload()
    parent.check()
    assert "You are a member of this forum." in parent.page.locator("main").inner_text()
    assert_is_member(parent, northshire)

    live_server.deliver_email()
    approved = live_server.inbox.wait_for(JO.email, count=2)[-1]
    assert northshire.forum_name in approved["Subject"]


# --- by keyboard only ------------------------------------------------------------------------


def keyboard_sign_in(checked: CheckedPage, email: str, password: str) -> None:
    asks_for_code = needs_code(email)
    checked.goto("/sign-in")
    type_into(checked, "Email address", email)
    type_into(checked, "Password", password)
    tab_to(checked.page, text="Sign in", tag="button")
    press(checked, "Enter")
    if asks_for_code:
        type_into(checked, CODE_LABEL, current_code(email))
        press(checked, "Enter")


def test_join_by_keyboard_only(open_page, live_server, northshire):
    parent = open_page()
    page = parent.page
    parent.goto("/register")

    # The skip link is the first stop, is visible when focused, and moves focus to <main>.
    page.keyboard.press("Tab")
    first = focused(page)
    assert "govuk-skip-link" in first["classes"] and first["text"] == "Skip to main content"
    assert_focus_visible(page)
    assert page.locator(".govuk-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"
    parent.check()

    type_into(parent, "Your name", JO.name)
    type_into(parent, "Email address", JO.email)
    type_into(parent, "Create a password", JO.password)
    tab_to(page, text="Create account", tag="button")
    assert_focus_visible(page)
    press(parent, "Enter")
    assert h1(parent) == "Check your email"

    parent.goto(live_server.link_emailed_to(JO.email, "/verify-email/"))
    tab_to(page, text="Confirm my email address", tag="button")
    press(parent, "Space")
    assert "Your email address is confirmed." in parent.banner()

    keyboard_sign_in(parent, JO.email, JO.password)

    parent.goto(f"/areas/{northshire.slug}")
    # A link styled as a button: govuk-frontend makes Space work on it too.
    tab_to(page, text=f"Ask to join {northshire.forum_name}")
    assert_focus_visible(page)
    press(parent, "Space")
    type_into(parent, "Anything you would like the organisers to know", JO.note)
    tab_to(page, text="Ask to join", tag="button")
    press(parent, "Enter")
    assert "You have asked to join." in page.locator("main").inner_text()

    organiser = open_page()
    keyboard_sign_in(organiser, northshire.organiser_email, PASSWORD)
    organiser.goto(f"/areas/{northshire.slug}/members")
    row = request_row(organiser, JO)
    tab_to(organiser.page, text=f"Approve {JO.name}", tag="button")
    assert_focus_visible(organiser.page)
    with organiser.swap():
        organiser.page.keyboard.press("Enter")
        row.get_by_text(f"{JO.name} is now a member.").wait_for()
    # Focus is not lost to the top of the page: it is on the confirmation that replaced the row.
    assert f"{JO.name} is now a member." in focused(organiser.page)["text"]

    assert_is_member(parent, northshire)

    # Signing out is a POST button in the navigation.
    tab_to(page, text="Sign out", tag="button")
    assert_focus_visible(page)
    press(parent, "Enter")
    assert "You have signed out" in parent.banner()


# --- with JavaScript off ---------------------------------------------------------------------


def test_join_without_javascript(open_page, live_server, northshire):
    parent = open_page(js=False)
    register_and_open_the_link(parent, live_server)
    parent.submit("Confirm my email address")
    parent.fill_form({"Email address": JO.email, "Password": JO.password})
    parent.submit("Sign in")

    parent.goto(f"/areas/{northshire.slug}/join")
    parent.page.get_by_label("Anything you would like the organisers to know").fill(JO.note)
    parent.submit("Ask to join")
    assert "will look at your request" in parent.banner()

    organiser = open_page(js=False)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}/members")
    response = organiser.submit(f"Approve {JO.name}")
    # A plain form POST, answered 303 See Other, back to the members page with a banner.
    post = response.request.redirected_from
    assert post is not None and post.method == "POST"
    assert post.response().status == 303
    assert response.url.endswith(f"/areas/{northshire.slug}/members")
    assert f"{JO.name} is now a member." in organiser.banner()
    assert organiser.page.locator("li.app-member-row", has_text=JO.email).count() == 0
    members = organiser.page.get_by_role("table").inner_text()
    assert JO.name in members

    assert_is_member(parent, northshire)
