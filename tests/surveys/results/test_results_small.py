"""Survey results counted one by one: results shown to visitors from exactly 5 responses,
number figures that need 5 answers, and a survey with only a draft. Each test builds a small
survey of its own, so these cannot share test_results.py's module-scoped survey."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from forum.extensions import db
from forum.surveys.models import ResultsVisibility, Survey
from forum.surveys.queries import questions_of
from forum.surveys.results.filters import Filter
from forum.surveys.results.queries import survey_results
from tests.factories import (
    make_question,
    make_response,
)
from tests.surveys.worlds import make_lone_survey


@pytest.fixture
def small(app):
    """A public survey with a number question, for responses counted one by one."""
    with app.app_context():
        consultation, survey = make_lone_survey(
            state="closed", results_visibility=ResultsVisibility.PUBLIC
        )
        colour = make_question(survey, prompt="Colour?", options=("Red", "Blue"))
        number = make_question(survey, kind="number", prompt="How many?")
    return SimpleNamespace(consultation=consultation, survey=survey, colour=colour, number=number)


def add_red(app, small, n: int) -> None:
    with app.app_context():
        for i in range(n):
            make_response(
                small.survey, status="submitted", answers={small.colour: "red", small.number: i}
            )


@pytest.mark.parametrize("responses", [4, 5])
def test_visitors_see_results_from_exactly_5_responses(app, client, auth, small, responses):
    add_red(app, small, responses)
    page = f"/areas/northshire/consultations/{small.consultation.slug}/survey/results"
    text = client.get(page).get_data(as_text=True)
    if responses == 4:
        assert "Fewer than 5 people have responded, so the results are not shown yet" in text
        assert "Colour?" not in text and 'class="app-chart"' not in text
    else:
        assert "5 people responded" in text and "Colour?" in text
        assert re.search(r"Red</th>\s*<td[^>]*>5</td>\s*<td[^>]*>100%", text)
        assert "Middle (median)" in text
    auth.login("org@example.org")
    organiser = client.get(page).get_data(as_text=True)
    assert f"{responses} people responded" in organiser and "Middle (median)" in organiser


def test_number_figures_need_5_answers_for_visitors(app, small):
    add_red(app, small, 5)
    with app.app_context():
        make_response(small.survey, status="submitted", answers={small.colour: "blue"})
        survey = db.session.get(Survey, small.survey.id)
        questions = questions_of(survey)
        colour = questions[0]
        blue = Filter(colour, "blue")
        assert survey_results(survey, questions, exact=False, chosen=blue).withheld
        red = Filter(colour, "red")
        # Everyone but one is red: that filter, taken from everyone's results, gives the one.
        assert survey_results(survey, questions, exact=False, chosen=red).withheld
        for _ in range(4):
            make_response(small.survey, status="submitted", answers={small.colour: "blue"})
        shown = survey_results(survey, questions, exact=False, chosen=red).questions
        assert shown[1].numbers is not None and shown[1].answered.value == 5
    with app.app_context():
        survey = db.session.get(Survey, small.survey.id)
        questions = questions_of(survey)
        # Ten responded, five of them without a number: 5 answers is enough.
        result = survey_results(survey, questions, exact=False)
        assert result.questions[1].answered.value == 5 and result.questions[1].numbers


def test_number_figures_are_withheld_under_5_answers(app, small):
    with app.app_context():
        for _ in range(4):
            make_response(small.survey, status="submitted", answers={small.colour: "red"})
        make_response(
            small.survey, status="submitted", answers={small.colour: "red", small.number: 7}
        )
        survey = db.session.get(Survey, small.survey.id)
        questions = questions_of(survey)
        visitor = survey_results(survey, questions, exact=False).questions[1]
        assert visitor.numbers is None and visitor.answered.withheld
        organiser = survey_results(survey, questions, exact=True).questions[1]
        assert organiser.numbers.median == 7


def test_drafts_never_count_and_nobody_yet(app, client, auth):
    with app.app_context():
        consultation, survey = make_lone_survey()
        colour = make_question(survey, prompt="Colour?")
        make_response(survey, status="draft", answers={colour: "yes_please"})
    auth.login("org@example.org")
    text = client.get(
        f"/areas/northshire/consultations/{consultation.slug}/survey/results"
    ).get_data(as_text=True)
    assert "Nobody has responded yet." in text and 'class="app-chart"' not in text
