"""The results page sends as many statements for 200 responses as for 10: every count comes
from a fixed handful of GROUP BY queries, whatever the number of responses or questions."""

from __future__ import annotations

import pytest

from forum.surveys.answering.forms import Given
from forum.surveys.models import ResultsVisibility
from tests.factories import (
    make_question,
    make_response,
)
from tests.support import assert_same_count, statements_for
from tests.surveys.worlds import make_lone_survey


def answers(q: dict, n: int) -> dict:
    stage = ("primary", "secondary", "college")[n % 3]
    return {
        q["stage"]: stage,
        q["helps"]: Given(value=["clubs", "other"], other=f"Other {n}")
        if n % 4 == 0
        else ["respite"],
        q["happy"]: ("yes", "no", "not_sure")[n % 3],
        q["fair"]: str(n % 5 + 1),
        q["why"]: f"Reason {n}" if stage == "primary" else None,
        q["weeks"]: n,
        q["rank"]: ["a", "b", "c"] if n % 2 else ["c", "a", "b"],
        q["when"]: "2025-03-27",
        q["quote"]: "yes" if n % 2 else "no",
        q["more"]: f"More {n}",
    }


@pytest.fixture
def survey_of(app):
    with app.app_context():
        consultation, survey = make_lone_survey(
            state="closed", results_visibility=ResultsVisibility.PUBLIC
        )
        q = {
            "stage": make_question(
                survey, prompt="Stage?", options=("Primary", "Secondary", "College")
            ),
            "helps": make_question(
                survey,
                kind="multiple_choice",
                prompt="Helps?",
                options=("Clubs", "Respite"),
                has_other=True,
            ),
            "happy": make_question(survey, kind="yes_no", prompt="Happy?"),
            "fair": make_question(survey, kind="scale", prompt="Fair?"),
        }
        q["why"] = make_question(
            survey,
            kind="short_text",
            prompt="Why?",
            show_if=q["stage"],
            show_if_values=["primary"],
            is_required=False,
        )
        q["weeks"] = make_question(survey, kind="number", prompt="Weeks?")
        q["rank"] = make_question(survey, kind="ranking", prompt="Rank?", options=("A", "B", "C"))
        q["when"] = make_question(survey, kind="date", prompt="When?")
        q["quote"] = make_question(survey, kind="consent", prompt="Quote?")
        q["more"] = make_question(survey, kind="long_text", prompt="More?", is_hidden=True)
    return consultation, survey, q


def add_responses(app, survey, q, start: int, stop: int) -> None:
    with app.app_context():
        for n in range(start, stop):
            make_response(
                survey,
                status="submitted",
                channel=("online", "paper", "phone", "event")[n % 4],
                answers={k: v for k, v in answers(q, n).items() if v is not None},
            )


def test_results_send_as_many_statements_for_200_responses_as_for_10(app, client, auth, survey_of):
    consultation, survey, q = survey_of
    add_responses(app, survey, q, 0, 10)
    page = f"/areas/northshire/consultations/{consultation.slug}/survey/results"
    # Five of the first ten said yes: a group visitors may see from the start.
    quote, stage = q["quote"].id, q["stage"].id
    urls = [page, f"{page}?by={quote}&is=yes", f"{page}?by={stage}&is=nonsense"]
    visitor = {u: statements_for(app, client, u) for u in urls}
    filtered = client.get(urls[1]).get_data(as_text=True)
    assert "5 people of the 10 people who responded" in filtered, "not refused as too few"
    auth.login("org@example.org")
    organiser = {u: statements_for(app, client, u) for u in urls}
    assert "Reason 9" in client.get(page).get_data(as_text=True)

    add_responses(app, survey, q, 10, 200)
    text = client.get(page).get_data(as_text=True)
    assert "200 people responded" in text and "Reason 198" in text
    for u in urls:
        assert_same_count(u, organiser[u], statements_for(app, client, u))
    auth.logout()
    for u in urls:
        assert_same_count(u, visitor[u], statements_for(app, client, u))
