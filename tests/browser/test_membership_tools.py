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
    sign_in,
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


def test_every_membership_page_and_state_passes_axe(open_page, live_server, northshire):
    """The pages the journey above does not reach: members by each status (with a removal
    reason, an expired and a withdrawn invitation), the remove page with its mistakes, the
    renewal setting, leaving (and the last organiser's page), the renewal link and the account
    page with a question waiting and a lapsed membership; links that do not work."""
    from datetime import timedelta

    from sqlalchemy import select

    from forum.areas import invitations, renewal
    from forum.areas.models import Invitation, Membership, MembershipStatus, Role
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.models import utcnow
    from tests.factories import make_membership, make_user

    with live_server.app.test_request_context():
        area = get_by_slug(northshire.slug)
        organiser = db.session.scalar(select(Membership).where(Membership.role == Role.ORGANISER))
        mia = make_user(email="mia@example.org", name="Mia Member")
        member = make_membership(mia, area)
        make_membership(
            make_user(email="lou@example.org", name="Lou"), area, status=MembershipStatus.LAPSED
        )
        gone = make_membership(make_user(name="Rob"), area, status=MembershipStatus.REMOVED)
        row = db.session.get(Membership, gone.id)
        row.removal_reason, row.ended_at = "Posted adverts", utcnow()
        invitations.invite(
            area,
            [invitations.Row(1, "old@example.org"), invitations.Row(2, "gone@example.org")],
            actor=organiser.user,
        )
        old, withdrawn = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
        old.expires_at = utcnow() - timedelta(days=1)
        invitations.withdraw(withdrawn, actor=organiser.user)
        row = db.session.get(Membership, member.id)
        row.renewal_asked_at = utcnow().replace(microsecond=0)
        row.renewal_due_at = utcnow() + timedelta(days=20)
        renew_path = "/renew/" + renewal.make_token(row)
        db.session.commit()

    staff = open_page(js=False)
    sign_in(staff, northshire.organiser_email)
    base = f"/areas/{northshire.slug}"
    for query in (
        "",
        "?status=lapsed",
        "?status=invited&invited=expired",
        "?status=invited&invited=withdrawn",
        "?status=ended",
    ):
        staff.goto(f"{base}/members{query}")
    assert "Posted adverts" in staff.page.locator("main").inner_text()
    staff.goto(f"{base}/members/{member.id}/remove")
    staff.submit("Yes, remove them", status=422)
    staff.goto(f"{base}/settings")
    staff.goto(f"{base}/leave")
    assert "Appoint another organiser first" in staff.page.locator("h1").inner_text()
    staff.goto(f"{base}/members/invite")
    staff.submit("Check and send invitations", status=422)

    visitor = open_page(js=False, viewport=PHONE)
    visitor.goto(renew_path)
    visitor.goto("/renew/not-a-real-link", status=404)
    visitor.goto("/invitations/not-a-real-link", status=404)

    parent = open_page()
    sign_in(parent, "mia@example.org")
    parent.goto("/account")
    assert "Yes, I want to stay" in parent.page.locator("main").inner_text()
    parent.goto(f"{base}/leave")
    lapsed = open_page()
    sign_in(lapsed, "lou@example.org")
    lapsed.goto("/account")
    assert "Renew my membership" in lapsed.page.locator("main").inner_text()
    lapsed.goto(base)
