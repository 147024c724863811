"""Issue 12, point 3 in the browser: a parent confirms their response from an emailed link, and
an organiser finds a burst of responses and quarantines, then releases, it. By keyboard
only with JavaScript, and by mouse with JavaScript off (a click and a key press send the same
request, so the mouse with JavaScript is not run a third time); axe runs on every page."""

from __future__ import annotations

import pytest

from tests.browser.support import sign_in, tab_to
from tests.factories import make_consultation, make_question, make_response, make_survey

pytestmark = pytest.mark.browser

MODES = pytest.mark.parametrize(
    ("js", "keyboard"),
    [(True, True), (False, False)],
    ids=["keyboard", "no-js"],
)
DEVICE = "c" * 64


@pytest.fixture
def survey(live_server, northshire):
    """A public, anonymous survey that counts a response only once its address is confirmed,
    with a burst of five identical responses from one device."""
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.surveys.models import Response

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        consultation = make_consultation(area, state="open", title="Short breaks")
        survey = make_survey(consultation, is_anonymous=True, requires_confirmed_email=True)
        colour = make_question(
            survey, prompt="Which would help most?", options=("Clubs", "Respite")
        )
        ids = [
            make_response(survey, status="submitted", answers={colour: "clubs"}).id
            for _ in range(5)
        ]
        for response_id in ids:
            db.session.get(Response, response_id).device_hash = DEVICE
        db.session.commit()
    return f"/areas/{northshire.slug}/consultations/{consultation.slug}/survey"


def _press(checked, button: str, *, keyboard: bool, status: int = 200) -> None:
    if keyboard:
        tab_to(checked.page, text=button, tag="button")
        with checked.page.expect_navigation() as navigation:
            checked.page.keyboard.press("Enter")
        assert navigation.value.status == status
        checked.check()
    else:
        checked.submit(button, status=status)


@MODES
def test_a_parent_confirms_their_response_by_email(open_page, live_server, survey, js, keyboard):
    parent = open_page(js=js)
    parent.goto(survey + "/start")
    start = parent.page.inner_text("main")
    assert "This survey asks you to confirm an email address" in start
    assert "We do not keep your email address" in start
    with parent.page.expect_navigation():
        parent.page.get_by_role("button", name="Start now").click()
    parent.check()
    parent.page.get_by_label("Respite", exact=True).check()
    _press(parent, "Send your answers", keyboard=keyboard)
    done = parent.page.inner_text("main")
    assert "One more step: confirm an email address" in done
    assert "do not count yet" in done

    # A mistake first: the error summary, and the message by the field.
    parent.page.get_by_label("Email address").fill("not an address")
    _press(parent, "Send me the link", keyboard=keyboard, status=422)
    assert "correct format" in parent.page.locator(".govuk-error-message").inner_text()
    if keyboard:
        tab_to(parent.page, label="Email address")
        parent.page.keyboard.press("Control+A")
        parent.page.keyboard.type("sam.parent@example.org")
    else:
        parent.page.get_by_label("Email address").fill("sam.parent@example.org")
    _press(parent, "Send me the link", keyboard=keyboard)
    assert "Check your email" in parent.page.inner_text("main")

    link = live_server.link_emailed_to("sam.parent@example.org", r"/confirm/")
    # Opened from the email, perhaps on another device.
    phone = open_page(js=js)
    phone.goto(link.removeprefix(live_server.url))
    assert "Confirm your response" in phone.page.inner_text("main")
    _press(phone, "Confirm my response", keyboard=keyboard)
    assert "Your response counts" in phone.page.inner_text("main")


@MODES
def test_an_organiser_quarantines_a_burst_and_releases_it(
    open_page, survey, northshire, js, keyboard
):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(survey)
    with organiser.page.expect_navigation():
        organiser.page.get_by_role("link", name="Check for bursts of responses").click()
    organiser.check()
    main = organiser.page.inner_text("main")
    assert "Bursts of responses" in main and "5 responses counted" in main
    assert organiser.page.locator(".govuk-tag", has_text="Check").first.is_visible()

    name = f"Quarantine 5 from device {DEVICE[:6].upper()}"
    if keyboard:
        _press(organiser, name, keyboard=True)
    else:
        with organiser.page.expect_navigation():
            organiser.page.get_by_role("button", name=name).click()
        organiser.check()
    assert "5 responses quarantined" in organiser.banner()
    main = organiser.page.inner_text("main")
    assert "0 responses counted" in main
    assert f"By {northshire.organiser_name}" in main
    assert f"{northshire.organiser_name} quarantined 5 responses" in main

    # Release one of them from the quarantined list.
    with organiser.page.expect_navigation():
        organiser.page.get_by_role("button", name="Release response").first.click()
    organiser.check()
    assert "1 response released" in organiser.banner()
    assert "1 response counted" in organiser.page.inner_text("main")
    assert f"{northshire.organiser_name} released 1 response" in organiser.page.inner_text("main")
