"""Stored counts of people and feedback items: `refresh_figures` and the `flask outcomes
refresh-figures` command, and what the pages show before and after a count."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.outcomes.scorecard.models import FigureScope, StoredFigures
from forum.outcomes.scorecard.services import refresh_figures
from tests.factories import (
    make_area,
    make_consultation,
    make_plan,
    make_priority,
    make_question,
    make_response,
    make_survey,
    make_user,
)


def _area(people: int):
    area = make_area()
    plan = make_plan(area)
    top = make_priority(area, code="P1", plan=plan)
    sub = make_priority(area, code="P1.1", plan=plan, parent=top)
    make_priority(area, code="P2", plan=plan)
    consultation = make_consultation(area, state="closed", priorities=[sub])
    survey = make_survey(consultation)
    question = make_question(survey)
    for _ in range(people):
        make_response(survey, user=make_user(), status="submitted", answers={question: "no_thanks"})
    return area, plan, top, consultation, survey, question


def _stored(area_id):
    return {
        (row.scope, row.subject_id): (row.participants, row.items)
        for row in db.session.scalars(select(StoredFigures).where(StoredFigures.area_id == area_id))
    }


def test_refresh_stores_every_subject_of_the_area(app):
    with app.app_context():
        area, plan, top, consultation, _, _ = _area(6)
        other, *_ = _area(2)
        stored = refresh_figures([area.id])
        db.session.commit()
        rows = _stored(area.id)
        assert stored == len(rows) == 5  # area, plan, P1, P2, the consultation
        assert rows[(FigureScope.AREA, area.id)] == (6, 6)
        assert rows[(FigureScope.PLAN, plan.id)] == (6, 6)
        assert rows[(FigureScope.PRIORITY, top.id)] == (6, 6)
        assert rows[(FigureScope.CONSULTATION, consultation.id)] == (6, 6)
        assert (0, 0) in rows.values()  # P2
        assert _stored(other.id) == {}


def test_refresh_replaces_what_was_stored(app):
    with app.app_context():
        area, plan, _, _, survey, question = _area(5)
        refresh_figures()
        db.session.commit()
        make_response(survey, user=make_user(), status="submitted", answers={question: "no_thanks"})
        refresh_figures([area.id])
        db.session.commit()
        assert _stored(area.id)[(FigureScope.PLAN, plan.id)] == (6, 6)
        count = db.session.scalar(
            select(func.count()).select_from(StoredFigures).where(StoredFigures.area_id == area.id)
        )
        assert count == 5


def test_pages_say_not_counted_yet_until_the_first_count(app, client):
    with app.app_context():
        area, plan, *_ = _area(7)
    url = f"/areas/{area.slug}/plans/{plan.slug}/scorecard"
    page = client.get(url).get_data(as_text=True)
    assert ">not counted yet<" in page
    assert "They have not been counted for this plan yet" in page
    national = client.get("/national").get_data(as_text=True)
    assert ">not counted yet<" in national
    with app.app_context():
        refresh_figures()
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert ">not counted yet<" not in page
    assert "They were last counted on" in page
    assert '<dd class="govuk-summary-list__value">5</dd>' in page  # 7, rounded


def test_the_command_counts_every_area_or_the_ones_named(app):
    with app.app_context():
        first, *_ = _area(5)
        second, *_ = _area(5)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outcomes", "refresh-figures", "--area", first.slug])
    assert result.exit_code == 0, result.output
    assert "5 figures stored" in result.output
    with app.app_context():
        assert _stored(first.id) and not _stored(second.id)
    result = runner.invoke(args=["outcomes", "refresh-figures"])
    assert result.exit_code == 0, result.output
    assert "10 figures stored" in result.output
    with app.app_context():
        assert _stored(second.id)


def test_the_command_refuses_an_unknown_area(app):
    result = app.test_cli_runner().invoke(args=["outcomes", "refresh-figures", "--area", "nowhere"])
    assert result.exit_code != 0
    assert "No area with the slug nowhere" in result.output
