"""The response due date follows the actual close unless the organiser chose it (issue 14):
12 weeks after the new closing date when extended, after the real closing time when closed
early, and the clock and the scorecard read the moved date."""

from datetime import timedelta

from forum.accounts.models import User
from forum.areas.models import Area
from forum.consultations import services
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.clock.queries import clock_for, overdue_consultations
from tests.factories import make_area, make_user

WEEKS_12 = timedelta(weeks=12)


def _open(area, actor, *, due=None, closes_in=10):
    now = utcnow()
    c = services.create_consultation(
        area,
        title="Short breaks",
        summary="s",
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=closes_in),
        response_due_at=due,
        actor=actor,
    )
    c.published_at = now - timedelta(days=5)
    db.session.flush()
    return c


def _people(app):
    return db.session.get(Area, make_area().id), db.session.get(User, make_user().id)


def test_extending_moves_a_default_due_date_to_12_weeks_after_the_new_close(app):
    with app.test_request_context():
        area, actor = _people(app)
        c = _open(area, actor, closes_in=10)
        new_close = c.closes_at + timedelta(days=14)
        services.extend(c, new_close, reason="the easy read version came late", actor=actor)
        assert c.response_due_at == new_close + WEEKS_12
        assert not c.response_due_is_custom


def test_closing_early_moves_a_default_due_date_to_12_weeks_after_the_real_close(app):
    with app.test_request_context():
        area, actor = _people(app)
        c = _open(area, actor, closes_in=30)
        services.close_early(c, reason="The council withdrew the plan", actor=actor)
        assert c.response_due_at == c.closes_at + WEEKS_12
        assert c.closes_at <= utcnow()


def test_a_due_date_the_organiser_chose_is_kept(app):
    with app.test_request_context():
        area, actor = _people(app)
        chosen = utcnow() + timedelta(days=200)
        c = _open(area, actor, due=chosen, closes_in=10)
        assert c.response_due_is_custom
        services.extend(c, c.closes_at + timedelta(days=7), reason="more time", actor=actor)
        assert c.response_due_at == chosen
        services.close_early(c, reason="done", actor=actor)
        assert c.response_due_at == chosen


def test_the_clock_and_overdue_list_count_from_the_real_close(app):
    """Planned to close in 30 days, closed early now: the response is due 12 weeks from now,
    so "Response due in 84 days", and overdue 12 weeks and 3 days from now (today's main
    said due in 114 days and not overdue)."""
    with app.test_request_context():
        area, actor = _people(app)
        c = _open(area, actor, closes_in=30)
        services.close_early(c, reason="The council withdrew the plan", actor=actor)
        now = utcnow()
        assert clock_for(c, now).text == "Response due in 84 days"
        later = now + WEEKS_12 + timedelta(days=3)
        assert clock_for(c, later).is_overdue
        assert [o.consultation for o in overdue_consultations(area, now=later)] == [c]


def test_the_clock_follows_an_extension(app):
    with app.test_request_context():
        area, actor = _people(app)
        c = _open(area, actor, closes_in=2)
        new_close = c.closes_at + timedelta(days=28)
        services.extend(c, new_close, reason="more time", actor=actor)
        after_old_due = c.closes_at - timedelta(days=28) + WEEKS_12 + timedelta(days=2)
        assert not clock_for(c, after_old_due).is_overdue
        assert overdue_consultations(area, now=after_old_due) == []
