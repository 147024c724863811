"""Issue 13 in the browser: a member whose address our emails are refused at is told so when
they sign in, sees why on their account page, and asks for it to be tried again, with
JavaScript off on a phone-sized screen. axe checks every page."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.extensions import db
from forum.notifications import services as outbox
from tests.factories import PASSWORD, make_person_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
ADDRESS = "sam.bounced@example.org"


def test_a_member_is_told_their_address_does_not_work_and_tries_it_again(
    open_page, live_server, northshire
):
    from forum.areas.models import Area

    with live_server.app.app_context():
        area = db.session.scalar(db.select(Area).filter_by(slug=northshire.slug))
        make_person_in(area, Role.MEMBER, email=ADDRESS, name="Sam")
        for _ in range(outbox.UNDELIVERABLE_AFTER):
            outbox.record_refusal(ADDRESS, "550 5.1.1 no such mailbox")
        db.session.commit()

    phone = open_page(js=False, viewport=PHONE)
    phone.goto("/sign-in")
    phone.fill_form({"Email address": ADDRESS, "Password": PASSWORD})
    phone.submit("Sign in")
    assert "Our emails to you are not arriving" in phone.banner()

    phone.goto("/account")
    main = phone.page.inner_text("main")
    assert f"Our emails to {ADDRESS} are not arriving" in main
    assert phone.page.get_by_role("link", name="change your email address", exact=True).is_visible()
    phone.submit("Try this address again")
    assert "We will send emails to your address again" in phone.banner()
    assert "are not arriving" not in phone.page.inner_text("main")
    with live_server.app.app_context():
        assert not outbox.is_undeliverable(ADDRESS)
