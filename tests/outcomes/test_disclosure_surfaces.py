"""Every published surface of the ledger passes `forum.disclosure` (issue 12, points 1 and 2):
the plan scorecard (responders included), the national page, the open data, the published
"you said, we did" section and the Local Offer report, with counts rounded to the nearest 5,
groups of 1 to 4 withheld, and survey counts that need 5 vouched responses. The rules on their
own are in tests/test_disclosure.py; the survey results pages in
tests/surveys/results/test_disclosure_attacks.py."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import select

from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.decisions import services as decisions_service
from forum.outcomes.decisions.models import ForumView, Outcome
from forum.outcomes.publishing import services as publishing
from forum.outcomes.themes.models import Evidence, EvidenceKind
from forum.surveys.models import Answer
from tests.factories import make_person_in, make_question, make_response, make_survey, make_user
from tests.outcomes.worlds import (
    answers_behind_waiting,
    base,
    build_ledger,
    build_ledger_world,
    local_offer_report_url,
    theme,
    user,
)

# --- the scorecard, the national page and the open data (people: 4, feedback items: 6) -------


@pytest.fixture
def ledger(app):
    with app.app_context():
        ledger = build_ledger()
        make_person_in(ledger.area, Role.RESPONDER, email="officer@example.org")
        db.session.commit()
        return ledger


def _summary(page: str, key: str) -> str:
    found = re.search(
        rf"{re.escape(key)}\s*</dt>\s*<dd[^>]*>\s*(.*?)\s*</dd>", page, flags=re.DOTALL
    )
    assert found, key
    return found.group(1)


@pytest.mark.parametrize(
    "who, people, items",
    [
        (None, "fewer than 5", "5"),
        ("officer@example.org", "fewer than 5", "5"),
        ("member", "fewer than 5", "5"),
        ("organiser", "4", "6"),
    ],
)
def test_the_scorecard_is_exact_only_for_organisers(client, auth, ledger, who, people, items):
    if who == "member":
        who = ledger.emails[0]
    elif who == "organiser":
        who = ledger.emails[-1]
    if who:
        auth.login(who)
    page = client.get(f"/areas/{ledger.area.slug}/plans/{ledger.plan.slug}/scorecard")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _summary(text, "People who took part") == people
    assert _summary(text, "Feedback items") == items


def test_the_national_page_shows_rounded_figures(client, ledger):
    page = client.get("/national").get_data(as_text=True)
    row = page.split(f">{ledger.area.name}<", 1)[1].split("</tr>", 1)[0]
    assert "fewer than 5" in row, "4 people"
    assert ">5<" in row and ">6<" not in row, "6 feedback items, rounded"


def test_the_open_data_rounds_and_withholds(client, ledger):
    data = json.loads(
        client.get(f"/areas/{ledger.area.slug}/open-data/ledger.json").get_data(as_text=True)
    )
    whole = next(r for r in data["scorecard"] if r["priority_id"] is None)
    assert (whole["participants"], whole["feedback_items"]) == (None, 5)
    sheet = client.get(f"/areas/{ledger.area.slug}/open-data/scorecard.csv")
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    last = next(r for r in rows if r["priority_id"] == "")
    assert (last["participants"], last["feedback_items"]) == ("", "5")
    for row in [*data["consultations"], *data["scorecard"]]:
        for key in ("participants", "feedback_items"):
            assert row[key] is None or row[key] % 5 == 0, (key, row[key])


def test_unvouched_responses_never_lift_the_scorecard_or_the_open_data(app, client, ledger):
    """A published consultation under its own priority, answered by 2 parents from their
    accounts and 6 times by nobody in particular: its people and items stay withheld."""
    with app.app_context():
        from forum.outcomes.scorecard.queries import plan_scorecard
        from forum.plans.models import LocalPlan
        from tests.factories import make_consultation, make_priority
        from tests.outcomes.worlds import counted

        plan = db.session.get(LocalPlan, ledger.plan.id)
        p3 = make_priority(ledger.area, code="P3", title="Transport", plan=plan)
        consultation = make_consultation(ledger.area, state="closed", priorities=[p3])
        survey = make_survey(consultation)
        question = make_question(survey)
        for n in range(8):
            make_response(
                survey,
                user=make_user() if n < 2 else None,
                status="submitted",
                answers={question: "yes_please"},
                vouched=n < 2,
            )
        counted()
        row = next(r for r in plan_scorecard(plan).rows if r.priority.code == "P3")
        assert (row.figures.participants.value, row.figures.items.value) == (None, None)
        exact = next(r for r in plan_scorecard(plan, exact=True).rows if r.priority.code == "P3")
        assert (exact.figures.participants.value, exact.figures.items.value) == (8, 8)
        consultation_id = consultation.id
    data = json.loads(
        client.get(f"/areas/{ledger.area.slug}/open-data/ledger.json").get_data(as_text=True)
    )
    mine = next(c for c in data["consultations"] if c["consultation_id"] == consultation_id)
    assert (mine["participants"], mine["feedback_items"]) == (None, None)


# --- the published ledger and the Local Offer report -----------------------------------------


def _publish_with_people(world, vouched: list[bool]) -> None:
    """A written answer from each person behind the "waiting" theme (`vouched` says, person by
    person, whether their response is vouched for: an account, or none), then the council's
    answer and the response published."""
    survey = make_survey(db.session.get(Consultation, world.consultation_id))
    question = make_question(survey, kind="long_text", prompt="What should change?")
    for n, is_vouched in enumerate(vouched):
        response = make_response(
            survey,
            user=make_user() if is_vouched else None,
            status="submitted",
            answers={question: f"Private words {n}"},
            vouched=is_vouched,
        )
        answer_id = db.session.scalar(select(Answer.id).where(Answer.response_id == response.id))
        db.session.add(
            Evidence(
                theme_id=world.waiting,
                area_id=world.area_id,
                kind=EvidenceKind.ANSWER,
                answer_id=answer_id,
            )
        )
    decision = decisions_service.answer_theme(
        theme(world),
        world.council_id,
        decisions_service.Answer(
            outcome=Outcome.ADOPTED, explanation="We will.", commitment_ids=[world.c_council]
        ),
        actor=user("council"),
    )
    decisions_service.review_decision(decision, ForumView.AGREED, "", actor=user("organiser"))
    publishing.publish_response(
        db.session.get(Consultation, world.consultation_id), actor=user("organiser")
    )
    db.session.commit()


def _local_offer(client, world) -> dict:
    report = json.loads(client.get(local_offer_report_url(world, ".json")).get_data(as_text=True))
    [consultation] = report["consultations"]
    return consultation


def test_published_counts_are_rounded(app, client):
    with app.app_context():
        world = build_ledger_world(kind="local_offer")
        _publish_with_people(world, [True] * 8)
    report = _local_offer(client, world)
    assert report["people_who_answered_the_survey"] == 10
    assert (report["themes"][0]["comments"], report["themes"][0]["people"]) == (10, 10)
    page = client.get(base(world)).get_data(as_text=True)
    assert "10 people answered the survey." in page and "10 comments from 10 people." in page
    assert "8 people" not in page


def test_unvouched_responses_never_lift_a_published_group(app, client, auth):
    """2 parents answered from their accounts; 6 more answers came from nobody in particular
    (anyone could have sent them): every published count behind them stays withheld."""
    with app.app_context():
        world = build_ledger_world(kind="local_offer")
        _publish_with_people(world, [True, True] + [False] * 6)
    report = _local_offer(client, world)
    assert report["people_who_answered_the_survey"] == "fewer than 5"
    assert report["themes"][0]["comments"] == "fewer than 5"
    assert report["themes"][0]["people"] == "fewer than 5"
    sheet = client.get(local_offer_report_url(world, ".csv")).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(sheet.lstrip("\ufeff"))))
    row = next(r for r in rows if r["theme"] == "Waiting times")
    assert (row["theme_comments"], row["theme_people"]) == ("fewer than 5", "fewer than 5")
    for who in (None, "council@example.org"):
        if who:
            auth.login(who)
        page = client.get(base(world)).get_data(as_text=True)
        assert "Fewer than 5 people answered the survey." in page
        assert "Fewer than 5 comments from fewer than 5 people." in page
        assert "8 people" not in page and "10 people" not in page


@pytest.mark.parametrize(
    "who, sentence",
    [
        ("council@example.org", "5 feedback items from 5 people"),
        ("org@example.org", "7 feedback items from 7 people"),
    ],
)
def test_responders_read_unpublished_themes_with_protected_counts(app, client, auth, who, sentence):
    with app.app_context():
        world = build_ledger_world()
        answers_behind_waiting(world, 7, words="Words {n}")
        db.session.commit()
    auth.login(who)
    index = client.get(f"{base(world)}/themes").get_data(as_text=True)
    assert sentence in index
    page = client.get(f"{base(world)}/themes/{world.waiting}").get_data(as_text=True)
    assert sentence in page
