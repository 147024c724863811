"""An organiser chooses the reminder of a consultation, with the keyboard and without
JavaScript, on the "Emails about this consultation" page. axe on every page."""

from __future__ import annotations

import pytest

from tests.browser.support import assert_focus_visible, press, sign_in, tab_to
from tests.factories import make_consultation

pytestmark = pytest.mark.browser


@pytest.fixture
def consultation(live_server, northshire):
    from forum.areas.queries import get_by_slug

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        made = make_consultation(area, state="open", title="Short breaks for disabled children")
    return northshire, made.slug


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_organiser_sets_the_reminder(open_page, consultation, js):
    area, slug = consultation
    organiser = open_page(js=js)
    sign_in(organiser, area.organiser_email)
    organiser.goto(f"/areas/{area.slug}/consultations/{slug}")
    organiser.page.get_by_role("link", name="Emails about this consultation").click()
    organiser.page.wait_for_url("**/emails")
    organiser.check()

    # A mistake first: the error summary, and the message beside the field.
    organiser.page.get_by_label("How many days before it closes?").fill("30")
    organiser.submit("Save the reminder settings", status=422)
    assert (
        "whole number from 1 to 14" in organiser.page.locator(".govuk-error-summary").inner_text()
    )

    if js:
        # By keyboard alone: the radios, the number, the button.
        tab_to(organiser.page, label="Send a reminder to people who have not answered yet")
        assert_focus_visible(organiser.page)
        organiser.page.keyboard.press("Space")
        tab_to(organiser.page, label="How many days before it closes?")
        assert_focus_visible(organiser.page)
        organiser.page.keyboard.press("Control+A")
        organiser.page.keyboard.type("5")
        tab_to(organiser.page, text="Save the reminder settings", tag="button")
        assert_focus_visible(organiser.page)
        press(organiser, "Enter")
    else:
        organiser.page.get_by_label("Send a reminder to people who have not answered yet").check()
        organiser.page.get_by_label("How many days before it closes?").fill("5")
        organiser.submit("Save the reminder settings")
    assert "Your reminder settings are saved." in organiser.banner()
    organiser.goto(f"/areas/{area.slug}/consultations/{slug}/emails")
    assert organiser.page.get_by_label("How many days before it closes?").input_value() == "5"
    assert "With the saved settings, it goes on" in organiser.page.locator("main").inner_text()
