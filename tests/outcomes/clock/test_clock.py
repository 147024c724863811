"""The accountability clock: when a response is due, how late it is, in London days; the
overdue lists and counts (one query each); and the flags on the consultation page and the
area home, for everyone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from forum.consultations.models import Consultation
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.clock import queries as clock
from forum.outcomes.decisions.models import Decision
from tests.factories import make_area, make_consultation, make_partner, make_theme
from tests.support import recorded_statements


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def consultation_with(area, *, closes_at, due_at=None, responded_at=None, **kwargs):
    made = make_consultation(area, state="closed", **kwargs)
    c = db.session.get(Consultation, made.id)
    c.opens_at = closes_at - timedelta(days=30)
    c.published_at = c.opens_at - timedelta(days=1)
    c.closes_at = closes_at
    c.response_due_at = due_at or closes_at + timedelta(weeks=12)
    c.responded_at = responded_at
    db.session.commit()
    db.session.refresh(c)
    return c


def decision_with(
    consultation, partner, *, decide_by, outcome="under_consideration", published=True
):
    theme = make_theme(consultation, title="Respite care")
    d = Decision(
        theme_id=theme.id,
        area_id=theme.area_id,
        partner_id=partner.id,
        outcome=outcome,
        explanation="We are looking at it.",
        decide_by=decide_by,
        published_at=utcnow() if published else None,
    )
    db.session.add(d)
    db.session.commit()
    db.session.refresh(d)
    return d


@pytest.fixture
def area(app):
    with app.app_context():
        return make_area(slug="northshire", name="Northshire")


# --- one consultation ------------------------------------------------------------------------


def test_no_clock_before_closing(app, area):
    with app.app_context():
        for state in ("draft", "scheduled", "open"):
            assert clock.clock_for(make_consultation(area, state=state)) is None


def test_due_in_days_then_today_then_overdue(app, area):
    with app.app_context():
        c = consultation_with(area, closes_at=at(2026, 1, 10, 12), due_at=at(2026, 4, 4, 12))
        due = clock.clock_for(c, now=at(2026, 3, 25, 9))
        assert (due.status, due.days, due.text) == ("due", 10, "Response due in 10 days")
        assert not due.is_overdue
        assert clock.clock_for(c, now=at(2026, 4, 3, 9)).text == "Response due in 1 day"
        assert clock.clock_for(c, now=at(2026, 4, 4, 11)).text == "Response due today"
        # Exactly at the due moment it is not late yet.
        assert clock.clock_for(c, now=at(2026, 4, 4, 12)).status == "due"
        late_today = clock.clock_for(c, now=at(2026, 4, 4, 12, 1))
        assert late_today.is_overdue and late_today.days == 0
        assert late_today.text == "Response overdue: it was due earlier today"
        assert clock.clock_for(c, now=at(2026, 4, 5, 8)).text == "Response overdue by 1 day"
        assert clock.clock_for(c, now=at(2026, 4, 20, 8)).text == "Response overdue by 16 days"


def test_days_are_counted_in_london(app, area):
    """Due at 11pm in London in summer (10pm UTC); at 00:30 London time the next day it is a
    day late, although in UTC it is still the same day."""
    with app.app_context():
        c = consultation_with(area, closes_at=at(2026, 3, 20, 12), due_at=at(2026, 6, 10, 22))
        assert clock.clock_for(c, now=at(2026, 6, 10, 23, 30)).days == 1
        # And "due in" counts London days too: 11pm UTC on 9 June is already 10 June in London.
        assert clock.clock_for(c, now=at(2026, 6, 9, 23, 30)).text == "Response due today"


def test_responded_consultations_are_never_overdue(app, area):
    with app.app_context():
        c = consultation_with(
            area,
            closes_at=at(2026, 1, 10, 12),
            due_at=at(2026, 2, 1, 12),
            responded_at=at(2026, 3, 1, 12),
        )
        responded = clock.clock_for(c, now=at(2026, 6, 1))
        assert responded.status == "responded" and not responded.is_overdue
        assert responded.text == "Responded on 1 March 2026, 50 days after closing"
        assert clock.overdue_consultations(area, now=at(2026, 6, 1)) == []


def test_decision_days_overdue(app, area):
    with app.app_context():
        c = consultation_with(area, closes_at=at(2026, 1, 10, 12))
        partner = make_partner(area)
        d = decision_with(c, partner, decide_by=date(2026, 6, 10))
        assert clock.decision_days_overdue(d, now=at(2026, 6, 10, 12)) is None
        # 11:30pm UTC on 10 June is 11 June in London.
        assert clock.decision_days_overdue(d, now=at(2026, 6, 10, 23, 30)) == 1
        assert clock.decision_days_overdue(d, now=at(2026, 6, 20, 12)) == 10
        d.published_at = None
        assert clock.decision_days_overdue(d, now=at(2026, 6, 20, 12)) is None


# --- lists and counts ------------------------------------------------------------------------


def test_overdue_consultations_of_an_area(app, area):
    now = at(2026, 6, 1, 12)
    with app.app_context():
        late = consultation_with(
            area, closes_at=at(2026, 1, 1), due_at=at(2026, 5, 1, 12), title="Late"
        )
        later = consultation_with(
            area, closes_at=at(2026, 1, 1), due_at=at(2026, 4, 1, 12), title="Later"
        )
        consultation_with(area, closes_at=at(2026, 3, 1), due_at=at(2026, 6, 2), title="Not yet")
        consultation_with(
            area,
            closes_at=at(2026, 1, 1),
            due_at=at(2026, 2, 1),
            responded_at=at(2026, 5, 1),
            title="Done",
        )
        make_consultation(area, state="open")
        elsewhere = make_area(slug="southshire")
        consultation_with(elsewhere, closes_at=at(2026, 1, 1), due_at=at(2026, 2, 1))
        with recorded_statements(app) as statements:
            rows = clock.overdue_consultations(area, now=now)
        assert len(statements) == 1
        assert [(r.consultation.id, r.days) for r in rows] == [(later.id, 61), (late.id, 31)]
        assert rows[0].clock.text == "Response overdue by 61 days"
        # Also by id, for callers that have no Area object.
        assert [r.consultation.id for r in clock.overdue_consultations(area.id, now=now)] == [
            later.id,
            late.id,
        ]


def test_overdue_decisions_of_an_area(app, area):
    now = at(2026, 6, 1, 12)
    with app.app_context():
        c = consultation_with(area, closes_at=at(2026, 1, 1), responded_at=at(2026, 3, 1))
        partner = make_partner(area, name="Northshire ICB")
        late = decision_with(c, partner, decide_by=date(2026, 5, 20))
        decision_with(c, make_partner(area), decide_by=date(2026, 6, 1))  # today: not late
        decision_with(c, make_partner(area), decide_by=date(2026, 5, 1), published=False)
        decision_with(c, make_partner(area), decide_by=date(2026, 5, 1), outcome="adopted")
        with recorded_statements(app) as statements:
            rows = clock.overdue_decisions(area, now=now)
        assert len(statements) == 1
        assert [(r.decision.id, r.days, r.partner.name) for r in rows] == [
            (late.id, 12, "Northshire ICB")
        ]
        assert rows[0].theme.title == "Respite care" and rows[0].consultation.id == c.id


def test_overdue_counts_for_many_areas_in_one_query(app, area):
    now = at(2026, 6, 1, 12)
    with app.app_context():
        south = make_area(slug="southshire")
        quiet = make_area(slug="quietshire")
        for _ in range(2):
            consultation_with(area, closes_at=at(2026, 1, 1), due_at=at(2026, 4, 1))
        c = consultation_with(south, closes_at=at(2026, 1, 1), responded_at=at(2026, 2, 1))
        decision_with(c, make_partner(south), decide_by=date(2026, 5, 1))
        decision_with(c, make_partner(south), decide_by=date(2026, 5, 2))
        consultation_with(south, closes_at=at(2026, 1, 1), due_at=at(2026, 4, 1))
        with recorded_statements(app) as statements:
            counts = clock.overdue_counts_by_area([area.id, south.id, quiet.id], now=now)
        assert len(statements) == 1
        assert counts == {area.id: (2, 0), south.id: (1, 2), quiet.id: (0, 0)}
        assert clock.overdue_counts_by_area([], now=now) == {}


# --- on the pages ----------------------------------------------------------------------------


def test_consultation_page_shows_the_flag_to_everyone(app, client, area):
    with app.app_context():
        now = utcnow()
        c = consultation_with(
            area, closes_at=now - timedelta(days=100), due_at=now - timedelta(days=16, hours=1)
        )
        url = f"/areas/northshire/consultations/{c.slug}"
    html = client.get(url).get_data(as_text=True)
    assert "Overdue" in html
    assert "Response overdue by 16 days" in html or "Response overdue by 17 days" in html


def test_consultation_page_says_when_it_is_due(app, client, area):
    with app.app_context():
        made = make_consultation(area, state="closed")
    html = client.get(f"/areas/northshire/consultations/{made.slug}").get_data(as_text=True)
    assert "Response due in" in html and "Overdue" not in html


def test_area_home_lists_what_is_late(app, client, area):
    with app.app_context():
        now = utcnow()
        consultation_with(
            area,
            closes_at=now - timedelta(days=120),
            due_at=now - timedelta(days=30),
            title="Short breaks review",
        )
        c = consultation_with(
            area,
            closes_at=now - timedelta(days=120),
            responded_at=now - timedelta(days=20),
            title="Transport",
        )
        decision_with(
            c, make_partner(area, name="Northshire ICB"), decide_by=date.today() - timedelta(days=9)
        )
    html = client.get("/areas/northshire").get_data(as_text=True)
    assert "Running late" in html
    assert "Short breaks review" in html
    assert "Northshire ICB said it would decide on “Respite care”" in html


def test_area_home_has_no_section_when_nothing_is_late(app, client, area):
    with app.app_context():
        make_consultation(area, state="closed")
    html = client.get("/areas/northshire").get_data(as_text=True)
    assert "Running late" not in html


def test_area_home_queries_do_not_grow_with_what_is_late(app, client, area):
    from tests.support import assert_same_count, statements_for

    def add_late(n: int) -> None:
        with app.app_context():
            now = utcnow()
            for i in range(n):
                consultation_with(
                    area,
                    closes_at=now - timedelta(days=120),
                    due_at=now - timedelta(days=30 + i),
                    title=f"Late {i}",
                )
                c = consultation_with(
                    area,
                    closes_at=now - timedelta(days=120),
                    responded_at=now - timedelta(days=20),
                    title=f"Answered {i}",
                )
                decision_with(c, make_partner(area), decide_by=date.today() - timedelta(days=5 + i))

    url = "/areas/northshire"
    add_late(1)
    small = statements_for(app, client, url)
    add_late(10)
    large = statements_for(app, client, url)
    assert "Late 9" in client.get(url).get_data(as_text=True)
    assert_same_count(url, small, large)
