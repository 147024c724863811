"""Free-text coding in the browser, by keyboard only: an organiser tags one answer with a new
code and another with the same code typed differently, takes a code off, and shows more
answers. With htmx each change swaps the answer's row in place and keeps the focus in the
row; without JavaScript every form and link works as a plain page. axe after every swap."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.browser.support import focused, normalise, sign_in, tab_to
from tests.factories import make_consultation, make_question, make_response, make_survey

pytestmark = pytest.mark.browser

WAIT = "We waited 18 months for an assessment."
RESPITE = "Respite care saved our family.\nPlease keep it."


@pytest.fixture
def coding_world(live_server, northshire):
    """An open consultation whose written question has 25 older answers and two new ones (the
    newest from someone who agreed to be quoted)."""
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.surveys.models import Answer, Response

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        consultation = make_consultation(area, state="open", title="Short breaks")
        survey = make_survey(consultation)
        story = make_question(survey, kind="long_text", prompt="What would help your family?")
        consent = make_question(survey, kind="consent", prompt="May we quote you?")
        for n in range(25):
            make_response(survey, status="submitted", answers={story: f"Older answer {n}"})
        make_response(survey, status="submitted", answers={story: RESPITE, consent: "no"})
        make_response(survey, status="submitted", answers={story: WAIT, consent: "yes"})
        references = dict(
            db.session.execute(
                select(Answer.text, Response.reference).join(
                    Response, Response.id == Answer.response_id
                )
            ).all()
        )
    base = f"/areas/{northshire.slug}/consultations/{consultation.slug}/survey/coding"
    return {
        "overview": base,
        "page": f"{base}/{story.id}",
        "wait": references[WAIT],
        "respite": references[RESPITE],
    }


def counts(live_server) -> tuple[int, int]:
    from forum.extensions import db
    from forum.surveys.models import AnswerCode, Code

    with live_server.app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Code)),
            db.session.scalar(select(func.count()).select_from(AnswerCode)),
        )


def codes_on(page, reference: str) -> list[str]:
    row = page.locator(".app-coding-answer", has_text=f"Reference {reference}")
    return [normalise(t) for t in row.locator(".app-coding-tag__name").all_inner_texts()]


def send(organiser, js: bool, key: str = "Enter") -> None:
    """Press `key` on what has focus: an htmx swap with JavaScript, a new page without."""
    organiser.in_place_or_page(lambda: organiser.page.keyboard.press(key), js=js)


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_tag_two_answers_by_keyboard(open_page, live_server, northshire, coding_world, js):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(coding_world["overview"])
    page = organiser.page
    assert "27" in page.locator("table").first.inner_text()
    organiser.goto(coding_world["page"])
    assert page.get_by_text("27 written answers").is_visible()
    wait, respite = coding_world["wait"], coding_world["respite"]

    # A new code on the first answer: typed, then Enter.
    tab_to(page, label=f"Add a code to answer {wait}")
    page.keyboard.type("Waiting times")
    send(organiser, js)
    assert codes_on(page, wait) == ["Waiting times"]
    if js:
        assert focused(page)["id"] == f"code-{_answer_id(page, wait)}", "focus stays in the row"
        assert "New code “Waiting times”" in page.locator("#coding-status").inner_text()
        assert page.locator("#coding-codes option").count() == 1, "offered on every answer"
    else:
        assert "New code “Waiting times” made" in organiser.banner()

    # The same code on another answer, typed in other letters: no second code is made.
    tab_to(page, label=f"Add a code to answer {respite}")
    page.keyboard.type("waiting TIMES")
    send(organiser, js)
    assert codes_on(page, respite) == ["Waiting times"]
    assert counts(live_server) == (1, 2)

    # Take it off the second answer again: its button is just before the box (with htmx the
    # focus is still in the box; without, the page opens at the answer).
    remove = f"Remove the code “Waiting times” from answer {respite}"
    if js:
        shift_tab_to(page, remove)
    else:
        tab_to(page, text=remove, tag="button")
    send(organiser, js)
    assert codes_on(page, respite) == []
    assert counts(live_server) == (1, 1)
    box = f"code-{_answer_id(page, respite)}"
    if js:
        assert focused(page)["id"] == box, "the focus moves to the box for adding a code"
    else:
        tab_to(page, label=f"Add a code to answer {respite}")

    # A mistake is explained beside the box.
    assert focused(page)["id"] == box
    if js:
        # The form answers 422 with its mistakes, swapped in place.
        with organiser.swap():
            page.keyboard.press("Enter")
            page.wait_for_selector(".app-coding-answer .govuk-error-message")
        row = page.locator(f"#answer-{_answer_id(page, respite)}")
        assert "Enter a code" in row.locator(".govuk-error-message").inner_text()
    else:
        with page.expect_navigation():
            page.keyboard.press("Enter")
        organiser.check()
        assert page.title().startswith("Error: ")
        assert "Enter a code" in page.locator(".govuk-error-summary").inner_text()
        organiser.goto(coding_world["page"])

    # Older answers: 25 on the first page, then the rest.
    assert page.locator(".app-coding-answer").count() == 25
    # each answer has a link to its whole response, a box and a button: many stops
    tab_to(page, text="Show more answers", max_presses=140)
    send(organiser, js)
    if js:
        assert page.locator(".app-coding-answer").count() == 27
        assert normalise(focused(page)["text"]) == "Older answer 1", "focus on the first new one"
    else:
        assert page.locator(".app-coding-answer").count() == 2
        assert page.get_by_text("Back to the newest answers").is_visible()


def _answer_id(page, reference: str) -> str:
    row = page.locator(".app-coding-answer", has_text=f"Reference {reference}")
    return row.get_attribute("id").removeprefix("answer-")


def shift_tab_to(page, text: str, max_presses: int = 10) -> None:
    """Press Shift+Tab until the focused element's text is `text`."""
    for _ in range(max_presses):
        page.keyboard.press("Shift+Tab")
        if focused(page)["text"] == text:
            return
    raise AssertionError(f"Shift+Tab never reached {text!r}")
