"""The scorecard and national pages send the same number of SQL statements however much data
there is: a plan with 2 or 40 priorities and 10 or 1,000 answers; 3 or 60 areas."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select

from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.models import Answer
from tests.factories import (
    make_area,
    make_board,
    make_commitment,
    make_consultation,
    make_decision,
    make_partner,
    make_plan,
    make_priority,
    make_question,
    make_survey,
    make_theme,
    make_thread,
    make_user,
)
from tests.outcomes.worlds import add_answers, counted, publish_decision, publish_theme
from tests.support import assert_same_count, statements_for

OUTCOMES = ["adopted", "partly_adopted", "not_adopted", "under_consideration"]
STATUSES = ["not_started", "on_track", "at_risk", "delayed", "done", "dropped"]


def add_posts(thread, count: int) -> None:
    author = make_user()
    db.session.execute(
        insert(Post),
        [
            {
                "thread_id": thread.id,
                "area_id": thread.area_id,
                "number": 2 + n,
                "author_id": author.id,
                "body": "Me too",
                "status": PostStatus.VISIBLE if n % 4 else PostStatus.HIDDEN,
                "created_at": utcnow() + timedelta(seconds=n),
            }
            for n in range(count)
        ],
    )
    db.session.commit()


def build_plan(priorities: int, answers: int):
    """A published plan whose top-level priorities each have a sub-priority, a consultation
    (with a survey and a board), a published theme with published decisions, and
    commitments; `answers` answers spread over the consultations."""
    area = make_area()
    council = make_partner(area)
    icb = make_partner(area)
    plan = make_plan(area)
    per = max(answers // priorities, 1)
    for n in range(priorities):
        top = make_priority(area, code=f"P{n + 1}", plan=plan)
        sub = make_priority(area, code=f"P{n + 1}.1", plan=plan, parent=top)
        state = "responded" if n % 3 == 0 else "closed"
        consultation = make_consultation(area, state=state, priorities=[sub])
        survey = make_survey(consultation)
        add_answers(survey, make_question(survey), per)
        thread = make_thread(make_board(area, consultation=consultation), make_user())
        add_posts(thread, 3)
        theme = make_theme(consultation, priorities=[top, sub])
        publish_theme(theme)
        publish_decision(make_decision(theme, council, outcome=OUTCOMES[n % 4]))
        publish_decision(
            make_decision(
                theme,
                icb,
                outcome="under_consideration",
                decide_by=(utcnow() - timedelta(days=n)).date(),
            )
        )
        make_commitment(top, council, status=STATUSES[n % 6])
        make_commitment(sub, icb, status=STATUSES[(n + 1) % 6])
    return area, plan


def test_scorecard_statements_do_not_grow(app, client):
    with app.app_context():
        small_area, small_plan = build_plan(2, 10)
        large_area, large_plan = build_plan(40, 1000)
        counted()
        assert db.session.scalar(select(func.count(Answer.id))) >= 1010
    small_url = f"/areas/{small_area.slug}/plans/{small_plan.slug}/scorecard"
    large_url = f"/areas/{large_area.slug}/plans/{large_plan.slug}/scorecard"
    small = statements_for(app, client, small_url)
    large = statements_for(app, client, large_url)
    assert_same_count(large_url, small, large)
    assert len(small) <= 12, small


def _areas(count: int) -> None:
    for n in range(count):
        area = make_area()
        partner = make_partner(area)
        priority = make_priority(area, code="P1")
        consultation = make_consultation(area, state="responded", priorities=[priority])
        survey = make_survey(consultation)
        add_answers(survey, make_question(survey), 1 + n % 7)
        theme = make_theme(consultation, priorities=[priority])
        publish_theme(theme)
        publish_decision(make_decision(theme, partner, outcome=OUTCOMES[n % 4]))
        make_commitment(priority, partner, status=STATUSES[n % 6])


def test_national_statements_do_not_grow(app, client):
    with app.app_context():
        _areas(3)
        counted()
    small = statements_for(app, client, "/national?sort=take_up")
    with app.app_context():
        _areas(57)
        counted()
    large = statements_for(app, client, "/national?sort=take_up")
    assert_same_count("/national", small, large)
    # one of them is events' columns (events held, people at events: `events.queries.event_figures`)
    # and one reads the areas' data versions, by which the table is kept (data_versions.py)
    assert len(small) <= 10, small
