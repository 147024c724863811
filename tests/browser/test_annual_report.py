"""The annual report end to end (issue 17): an organiser, on the keyboard alone, chooses the
period, writes the foreword and publishes; a visitor on a phone-sized screen, without
JavaScript, finds it from the area's home page and reads it, contents first. axe runs on
every page."""

from __future__ import annotations

from datetime import date

import pytest

from forum.reports.periods import default_period
from tests.browser.support import CheckedPage, press, sign_in, tab_to, type_into

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
FOREWORD = "Thank you to every family who told us what matters."
#: the financial year the organiser reports on: the last one that has ended
YEAR = default_period(date.today()).name


def follow(person: CheckedPage, text: str) -> None:
    tab_to(person.page, text=text)
    press(person, "Enter")


def test_write_publish_and_read_the_annual_report(open_page, northshire):
    organiser = open_page(js=True)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}")
    follow(organiser, "Write the annual report and the grant monitoring return")
    follow(organiser, "Start or open a report")

    # The last financial year that has ended is chosen already; Tab lands on it.
    tab_to(organiser.page, label=YEAR)
    assert organiser.page.evaluate("document.activeElement.checked")
    tab_to(organiser.page, text="Continue", tag="button")
    press(organiser, "Enter")
    assert "ready for your words" in organiser.banner()

    type_into(organiser, "Foreword", FOREWORD)
    tab_to(organiser.page, text="Save and preview", tag="button")
    press(organiser, "Enter")
    main = organiser.page.inner_text("main")
    assert "Preview: not published yet" in main and FOREWORD in main
    tab_to(organiser.page, text="Publish this report", tag="button")
    press(organiser, "Enter")
    assert "The report is published" in organiser.banner()

    # The grant return: the funder's questions, the figures filled in, the words typed.
    follow(organiser, "Grant monitoring return for this period")
    assert "Grant monitoring return" in organiser.page.inner_text("h1")
    type_into(organiser, "Tell us about one change you are most proud of.", "Our transport hubs.")
    tab_to(organiser.page, text="Save your answers", tag="button")
    press(organiser, "Enter")
    assert "Our transport hubs." in organiser.page.inner_text("main")

    visitor = open_page(js=False, viewport=PHONE)
    visitor.goto(f"/areas/{northshire.slug}")
    with visitor.page.expect_navigation():
        visitor.page.get_by_role("link", name=f"read the annual report for {YEAR}").click()
    visitor.check()
    main = visitor.page.inner_text("main")
    assert f"Annual report: {YEAR}" in main
    assert FOREWORD in main and "Nothing was recorded on this website" in main
    assert "Publish this report" not in main
    contents = visitor.page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Foreword").click()
    assert visitor.page.url.endswith("#foreword")
    visitor.check("the report at its foreword")
