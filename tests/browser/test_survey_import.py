"""Importing questions, moving one to a position and the live word count, in the browser:
keyboard only, with and without JavaScript, axe on every page and swap. The page's own
counting code is run over awkward strings and must agree with the server's."""

from __future__ import annotations

import pytest

from forum.surveys.counting import clean_text, count_characters, count_words
from tests.browser.support import assert_focus_visible, sign_in, tab_to
from tests.factories import make_consultation, make_survey

pytestmark = pytest.mark.browser

PASTE = """## Education
1. What works well at school?
2. What could be better?
Section: Health
3a) How long did you wait?
3b) What helped while you waited?"""

AWKWARD = [
    "one two three",
    "well-being — and yes—no",
    "👨‍👩‍👧 family 🇬🇧 flag",
    "مرحبا بكم في المنتدى",
    "שלום עולם",
    "non\u00a0breaking\u2009thin\u3000wide\u202fnarrow",
    "first\r\nsecond\rthird\n\n\n\nfourth",
    "  trailing   \n  spaces  ",
    "e\u0301clair \u202ehidden\ufeff",
    "a" * 1499 + "😀",
]


@pytest.fixture
def builder_path(live_server, northshire):
    from forum.areas.queries import get_by_slug

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        consultation = make_consultation(area, state="open", title="Green paper")
        make_survey(consultation)
    return f"/areas/{northshire.slug}/consultations/{consultation.slug}/survey"


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_import_then_move_to_a_position(open_page, northshire, builder_path, js):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(builder_path + "/questions/import")

    # A mistake first: a heading with no title. Nothing is added; the summary names the line.
    organiser.page.get_by_label("Questions", exact=True).fill(PASTE + "\n## ")
    organiser.page.get_by_label("Most words allowed in each answer (optional)").fill("5")
    organiser.submit("Check and add the list", status=422)
    assert (
        "Line 7: The section heading has no title"
        in organiser.page.locator(".govuk-error-summary").inner_text()
    )

    # By keyboard: fix the list, then send it.
    box = organiser.page.get_by_label("Questions", exact=True)
    box.fill(PASTE)
    box.focus()
    tab_to(organiser.page, text="Check and add the list", tag="button")
    assert_focus_visible(organiser.page)
    with organiser.page.expect_navigation():
        organiser.page.keyboard.press("Enter")
    organiser.check()
    assert "4 questions in 2 sections have been added" in organiser.page.content()
    listed = organiser.page.locator("#survey-questions").inner_text()
    assert "Up to 5 words" in listed

    field = organiser.page.get_by_label("Move to position (question 4)")
    field.fill("3")
    organiser.in_place_or_page(lambda: field.press("Enter"), js=js)
    listed = organiser.page.locator("#survey-questions").inner_text()
    assert listed.index("What helped while you waited?") < listed.index("How long did you wait?")

    # Out of its section: refused, in words.
    field = organiser.page.get_by_label("Move to position (question 3)")
    field.fill("1")
    organiser.in_place_or_page(lambda: field.press("Enter"), js=js)
    assert "in the section “Health”" in organiser.page.content()


def test_live_word_count_agrees_with_the_server(open_page, northshire, builder_path):
    organiser = open_page(js=True)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(builder_path + "/questions/import")
    organiser.page.get_by_label("Questions", exact=True).fill("Tell us everything?")
    organiser.page.get_by_label("Most words allowed in each answer (optional)").fill("5")
    organiser.submit("Check and add the list")
    organiser.goto(builder_path + "/preview")

    answer = organiser.page.get_by_label("Tell us everything?", exact=False)
    answer.focus()
    organiser.page.keyboard.type("one two three four five six")
    status = organiser.page.locator("[data-count-status]")
    assert status.inner_text() == "You have 1 word too many"
    assert "govuk-error-message" in (status.get_attribute("class") or "")
    announce = organiser.page.locator("[data-count-announce]")
    organiser.page.wait_for_function(
        "el => el.textContent === 'You have 1 word too many'", arg=announce.element_handle()
    )
    organiser.page.keyboard.press("Backspace")
    organiser.page.keyboard.press("Backspace")
    organiser.page.keyboard.press("Backspace")
    organiser.page.keyboard.press("Backspace")
    assert status.inner_text() == "You have 0 words remaining"
    organiser.check("the preview with the live count")

    counted = organiser.page.evaluate(
        """async (texts) => {
          const counting = await import('/static/dist/counting.js')
          return texts.map((text) => [true, false].map((multiline) => {
            const cleaned = counting.cleanText(text, multiline)
            return [counting.countWords(cleaned), counting.countCharacters(cleaned)]
          }))
        }""",
        AWKWARD,
    )
    for text, browser in zip(AWKWARD, counted, strict=True):
        server = [
            [count_words(c), count_characters(c)]
            for c in (clean_text(text, multiline=True), clean_text(text))
        ]
        assert browser == server, repr(text)
