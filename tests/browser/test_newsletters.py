"""An organiser writes a newsletter, checks it (preview and recipient count), sends a test to
themself and sends it, all from the keyboard; the progress page updates itself (htmx) while
the emails go; a member reads it in the archive. axe on every page and swap."""

from __future__ import annotations

import pytest

from tests.browser.support import (
    assert_focus_visible,
    press,
    sign_in,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def members(live_server, northshire):
    from forum.areas.models import Area, Role
    from forum.extensions import db
    from forum.notifications import preferences
    from forum.notifications.topics import Frequency, Topic
    from tests.factories import make_person_in

    with live_server.app.app_context():
        area = db.session.query(Area).filter_by(slug=northshire.slug).one()
        for n in range(3):
            person = make_person_in(area, Role.MEMBER, email=f"parent{n}@example.org")
            preferences.choose(person, area.id, Topic.NEWSLETTERS, Frequency.IMMEDIATELY)
        db.session.commit()


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_organiser_writes_tests_and_sends_a_newsletter(
    open_page, live_server, northshire, members, js
):
    olive = open_page(js=js)
    sign_in(olive, northshire.organiser_email)
    olive.goto(f"/areas/{northshire.slug}/newsletters/manage")
    page = olive.page

    tab_to(page, text="Write a message")
    assert_focus_visible(page)
    press(olive, "Enter")
    type_into(olive, "Subject", "Autumn news")
    type_into(olive, "Message", "Hello everyone.\n\n- Coffee morning on **3 October**")
    tab_to(page, text="Save and check", tag="button")
    press(olive, "Enter")
    assert "Check and send" in page.locator("h1").inner_text()
    assert "3 October" in page.locator(".app-newsletter-preview").inner_text()
    assert "3 people now" in page.locator("#recipient-count").inner_text()

    tab_to(page, text="Send me a test", tag="button")
    press(olive, "Enter")
    assert f"A test is on its way to {northshire.organiser_email}" in olive.banner()

    tab_to(page, text="Send now", tag="button")
    press(olive, "Enter")
    assert "Sending has started" in olive.banner()
    assert page.locator("#newsletter-progress[hx-trigger]").count() == 1

    from forum.mailings.newsletters.services import fan_out_due

    with live_server.app.app_context():
        assert fan_out_due() == 3
    live_server.deliver_email()
    if js:
        with olive.swap(timeout=10):
            page.wait_for_selector("#newsletter-progress:not([hx-trigger])", timeout=8000)
    else:
        tab_to(page, text="Refresh the figures", tag="a")
        press(olive, "Enter")
    figures = page.locator("#newsletter-progress").inner_text()
    assert "Delivered\n3" in figures.replace("\t", "\n"), figures
    messages = live_server.inbox.wait_for(northshire.organiser_email)
    assert messages[0]["Subject"] == "[Test] Autumn news"
    for n in range(3):
        assert live_server.inbox.wait_for(f"parent{n}@example.org")[0]["Subject"] == "Autumn news"

    parent = open_page(js=js)
    sign_in(parent, "parent0@example.org")
    parent.goto(f"/areas/{northshire.slug}/newsletters")
    tab_to(parent.page, text="Autumn news", tag="a")
    press(parent, "Enter")
    assert "Coffee morning" in parent.page.locator(".app-newsletter-body").inner_text()
    olive.goto(f"/areas/{northshire.slug}/newsletters/manage")
