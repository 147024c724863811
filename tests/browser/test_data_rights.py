"""Families' data rights in the browser: a parent reads and downloads everything held about
them, then deletes their account. By keyboard only with JavaScript, and by mouse with JavaScript
off; every page is axe-checked (see support.py)."""

from __future__ import annotations

import json

import pytest

from tests.accounts.rights.worlds import World, populate
from tests.browser.support import CheckedPage, assert_focus_visible, sign_in, tab_to
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_server) -> World:
    with live_server.app.app_context():
        return populate()


def h1(checked: CheckedPage) -> str:
    return checked.page.locator("h1").inner_text()


def follow(checked: CheckedPage, link: str) -> None:
    with checked.page.expect_navigation():
        checked.page.get_by_role("link", name=link, exact=True).click()
    checked.check()


def download(checked: CheckedPage) -> dict:
    with checked.page.expect_download() as waiting:
        checked.page.get_by_role("link", name="Download your data as a file (JSON)").click()
    got = waiting.value
    assert got.suggested_filename.startswith("coproduce-your-data-")
    with open(got.path(), encoding="utf-8") as file:
        return json.load(file)


def assert_your_data(checked: CheckedPage, world: World) -> None:
    assert h1(checked) == "Your data"
    main = checked.page.locator("main").inner_text()
    for name in ("name", "title", "edited", "report", "joinnote", "long"):
        assert world.planted[name] in main, name
    assert world.other_mark not in main


def assert_gone(checked: CheckedPage, world: World) -> None:
    assert h1(checked) == "Your account has been deleted"
    assert checked.page.get_by_role("button", name="Sign out").count() == 0
    checked.goto("/sign-in")
    checked.fill_form({"Email address": world.person_email, "Password": PASSWORD})
    checked.submit("Sign in", status=422)


def test_download_and_delete_by_keyboard_only(open_page, world):
    parent = open_page()
    page = parent.page
    sign_in(parent, world.person_email)
    parent.goto("/account")
    tab_to(page, text="See and download your data")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    parent.check()
    assert_your_data(parent, world)
    # The contents list takes you to each section.
    tab_to(page, text="Posts you reported")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert page.url.endswith("#section-reports")

    tab_to(page, text="Delete your account")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    parent.check()
    tab_to(page, label="Your password")
    assert_focus_visible(page)
    page.keyboard.type(PASSWORD)
    tab_to(page, text="Delete my account", tag="button")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    parent.check()
    assert_gone(parent, world)


def test_download_and_delete_without_javascript(open_page, live_server, world):
    """With the mouse and JavaScript off (with JavaScript, a click sends the same requests as
    the keyboard above)."""
    parent = open_page(js=False)
    sign_in(parent, world.person_email)
    parent.goto("/account")
    follow(parent, "See and download your data")
    assert_your_data(parent, world)
    data = download(parent)
    assert data["sections"]["account"]["records"][0]["email"] == world.person_email
    assert world.other_mark not in json.dumps(data, ensure_ascii=False)

    follow(parent, "Delete your account")
    assert h1(parent) == "Delete your account"
    main = parent.page.locator("main").inner_text()
    assert "cannot be undone" in main and "only organiser of Southshire" in main
    parent.submit("Delete my account", status=422)
    assert "Enter your password" in parent.page.locator(".govuk-error-summary").inner_text()
    parent.fill_form({"Your password": "not my password at all"})
    parent.submit("Delete my account", status=422)
    assert "Your password is not right" in parent.page.locator(".govuk-error-summary").inner_text()
    parent.fill_form({"Your password": PASSWORD})
    parent.submit("Delete my account")
    assert_gone(parent, world)

    live_server.deliver_email()
    goodbye = live_server.inbox.wait_for(world.person_email)[-1]
    assert "has been deleted" in goodbye["Subject"]
