"""The pages the journeys do not reach, each opened by the person who uses it and axe-checked,
including error pages and forms sent with mistakes; and the small-screen navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.areas.models import MembershipStatus, Role
from tests.browser.support import assert_focus_visible, focused, sign_in, tab_to
from tests.factories import make_area, make_membership, make_user

pytestmark = pytest.mark.browser


def h1(checked) -> str:
    return checked.page.locator("h1").inner_text()


def test_public_pages(open_page, northshire):
    visitor = open_page()
    visitor.goto("/")
    assert visitor.page.get_by_role("link", name=northshire.forum_name).count() == 1
    for path in (
        "/accessibility",
        "/privacy",
        "/contact",
        f"/areas/{northshire.slug}",
        "/sign-in",
        "/register",
        "/forgot-password",
    ):
        visitor.goto(path)

    visitor.goto("/no-such-page", status=404)
    assert h1(visitor) == "Page not found"
    visitor.goto("/areas/no-such-area", status=404)
    # Signed out, an organiser's page asks you to sign in rather than showing a 403.
    visitor.goto(f"/areas/{northshire.slug}/members")
    assert visitor.page.url.startswith(visitor.url("/sign-in?next="))


def test_forgotten_password_to_new_password(open_page, live_server, northshire):
    visitor = open_page()
    visitor.goto("/forgot-password")
    visitor.fill_form({"Email address": northshire.organiser_email})
    visitor.submit("Send the link")
    assert h1(visitor) == "Check your email"

    visitor.goto(live_server.link_emailed_to(northshire.organiser_email, "/reset-password/"))
    assert h1(visitor) == "Choose a new password"
    visitor.submit("Save new password", status=422)
    assert visitor.page.locator(".govuk-error-summary").is_visible()
    visitor.fill_form({"New password": "quartz meadow lantern fig"})
    visitor.submit("Save new password")
    assert "Your password has been changed" in visitor.banner()

    visitor.goto("/reset-password/not-a-real-token", status=404)


def test_member_pages_and_the_403_page(open_page, live_server, northshire):
    with live_server.app.app_context():
        member = make_user(email="mo.member@example.org", name="Mo Member")
        make_membership(member, make_area(slug="southshire", name="Southshire"))
    # Mo is a member of Southshire, not of Northshire.
    member_page = open_page()
    sign_in(member_page, member.email)
    for path in ("/account", "/account/profile", "/account/email", "/account/password"):
        member_page.goto(path)

    member_page.submit("Change password", status=422)
    assert (
        "Enter your current password"
        in member_page.page.locator(".govuk-error-summary").inner_text()
    )

    member_page.goto(f"/areas/{northshire.slug}/members", status=403)
    assert f"Only organisers of {northshire.forum_name} can manage its members" in (
        member_page.page.locator("main").inner_text()
    )
    member_page.goto("/admin/areas", status=403)


def test_changing_email_address_waits_for_the_new_address(open_page, live_server, northshire):
    """The email-change journey: the form, the link to the new address, its confirmation
    page (axe-checked like every page), and the address changing only after it."""
    with live_server.app.app_context():
        member = make_user(email="em.moving@example.org", name="Em Moving")
        make_membership(member, make_area(slug="eastshire", name="Eastshire"))
    person = open_page()
    sign_in(person, member.email)
    person.goto("/account/email")
    person.fill_form(
        {"New email address": "em.new@example.org", "Your password": "correct-horse-battery-staple"}
    )
    person.submit("Change email address")
    assert "keeps its current address until you follow the link" in person.banner()
    assert "em.moving@example.org" in person.page.locator("main").inner_text()

    person.goto(live_server.link_emailed_to("em.new@example.org", "/confirm-email-change/"))
    assert h1(person) == "Confirm your new email address"
    assert "em.new@example.org" in person.page.locator("main").inner_text()
    person.submit("Confirm my new email address")
    person.goto("/account")
    assert "em.new@example.org" in person.page.locator("main").inner_text()
    person.goto("/confirm-email-change/not-a-real-token", status=404)


def test_organiser_pages(open_page, live_server, northshire):
    with live_server.app.app_context():
        from forum.areas.queries import get_by_slug

        area = get_by_slug(northshire.slug)
        waiting = make_user(name="Wren Waiting")
        make_membership(waiting, area, status=MembershipStatus.PENDING, note="Near Eastby.")
        membership_id = make_membership(make_user(name="Max Member"), area, Role.MEMBER).id

    organiser = open_page()
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}/members")
    assert organiser.page.get_by_role("button", name="Approve Wren Waiting").is_visible()
    organiser.goto(f"/areas/{northshire.slug}/members/{membership_id}/role")
    organiser.goto(f"/areas/{northshire.slug}/settings")

    # A brand colour white text cannot be read on is refused, with the form kept.
    organiser.page.get_by_label("Brand colour", exact=True).fill("#ffff00")
    organiser.submit("Save forum details", status=422)
    assert organiser.page.get_by_label("Brand colour", exact=True).input_value() == "#ffff00"

    # Appointing someone without an account says so on the members page.
    organiser.goto(f"/areas/{northshire.slug}/members")
    organiser.fill_form({"Their email address": "nobody@example.org"})
    organiser.page.get_by_label("Organiser", exact=True).check()
    organiser.submit("Appoint", status=422)
    assert (
        "There is no account with that email address"
        in organiser.page.locator(".govuk-error-summary").inner_text()
    )


def test_admin_pages(open_page, live_server, northshire):
    with live_server.app.app_context():
        admin = make_user(email="ada.admin@example.org", name="Ada Admin", is_admin=True)
    checked = open_page()
    sign_in(checked, admin.email)
    checked.goto("/admin/areas")
    assert checked.page.get_by_role("link", name="Northshire", exact=True).count() == 1
    checked.goto("/admin/areas/new")
    checked.submit("Create area", status=422)
    assert checked.page.locator(".govuk-error-summary").is_visible()


@pytest.mark.parametrize("path", ["/", "/areas/northshire"])
def test_small_screen_menu_opens_by_keyboard(open_page, northshire, path):
    visitor = open_page(viewport={"width": 375, "height": 667})
    visitor.goto(path)
    page = visitor.page
    toggle = page.locator(".govuk-service-navigation__toggle")
    nav_list = page.locator(".govuk-service-navigation__list")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav_list).to_be_hidden()

    tab_to(page, text="Menu", tag="button")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav_list).to_be_visible()
    visitor.check(f"{path} at 375px with the menu open")

    # The next stop is the first link in the menu, and it is on screen.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "All areas"
    expect(page.get_by_role("link", name="All areas")).to_be_in_viewport()
    assert_focus_visible(page)

    # Space closes it again (it is a real <button>).
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav_list).to_be_hidden()
