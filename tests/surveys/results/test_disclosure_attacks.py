"""Attacks on the published survey results (issue 12, points 1 and 2), as a visitor or a
partner's responder would make them through the pages: answering many times without an account
to lift a withheld group over the threshold, and taking filtered pages from the unfiltered one.
The rules themselves are unit-tested in tests/test_disclosure.py."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.consultations.models import Consultation
from forum.disclosure import FEWER, NOT_SHOWN
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.answering import services as answering
from forum.surveys.models import Response, ResponseChannel, ResultsVisibility, Survey
from tests.factories import make_consultation, make_question, make_response, make_survey, make_user
from tests.surveys.worlds import make_northshire

PHASES = ("Primary", "Secondary", "College")


def _cells(text: str, label: str) -> list[str]:
    """The "People" cell of every table row headed `label` on a results page."""
    found = re.findall(rf">{re.escape(label)}</th>\s*<td[^>]*>(.*?)</td>", text, flags=re.DOTALL)
    return [html.unescape(cell).strip() for cell in found]


def _numbers(text: str) -> list[int]:
    """Every count printed in the results tables of a page."""
    cells = re.findall(r'<td class="govuk-table__cell[^"]*numeric[^"]*">(.*?)</td>', text)
    return [int(c.replace(",", "")) for c in cells if c.replace(",", "").isdigit()]


def _close(app, consultation_id: int) -> None:
    with app.app_context():
        db.session.get(Consultation, consultation_id).closes_at = utcnow() - timedelta(hours=1)
        db.session.commit()


@pytest.fixture
def phases(app):
    """Northshire's open public consultation, results published to everyone: 8 parents of
    primary children and 2 of secondary children answered from their accounts."""
    with app.app_context():
        make_northshire()
        from forum.areas.models import Area

        area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        consultation = make_consultation(area, state="open", audience="public")
        survey = make_survey(consultation, results_visibility=ResultsVisibility.PUBLIC)
        phase = make_question(survey, prompt="Which phase is your child in?", options=PHASES)
        happy = make_question(survey, kind="yes_no", prompt="Is the school meeting their needs?")
        for n in range(10):
            make_response(
                survey,
                user=make_user(),
                status="submitted",
                answers={
                    phase: "primary" if n < 8 else "secondary",
                    happy: "yes" if n < 8 else "no",
                },
            )
        db.session.commit()
    return SimpleNamespace(
        consultation_id=consultation.id,
        base=f"/areas/northshire/consultations/{consultation.slug}/survey",
        phase=phase.id,
        happy=happy.id,
    )


def _inject(make_client, world, n: int) -> None:
    """A visitor answers `n` times, each from a fresh browser and without an account, with
    answers they chose (and so know)."""
    for _ in range(n):
        visitor = make_client()
        sent = visitor.post_form(
            world.base + "/answer",
            {f"q{world.phase}": "secondary", f"q{world.happy}": "no"},
        )
        assert sent.status_code == 303, sent.get_data(as_text=True)[:500]


def test_responses_are_vouched_for_only_when_they_cannot_be_made_in_bulk(app, phases):
    with app.app_context():
        survey = db.session.scalar(
            select(Survey).where(Survey.consultation_id == phases.consultation_id)
        )
        visitor = answering.response_for(survey, "k" * 64)
        person = answering.response_for(survey, "p" * 64, user=make_user())
        paper = answering.enter_response(
            survey, [], {}, channel=ResponseChannel.PAPER, actor=make_user()
        )
        assert (visitor.vouched, person.vouched, paper.vouched) == (False, True, True)


def test_injected_answers_never_lift_a_withheld_group_over_the_threshold(
    app, client, auth, make_client, phases
):
    results = phases.base + "/results"
    before = client.get(results).get_data(as_text=True)
    assert _cells(before, "Secondary") == [FEWER]

    _inject(make_client, phases, 5)
    # 7 said "Secondary", but 5 of them were the visitor: still withheld, for the public...
    public = client.get(results).get_data(as_text=True)
    assert _cells(public, "Secondary") == [FEWER]
    assert _cells(public, "No") == [FEWER]
    assert 7 not in _numbers(public) and 5 not in _numbers(public)
    assert "15 people responded" in public, "everyone who responded, rounded"
    # ... and for the council's responder, who sees what the public sees.
    auth.login("responder@example.org")
    responder = client.get(results).get_data(as_text=True)
    assert _cells(responder, "Secondary") == [FEWER] and _cells(responder, "No") == [FEWER]
    assert "On paper" not in responder
    # Filtering to the group, once the consultation has closed, is refused too.
    _close(app, phases.consultation_id)
    filtered = client.get(results + f"?by={phases.phase}&is=secondary").get_data(as_text=True)
    assert "answered “Secondary” to question 1 are not shown" in filtered
    assert _numbers(filtered) == [] and "Answers to question" not in filtered
    auth.logout()
    filtered = client.get(results + f"?by={phases.phase}&is=secondary").get_data(as_text=True)
    assert "answered “Secondary” to question 1 are not shown" in filtered
    # The organisers see every response, and how many are vouched for.
    auth.login("org@example.org")
    organiser = client.get(results).get_data(as_text=True)
    assert _cells(organiser, "Secondary") == ["7"]
    assert "10 of these were sent from a signed-in account" in organiser
    with app.app_context():
        counted = db.session.scalars(
            select(Response.vouched).where(Response.status == "submitted")
        ).all()
        assert sorted(counted) == [False] * 5 + [True] * 10


# --- differencing across filters -----------------------------------------------------------


@pytest.fixture
def split(app):
    """A closed public survey of 20 parents, all from their accounts: 12 said Yes, 7 No and 1
    Not sure; phases 13 primary, 4 secondary, 3 college."""
    with app.app_context():
        make_northshire()
        from forum.areas.models import Area

        area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        consultation = make_consultation(area, state="closed", audience="public")
        survey = make_survey(consultation, results_visibility=ResultsVisibility.PUBLIC)
        phase = make_question(survey, prompt="Which phase is your child in?", options=PHASES)
        happy = make_question(survey, kind="yes_no", prompt="Is the school meeting their needs?")
        answers = ["yes"] * 12 + ["no"] * 7 + ["not_sure"]
        phases = ["primary"] * 13 + ["secondary"] * 4 + ["college"] * 3
        for n in range(20):
            make_response(
                survey,
                user=make_user(),
                status="submitted",
                answers={phase: phases[n], happy: answers[n]},
            )
        db.session.commit()
    return SimpleNamespace(
        results=f"/areas/northshire/consultations/{consultation.slug}/survey/results",
        filters=[(happy.id, key) for key in ("no", "not_sure", "yes")]
        + [(phase.id, key) for key in ("primary", "secondary", "college")],
        phase=phase.id,
        happy=happy.id,
    )


@pytest.mark.parametrize("who", [None, "responder@example.org", "member@example.org"])
def test_no_pair_of_pages_recovers_a_withheld_count(app, client, auth, split, who):
    if who:
        auth.login(who)
    withheld = {(split.happy, "no"), (split.happy, "not_sure")} | {
        (split.phase, "secondary"),
        (split.phase, "college"),
    }
    for by, key in split.filters:
        page = client.get(split.results + f"?by={by}&is={key}").get_data(as_text=True)
        shown = _numbers(page)
        if (by, key) in withheld:
            # The filtered page would print the group the page for everyone hides.
            assert shown == [], (by, key)
            assert "are not shown" in page
            continue
        assert shown, (by, key)
        assert 0 not in shown, f"a zero cell in the view filtered by {key}"
        assert all(n % 5 == 0 for n in shown), f"unrounded counts filtered by {key}: {shown}"
        # Filtered by Yes: 12 people, none of whom said No or Not sure. Neither 0 is shown.
        if key == "yes":
            assert _cells(page, "No") == [FEWER] and _cells(page, "Not sure") == [FEWER]
            assert "10 people of the 20 people who responded" in page
    everyone = client.get(split.results).get_data(as_text=True)
    # "Not sure" (1) is withheld, and "No" with it, or 20 - 12 - 7 would give the 1.
    assert _cells(everyone, "No") == [NOT_SHOWN] and _cells(everyone, "Not sure") == [FEWER]
    assert _cells(everyone, "Yes") == ["10"], "12, rounded"
    assert _cells(everyone, "Secondary") == [FEWER] and _cells(everyone, "College") == [FEWER]
    assert _cells(everyone, "Primary") == ["15"], "13, rounded"


def test_organisers_see_every_filter_exactly(client, auth, split):
    auth.login("org@example.org")
    page = client.get(split.results + f"?by={split.happy}&is=no").get_data(as_text=True)
    assert "7 people of the 20 people who responded" in page
    assert _cells(page, "Not sure") == ["0"]


def test_the_page_explains_the_rules_in_plain_words(client, split):
    page = html.unescape(client.get(split.results).get_data(as_text=True))
    assert (
        "Numbers are rounded to the nearest 5, and groups of fewer than 5 people are not "
        "shown, so nobody can be picked out." in page
    )
