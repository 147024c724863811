"""The forum's collective response and a national outcome, end to end through accessible names
(issue 14): the organiser drafts a part beside the coded answers, shares the draft; a member
comments (once with nothing written, which is refused); the organiser marks it final,
publishes it and records where it was sent, then records a national outcome on a theme; a
visitor reads both on the consultation page and opens the print view.

Here with JavaScript off for everyone; the same steps with htmx (the part's form opening in
place, by the organiser) are in test_consultation_journey.py, which runs them as part of the
whole consultation. axe runs on every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.browser.support import CheckedPage, sign_in

pytestmark = pytest.mark.browser

MEMBER = "pat.parent@example.org"
CONSULTATION = "Green paper on SEND"
SECTION = "Chapter 1 Early help"
QUESTION = "What is it like to wait for help?"
DRAFT = "Families wait far too long. The forum asks for a national waiting-time standard."
COMMENT = "Please add that letters about the waiting list are hard to understand."
BODY = "Department for Education"
NATIONAL = "The improvement plan sets a national standard for waiting times."


@dataclass
class Place:
    consultation: str
    theme: str
    organiser: str


@pytest.fixture
def place(live_server, northshire) -> Place:
    """A consultation that has closed, its survey in a chapter with one written question, seven
    answers coded "Waiting", and a published theme, so "you said, we did" shows."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from forum.consultations.models import Consultation
    from forum.extensions import db
    from forum.models import utcnow
    from forum.outcomes.themes.models import Theme
    from forum.surveys.coding import services as coding
    from forum.surveys.models import Answer, Section, Survey
    from tests.factories import (
        make_consultation,
        make_person_in,
        make_question,
        make_response,
        make_survey,
        make_theme,
    )

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email=MEMBER, name="Pat Parent")
        consultation = make_consultation(area, state="closed", title=CONSULTATION)
        survey = make_survey(consultation)
        section = Section(
            survey_id=survey.id, area_id=area.id, title="Early help", number="Chapter 1"
        )
        db.session.add(section)
        db.session.commit()
        question = make_question(survey, kind="long_text", prompt=QUESTION, section_id=section.id)
        for n in range(7):
            make_response(survey, status="submitted", answers={question: f"We waited {n} months"})
        organiser = db.session.scalar(select(User).where(User.email == northshire.organiser_email))
        survey_row = db.session.get(Survey, survey.id)
        for answer in db.session.scalars(select(Answer).where(Answer.question_id == question.id)):
            coding.tag_answer(survey_row, answer, "Waiting", actor=organiser)
        theme = make_theme(consultation, title="Waiting too long for help")
        db.session.get(Theme, theme.id).published_at = utcnow()
        db.session.get(Consultation, consultation.id).responded_at = utcnow()
        db.session.commit()
    base = f"/areas/{northshire.slug}/consultations/{consultation.slug}"
    return Place(
        consultation=base,
        theme=f"{base}/themes/{theme.id}",
        organiser=northshire.organiser_email,
    )


def click(person: CheckedPage, name: str | re.Pattern, role: str = "link") -> None:
    with person.page.expect_navigation() as navigation:
        person.page.get_by_role(role, name=name, exact=isinstance(name, str)).click()
    assert navigation.value.status == 200, navigation.value.url
    person.check()


def fill_date(person: CheckedPage, name: str, day: str, month: str, year: str) -> None:
    for part, value in (("day", day), ("month", month), ("year", year)):
        person.page.locator(f'input[name="{name}-{part}"]').fill(value)


def test_forum_response_and_national_outcome(open_page, place):
    organiser = open_page(js=False)
    sign_in(organiser, place.organiser)
    organiser.goto(place.consultation)
    click(organiser, "Write the forum’s response")
    organiser.submit("Start the forum’s response")
    # the part's form, beside the coded answers: in place with htmx, a page without
    edit = organiser.page.get_by_role(
        "link", name=re.compile(f"^Write or change this part.*{SECTION}$")
    )
    organiser.in_place_or_page(edit.click, js=False)
    assert organiser.page.get_by_role("heading", name=QUESTION).is_visible()
    organiser.page.get_by_label("The forum’s answer", exact=True).fill(DRAFT)
    organiser.submit("Save this part")
    assert DRAFT in organiser.page.inner_text("main")
    organiser.submit("Share the draft with members")

    member = open_page(js=False)
    sign_in(member, MEMBER)
    member.goto(place.consultation)
    click(member, "Read the forum’s draft response and comment")
    assert DRAFT in member.page.inner_text("main")
    click(member, re.compile(f"^Comment on this part.*{SECTION}$"))
    member.submit("Add your comment", status=422)
    member.page.get_by_label("Your comment", exact=True).fill(COMMENT)
    member.submit("Add your comment")
    assert COMMENT in member.page.inner_text("main")

    organiser.goto(place.consultation + "/forum-response")
    assert COMMENT in organiser.page.inner_text("main")
    organiser.submit("Mark it final")
    organiser.submit("Publish on the consultation page")
    organiser.goto(place.consultation + "/forum-response")
    click(organiser, "Record where and when it was sent")
    organiser.page.get_by_label("Who was it sent to?", exact=True).fill(BODY)
    fill_date(organiser, "submitted_on", "2", "3", "2026")
    organiser.page.get_by_label("Their reference (optional)", exact=True).fill("GP-17")
    organiser.submit("Save")

    organiser.goto(place.theme)
    click(organiser, "Record a national outcome for this theme")
    organiser.page.get_by_label("Who decided?", exact=True).fill(BODY)
    organiser.page.get_by_label("What did they decide?", exact=True).fill(NATIONAL)
    fill_date(organiser, "decided_on", "4", "3", "2026")
    organiser.page.get_by_label("Link to the decision (optional)", exact=True).fill(
        "https://www.gov.uk/improvement-plan"
    )
    organiser.submit("Save the national outcome")

    visitor = open_page(js=False)
    visitor.goto(place.consultation)
    text = visitor.page.inner_text("main")
    assert "The forum’s response" in text
    assert f"Submitted to {BODY} on 2 March 2026" in text
    assert DRAFT in text and COMMENT not in text
    assert "National decision" in text and NATIONAL in text
    click(visitor, "Print view")
    assert DRAFT in visitor.page.inner_text("main")
