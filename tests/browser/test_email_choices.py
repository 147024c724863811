"""A member chooses their emails on a phone: the page fits the screen, each kind of email is
a group of radios with its own legend, one forum is saved at a time, and the choice is kept.
With the mouse (touch-sized screen) and with JavaScript off. Every page is axe-checked."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
MEMBER = "mo.member@example.org"


@pytest.fixture
def member(live_server, northshire):
    from sqlalchemy import select

    from forum.areas.models import Area, Role
    from forum.extensions import db
    from tests.factories import make_area, make_membership, make_person_in

    with live_server.app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == northshire.slug))
        person = make_person_in(area, Role.MEMBER, email=MEMBER, name="Mo Member")
        make_membership(person, make_area(slug="southshire", name="Southshire"))
        db.session.commit()
    return MEMBER


def _choose(member, forum: str, kind: str, how: str):
    section = member.page.locator("section.app-email-choices", has_text=forum)
    group = section.get_by_role("group", name=kind)
    return section, group.get_by_label(how, exact=True)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_member_changes_their_emails_on_a_phone(open_page, live_server, northshire, member, js):
    person = open_page(js=js, viewport=PHONE)
    # (sign_in() looks for the Sign out button, which a phone keeps behind the menu)
    person.goto("/sign-in")
    person.fill_form({"Email address": member, "Password": PASSWORD})
    person.submit("Sign in")
    person.goto("/account")
    with person.page.expect_navigation():
        person.page.get_by_role(
            "link", name="Your emails: choose what each forum sends you"
        ).click()
    person.check()
    page = person.page
    assert page.locator("h1").inner_text() == "Your emails"
    # nothing is wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert "You cannot turn these off" in page.locator("main").inner_text()

    section, weekly = _choose(
        person, northshire.forum_name, "Newsletters and messages", "In a weekly email"
    )
    assert not weekly.is_checked()  # newsletters are off until asked for
    weekly.check()
    _, never = _choose(person, northshire.forum_name, "Replies in discussions you follow", "Never")
    never.check()
    with page.expect_navigation():
        section.get_by_role("button", name=f"Save choices for {northshire.forum_name}").click()
    person.check()
    assert f"Your email choices for {northshire.forum_name} are saved." in person.banner()

    _, weekly = _choose(
        person, northshire.forum_name, "Newsletters and messages", "In a weekly email"
    )
    assert weekly.is_checked()
    _, never = _choose(person, northshire.forum_name, "Replies in discussions you follow", "Never")
    assert never.is_checked()
    # the other forum is as it was
    _, other = _choose(person, "Southshire", "Newsletters and messages", "Never")
    assert other.is_checked()
