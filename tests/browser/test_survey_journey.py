"""The whole of a consultation's survey, end to end, as the issue describes it: an organiser
builds six questions with a show-if and opens the consultation; a parent answers on a phone,
saves, leaves, comes back and sends; the organiser codes two written answers and publishes
the results; a visitor sees the chart and the table. Once, with the mode varied by person: the
organiser with JavaScript (htmx), the parent and the visitor with JavaScript off; axe on every
page. Each part in the other modes (keyboard only, JavaScript on and off) is in the answering,
coding, builder and results tests, so the whole journey is not run twice."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import normalise, sign_in
from tests.factories import make_consultation, make_person_in, make_response, make_survey

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 720}
DESK = {"width": 1024, "height": 768}

#: kind, fields to fill by label, radios to choose by label
QUESTIONS = [
    ("yes_no", {"Question": "Does your child have an EHC plan?"}, []),
    (
        "single_choice",
        {"Question": "Which school setting?", "Options": "Mainstream\nSpecial school"},
        ["No"],  # no "Other" answer
    ),
    (
        "scale",
        {
            "Question": "How happy are you with the support?",
            "Words for 1, the lowest point": "Very unhappy",
            "Words for 5, the highest point": "Very happy",
        },
        [],
    ),
    (
        "multiple_choice",
        {"Question": "What helps your family?", "Options": "Clubs\nRespite\nTherapy"},
        ["No"],
    ),
    ("long_text", {"Question": "What would make the biggest difference?"}, []),
    ("consent", {}, []),
]


def _click(checked, name: str, *, role: str = "button", status: int = 200) -> None:
    with checked.page.expect_navigation() as navigation:
        checked.page.get_by_role(role, name=name, exact=True).click()
    assert navigation.value.status == status, navigation.value.url
    checked.check()


@pytest.fixture
def draft(live_server, northshire):
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email="pat.parent@example.org", name="Pat Parent")
        consultation = make_consultation(area, state="draft", title="Support at school")
        make_survey(consultation)
    return f"/areas/{northshire.slug}/consultations/{consultation.slug}"


def _others_respond(live_server, path: str, count: int) -> None:
    """More parents answer, so the published results have groups of 5 or more."""
    from sqlalchemy import select

    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from forum.consultations.models import Consultation
    from forum.extensions import db
    from forum.surveys.queries import get_survey, questions_of

    slug = path.rsplit("/", 1)[1]
    with live_server.app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        survey = get_survey(consultation)
        q = questions_of(survey)
        area = get_by_slug(consultation.area.slug)
        for n in range(count):
            person = make_person_in(area, Role.MEMBER, email=f"parent{n}@example.org")
            make_response(
                survey,
                user=person,
                status="submitted",
                answers={
                    q[0]: "no",
                    q[2]: "4",
                    q[3]: ["clubs", "respite"],
                    q[4]: f"Clubs in the holidays would help us, parent {n}",
                    q[5]: "yes",
                },
            )


def test_build_answer_code_publish_and_see(open_page, live_server, northshire, draft):
    survey = draft + "/survey"

    # --- the organiser builds six questions, one shown only after "Yes", and opens it -------
    organiser = open_page(js=True)
    sign_in(organiser, northshire.organiser_email)
    for kind, fields, radios in QUESTIONS:
        organiser.goto(f"{survey}/questions/new?kind={kind}")
        for label, value in fields.items():
            organiser.page.get_by_label(label, exact=True).fill(value)
        for label in radios:
            organiser.page.get_by_role("group", name=re.compile("Other")).get_by_label(
                label, exact=True
            ).check()
        required = organiser.page.get_by_role("group", name="Must people answer it?")
        required.get_by_label("No" if kind == "long_text" else "Yes", exact=True).check()
        if kind == "single_choice":
            details = organiser.page.locator("details.govuk-details")
            details.locator("summary").click()
            details.get_by_label("Yes", exact=True).check()
        _click(organiser, "Add the question")
    listed = organiser.page.locator("#survey-questions").inner_text()
    assert "Shown only if question 1" in listed
    organiser.goto(draft)
    _click(organiser, "Check and publish")
    _click(organiser, "Publish")
    _click(organiser, "Open it now")
    assert "Open" in organiser.page.inner_text("main")

    # --- a parent answers on a phone, saves, leaves, comes back and sends --------------------
    parent = open_page(js=False)
    sign_in(parent, "pat.parent@example.org")
    parent.page.set_viewport_size(PHONE)
    parent.goto(draft)
    _click(parent, "Answer the survey")
    _click(parent, "Start now")
    parent.page.get_by_label("Yes", exact=True).first.check()
    parent.page.get_by_label("Special school", exact=True).check()
    parent.page.get_by_label("What would make the biggest difference? (optional)").fill(
        "A quiet room at lunchtime, and staff who know autism"
    )
    _click(parent, "Save and come back later")
    assert "Your answers are saved" in parent.page.inner_text("main")
    parent.context.clear_cookies()
    parent.page.set_viewport_size(DESK)
    sign_in(parent, "pat.parent@example.org")
    parent.page.set_viewport_size(PHONE)
    parent.goto(survey + "/start")
    _click(parent, "Carry on where you left off")
    text = parent.page.get_by_label("What would make the biggest difference? (optional)")
    assert text.input_value() == "A quiet room at lunchtime, and staff who know autism"
    parent.page.get_by_label("2", exact=True).check()
    parent.page.get_by_label("Therapy", exact=True).check()
    parent.page.get_by_label("Yes, you may quote my words without my name", exact=True).check()
    _click(parent, "Send your answers")
    done = parent.page.inner_text("main")
    assert "Your answers have been sent" in done and "Special school" in done
    reference = re.search(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", done).group(0)

    _others_respond(live_server, draft, 5)

    # --- the organiser codes two written answers and publishes the results ------------------
    organiser.goto(survey)
    _click(organiser, "Read and code the written answers", role="link")
    _click(organiser, "5. What would make the biggest difference?", role="link")
    for answer, code in ((reference, "Quiet spaces"), (None, "Holiday clubs")):
        row = (
            organiser.page.locator(".app-coding-answer", has_text=answer)
            if answer
            else organiser.page.locator(".app-coding-answer", has_text="parent 0")
        )
        # A box with a list of the codes so far (a combobox to assistive technology).
        row.get_by_role("combobox", name=re.compile("Add a code")).fill(code)
        button = row.get_by_role("button", name=re.compile("^Add code"))
        organiser.in_place_or_page(button.click, js=True)
    assert (
        "Quiet spaces"
        in organiser.page.locator(".app-coding-answer", has_text=reference).inner_text()
    )
    organiser.goto(survey + "/coding")
    overview = normalise(organiser.page.inner_text("main"))
    assert "Quiet spaces" in overview and "Holiday clubs" in overview

    # The downloads page explains the files; a download is a file, not a page.
    organiser.goto(survey + "/export")
    with organiser.page.expect_download() as download:
        organiser.page.get_by_role("button", name=re.compile("CSV")).click()
    assert download.value.suggested_filename.endswith(".csv")

    organiser.goto(survey + "/results")
    organiser.page.get_by_label("Published to everyone", exact=True).check()
    _click(organiser, "Save who can see the results")
    assert "Published to everyone" in organiser.page.inner_text("main")

    # --- a visitor sees the chart and the table ---------------------------------------------
    visitor = open_page(js=False)
    visitor.goto(draft)
    _click(visitor, "See the survey results", role="link")
    results = visitor.page.locator("#survey-results")
    assert "5 people responded" in results.inner_text(), "6, rounded to the nearest 5"
    assert visitor.page.locator("svg.app-chart").first.is_visible()
    table = visitor.page.get_by_role("table", name="Answers to question 1")
    rows = [normalise(r) for r in table.locator("tbody tr").all_inner_texts()]
    # 5 said no and 1 yes: the 1 is withheld, and so is the 5 it could be worked out from.
    assert rows[0].startswith("Yes fewer than 5") and rows[1].startswith("No not shown")
    assert "A quiet room" not in visitor.page.content(), "what people wrote is not published"
