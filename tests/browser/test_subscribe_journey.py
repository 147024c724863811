"""A visitor with no account asks for a forum's emails, confirms from the link emailed to
them, gets an announcement, and stops it with one click from the link in its footer; then
deletes the subscription from the link they were sent to keep. By keyboard only, and with
JavaScript off. Every page is axe-checked (see support.py)."""

from __future__ import annotations

import pytest

from tests.browser.support import CheckedPage, assert_focus_visible, press, tab_to, type_into

pytestmark = pytest.mark.browser

SAM = "sam.visitor@example.org"


def h1(checked: CheckedPage) -> str:
    return checked.page.locator("h1").inner_text()


def announce(live_server, slug: str) -> None:
    """The forum sends its public subscribers an announcement about events (an optional email,
    through the person's choices, as announcements and newsletters do)."""
    from sqlalchemy import select

    from forum.areas.models import Area
    from forum.extensions import db
    from forum.notifications import preferences
    from forum.notifications.models import Subscriber
    from forum.notifications.topics import Topic

    with live_server.app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == slug))
        people = db.session.scalars(select(Subscriber).where(Subscriber.area_id == area.id))
        link = f"{live_server.url}/areas/{slug}"
        sent = preferences.notify_each(
            people,
            area,
            Topic.EVENTS,
            lambda person: preferences.Mail(
                template="thread_reply",
                kind="announcement",
                title="A coffee morning",
                link=link,
                context={
                    "user": {"display_name": "there"},
                    "thread": {"title": "A coffee morning"},
                    "link": link,
                },
            ),
            audience="public",
        )
        db.session.commit()
    assert sent == 1


def kept_link(live_server) -> str:
    """The link to their choices, from the email that welcomed them (not the latest one)."""
    from tests.conftest import link_in

    [welcome] = [m for m in live_server.inbox.to(SAM) if "subscribed" in m["Subject"]]
    return link_in(welcome, "/subscriptions/")


def subscriptions(live_server) -> list:
    from sqlalchemy import select

    from forum.extensions import db
    from forum.notifications.models import Subscriber

    with live_server.app.app_context():
        return list(db.session.scalars(select(Subscriber)))


def test_subscribe_confirm_and_unsubscribe_by_keyboard_only(open_page, live_server, northshire):
    visitor = open_page()
    page = visitor.page
    visitor.goto(f"/areas/{northshire.slug}")
    tab_to(page, text=f"Get emails from {northshire.forum_name}")
    assert_focus_visible(page)
    press(visitor, "Enter")
    assert h1(visitor) == f"Get emails from {northshire.forum_name}"

    # Sent with nothing ticked: the mistakes are listed, and focus goes to the summary.
    type_into(visitor, "Email address", SAM)
    tab_to(page, text="Subscribe", tag="button")
    press(visitor, "Enter")
    assert page.title().startswith("Error: ")
    assert "Choose at least one kind of email" in page.locator(".govuk-error-summary").inner_text()

    tab_to(page, label="Consultations")
    assert_focus_visible(page)
    page.keyboard.press("Space")
    tab_to(page, label="Events")
    page.keyboard.press("Space")
    tab_to(page, text="Subscribe", tag="button")
    press(visitor, "Enter")
    assert h1(visitor) == "Check your email"

    visitor.goto(live_server.link_emailed_to(SAM, "/subscribe/confirm/"))
    assert h1(visitor) == f"Confirm you want emails from {northshire.forum_name}"
    assert not subscriptions(live_server)[0].is_confirmed  # opening the link changed nothing
    tab_to(page, text="Yes, send me these emails", tag="button")
    assert_focus_visible(page)
    press(visitor, "Enter")
    assert f"You are subscribed to emails from {northshire.forum_name}" in visitor.banner()
    assert h1(visitor) == f"Your emails from {northshire.forum_name}"

    announce(live_server, northshire.slug)
    visitor.goto(live_server.link_emailed_to(SAM, "/unsubscribe/", count=3))
    assert h1(visitor) == f"Stop events emails from {northshire.forum_name}"
    tab_to(page, text="Stop these emails", tag="button")
    assert_focus_visible(page)
    press(visitor, "Enter")
    assert "You have unsubscribed" in page.locator("main").inner_text()

    # From there, to all their choices: events are stopped, the rest as they were.
    tab_to(
        page,
        text=f"Change all your emails from {northshire.forum_name}, or delete your subscription",
    )
    press(visitor, "Enter")
    assert h1(visitor) == f"Your emails from {northshire.forum_name}"
    assert page.get_by_role("group", name="Events").get_by_label("Never").is_checked()
    assert (
        page.get_by_role("group", name="Consultations").get_by_label("Straight away").is_checked()
    )


def test_subscribe_confirm_unsubscribe_and_delete_without_javascript(
    open_page, live_server, northshire
):
    visitor = open_page(js=False)
    visitor.goto(f"/areas/{northshire.slug}/subscribe")
    visitor.fill_form({"Email address": "not an address"})
    visitor.submit("Subscribe", status=422)
    assert (
        "Enter an email address in the correct format"
        in visitor.page.locator(".govuk-error-summary").inner_text()
    )
    visitor.fill_form({"Email address": SAM})
    visitor.page.get_by_label("Events", exact=True).check()
    visitor.submit("Subscribe")
    assert h1(visitor) == "Check your email"

    visitor.goto(live_server.link_emailed_to(SAM, "/subscribe/confirm/"))
    visitor.submit("Yes, send me these emails")
    assert h1(visitor) == f"Your emails from {northshire.forum_name}"

    announce(live_server, northshire.slug)
    visitor.goto(live_server.link_emailed_to(SAM, "/unsubscribe/", count=3))
    visitor.submit("Stop these emails")
    assert "You have unsubscribed" in visitor.page.locator("main").inner_text()

    visitor.goto(kept_link(live_server))
    visitor.submit("Delete my subscription")
    assert h1(visitor) == "Your subscription is deleted"
    assert subscriptions(live_server) == []

    # The kept link no longer works, and says so.
    visitor.goto(kept_link(live_server), status=404)
    assert h1(visitor) == "This link does not work"
