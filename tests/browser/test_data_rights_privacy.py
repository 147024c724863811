"""Families' data rights in the browser: withdrawing consent to be quoted (an account holder from
their account; someone without an account through the private link on their confirmation page),
the privacy notice, and the export form that asks why email addresses are needed. By keyboard
only with JavaScript, and by mouse with JavaScript off (the mouse with JavaScript sends the same
requests as the keyboard, so it is not run a third time); axe runs on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import assert_focus_visible, normalise, sign_in, tab_to
from tests.factories import make_consultation, make_person_in, make_question, make_survey

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 720}
WORDS = "The bus never waits for my son"


@pytest.fixture
def survey(live_server, northshire):
    """An open public consultation whose one-page survey asks for words and consent."""
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email="pat.parent@example.org", name="Pat Parent")
        consultation = make_consultation(area, state="open", title="Getting to school")
        survey = make_survey(consultation)
        make_question(survey, kind="long_text", prompt="What would make the journey better?")
        make_question(survey, kind="consent", prompt="May we quote your words?")
    return f"/areas/{northshire.slug}/consultations/{consultation.slug}/survey"


def _answer_and_send(checked, survey: str) -> None:
    checked.goto(survey + "/answer")
    checked.page.get_by_label("What would make the journey better?").fill(WORDS)
    checked.page.get_by_label("Yes, you may quote my words without my name", exact=True).check()
    checked.submit("Send your answers")
    assert "Your answers have been sent" in checked.page.inner_text("main")


def _press(checked, button: str, *, keyboard: bool, status: int = 200) -> None:
    if keyboard:
        tab_to(checked.page, text=button, tag="button")
        assert_focus_visible(checked.page)
        with checked.page.expect_navigation() as navigation:
            checked.page.keyboard.press("Enter")
        assert navigation.value.status == status
        checked.check()
    else:
        checked.submit(button, status=status)


@pytest.mark.parametrize(
    ("js", "keyboard"),
    [(True, True), (False, False)],
    ids=["keyboard", "no-js"],
)
def test_account_holder_withdraws_consent_from_their_account(open_page, survey, js, keyboard):
    parent = open_page(js=js)
    sign_in(parent, "pat.parent@example.org")
    parent.page.set_viewport_size(PHONE)
    _answer_and_send(parent, survey)
    done = parent.page.inner_text("main")
    assert "You said the forum may quote your words" in done
    assert "/quoting/" not in parent.page.content(), "account holders need no private link"

    parent.goto("/account/feedback")
    with parent.page.expect_navigation():
        parent.page.get_by_role("link", name="your survey answers").click()
    parent.check()
    listed = normalise(parent.page.inner_text("main"))
    assert "Getting to school" in listed and "You said they may quote your words" in listed
    with parent.page.expect_navigation():
        parent.page.get_by_role("link", name=re.compile("^Stop quoting my words")).click()
    parent.check()
    assert "may quote what you wrote" in parent.page.inner_text("main")

    _press(parent, "Stop quoting my words", keyboard=keyboard)
    assert "We will not quote your words." in parent.banner()
    main = normalise(parent.page.inner_text("main"))
    assert "will not quote your words" in main
    assert "Withdrew consent, do not quote" in main and "Answered the question" in main

    # While the consultation is open they may change their mind again.
    _press(parent, "You may quote my words", keyboard=keyboard)
    assert "may quote your words" in parent.banner()


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_visitor_withdraws_consent_through_the_private_link(open_page, survey, js):
    visitor = open_page(js=js, viewport=PHONE)
    _answer_and_send(visitor, survey)
    link = visitor.page.locator(".app-resume-link a").get_attribute("href")
    assert "/survey/quoting/" in link
    assert "Keep this private link" in visitor.page.inner_text("main")

    # Weeks later, on another device.
    elsewhere = open_page(js=js, viewport=PHONE)
    with elsewhere.page.expect_navigation() as navigation:
        elsewhere.page.goto(link)
    assert navigation.value.url.endswith("/survey/quoting"), "the secret leaves the address"
    elsewhere.check()
    assert "may quote what you wrote" in elsewhere.page.inner_text("main")
    elsewhere.submit("Stop quoting my words")
    assert "We will not quote your words." in elsewhere.banner()


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_privacy_notice_for_the_site_and_for_a_forum(open_page, northshire, js):
    reader = open_page(js=js, viewport=PHONE)
    reader.goto("/privacy")
    text = normalise(reader.page.inner_text("main"))
    assert "Each forum is responsible" in text and "0303 123 1113" in text
    # Keyboard: the contents lead to each part.
    tab_to(reader.page, text="Complaints", tag="a")
    assert_focus_visible(reader.page)
    reader.page.keyboard.press("Enter")
    reader.page.wait_for_url("**/privacy#complain")  # (a busy machine may take a moment)

    reader.goto(f"/areas/{northshire.slug}")
    with reader.page.expect_navigation():
        reader.page.get_by_role("link", name="Privacy notice").click()
    reader.check()
    assert f"{northshire.forum_name} is responsible" in normalise(reader.page.inner_text("main"))


@pytest.mark.parametrize(
    ("js", "keyboard"),
    [(True, True), (False, False)],
    ids=["keyboard", "no-js"],
)
def test_organiser_asks_for_email_addresses_and_says_why(
    open_page, survey, northshire, js, keyboard
):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(survey + "/export")
    reason = organiser.page.get_by_label("Why do you need their email addresses?")
    if js:
        assert not reason.is_visible(), "the reason appears when the box is ticked"
    if keyboard:
        tab_to(organiser.page, label="Include people's email addresses")
        assert_focus_visible(organiser.page)
        organiser.page.keyboard.press("Space")
    else:
        organiser.page.get_by_label("Include people's email addresses").check()
    assert reason.is_visible()
    # No reason: the form comes back with the message in the summary and by the field.
    _press(organiser, "Download the spreadsheet (CSV)", keyboard=keyboard, status=422)
    assert (
        "Say why you need the email addresses"
        in organiser.page.locator(".govuk-error-summary").inner_text()
    )
    organiser.page.get_by_label("Why do you need their email addresses?").fill(
        "Parents asked us to invite them to the follow-up workshop"
    )
    with organiser.page.expect_download() as download:
        if keyboard:
            organiser.page.get_by_label("Why do you need their email addresses?").focus()
            tab_to(organiser.page, text="Download the spreadsheet (CSV)", tag="button")
            organiser.page.keyboard.press("Enter")
        else:
            organiser.page.get_by_role("button", name="Download the spreadsheet (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_organiser_stops_quoting_someone_who_phoned(open_page, live_server, survey, northshire, js):
    visitor = open_page(js=js)
    _answer_and_send(visitor, survey)
    reference = re.search(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", visitor.page.inner_text("main"))

    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(survey)
    with organiser.page.expect_navigation():
        organiser.page.get_by_role("link", name="Stop quoting someone who asked you").click()
    organiser.check()
    organiser.submit("Stop quoting them", status=422)
    assert "Enter the reference" in organiser.page.locator(".govuk-error-summary").inner_text()
    organiser.page.get_by_label("Their reference").fill(reference.group(0).lower())
    organiser.submit("Stop quoting them")
    assert f"no longer quote response {reference.group(0)}" in organiser.banner()
