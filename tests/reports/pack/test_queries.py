"""The pack's contents on the pack world, checked against what the world built (written by
hand in tests/reports/pack/worlds.py): the timeline, the evidence trails with protected counts
and consented quotes only, the open issues, nothing from another area or unpublished, an
empty pack for an area with no data, and a fixed number of statements."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from forum.areas.models import Area
from forum.disclosure import FEWER
from forum.extensions import db
from forum.models import utcnow
from forum.reports.pack.queries import build_pack
from forum.reports.periods import Period
from tests.factories import make_area
from tests.reports.pack.worlds import EXPECTED_MOMENTS, NEVER, NOT_QUOTED, QUOTED, window


def _pack(world, period=None):
    area = db.session.get(Area, world.area_id)
    return build_pack(area, period or window(), utcnow())


def _text(pack) -> str:
    """Every word the pack holds, for "never appears" checks."""
    return repr(pack)


def test_the_timeline_lists_every_public_moment_of_the_window_and_nothing_else(app, world):
    with app.test_request_context():
        pack = _pack(world)
        moments = [m for month in pack.months for m in month.moments]
        assert sorted((m.kind, m.title) for m in moments) == EXPECTED_MOMENTS
        assert [m.at for m in moments] == sorted(m.at for m in moments)
        assert all(pack.period.contains(m.day) for m in moments)
        assert [month.first for month in pack.months] == sorted({m.first for m in pack.months})


def test_the_summary_counts_what_the_timeline_lists(app, world):
    with app.test_request_context():
        summary = _pack(world).summary
        assert (summary.opened, summary.closed, summary.responses) == (2, 2, 1)
        assert (summary.decisions, summary.taken_up, summary.linked) == (2, 1, 1)
        assert (summary.updates, summary.meetings) == (2, 1)
        # nine people stand behind the two themes: shown rounded to the nearest 5
        assert summary.people.value == 10 and summary.people.rounded
        assert summary.items.value == 10


def test_the_trails_follow_each_theme_to_its_decisions_commitments_and_progress(app, world):
    with app.test_request_context():
        trails = _pack(world).trails
        assert [t.title for t in trails] == ["Waiting lists are too long", "Schools do not listen"]
        waiting, schools = trails
        # seven answers from seven people, published as 5 (rounded); two as "fewer than 5"
        assert (waiting.items.value, waiting.people.value) == (5, 5)
        assert str(schools.items) == FEWER and str(schools.people) == FEWER
        assert waiting.quotes == [QUOTED]
        [decision] = waiting.decisions  # the ICB's answer is not published
        assert (decision.partner, decision.outcome.value) == (
            "Northshire County Council",
            "adopted",
        )
        [commitment] = decision.commitments
        assert commitment.title == "Cut waiting times" and commitment.url
        assert [u.text for u in commitment.updates] == [
            "Planning began long ago",
            "Two assessors started",
        ]
        [answer] = schools.decisions
        assert answer.forum_view.value == "disputed"
        assert answer.forum_comment == "The ICB has not set a date"


def test_the_open_issues_are_what_is_late_disputed_or_delayed_today(app, world):
    with app.test_request_context():
        issues = _pack(world).issues
        assert [o.consultation.title for o in issues.overdue_responses] == ["Transport to school"]
        assert [o.theme.title for o in issues.overdue_decisions] == ["Schools do not listen"]
        assert [d.theme for d in issues.disputed] == ["Schools do not listen"]
        assert sorted(d.title for d in issues.delayed) == ["Publish the offer", "Review transport"]


def test_nothing_unpublished_private_unconsented_or_from_another_area_appears(app, world):
    with app.test_request_context():
        text = _text(_pack(world))
        for words in NEVER:
            assert words not in text, words
        assert NOT_QUOTED not in text


def test_a_window_before_everything_has_only_todays_open_issues(app, world):
    with app.test_request_context():
        pack = _pack(world, Period(date(2001, 1, 1), date(2001, 12, 31)))
        assert pack.months == [] and pack.trails == []
        assert pack.summary.decisions == 0 and pack.summary.people.value == 0
        assert not pack.issues.is_empty


def test_an_area_with_no_data_gives_an_empty_pack(app, world):
    with app.test_request_context():
        empty = make_area(slug="emptyshire", name="Emptyshire")
        pack = build_pack(empty, window(), utcnow())
        assert pack.is_empty and pack.issues.is_empty
        assert pack.summary.items.value == 0


def _statements(area_id: int) -> int:
    """The statements `build_pack` sends for the area (loaded before counting)."""
    area = db.session.get(Area, area_id)
    assert area.slug
    count = 0

    def listener(conn, cursor, statement, *args):
        nonlocal count
        count += not statement.startswith(("SAVEPOINT", "RELEASE"))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        build_pack(area, window(), utcnow())
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return count


def _more_of_everything(area_id: int) -> None:
    """Another consultation with themes, answers, decisions, commitments, progress and a
    meeting, all published and in the window."""
    from forum.areas.models import PartnerOrganisation
    from forum.plans.models import Priority
    from tests.factories import make_commitment, make_consultation, make_theme
    from tests.outcomes.worlds import london_noon, set_consultation
    from tests.reports.pack.worlds import _decision, _meeting, _published, _update

    area = db.session.get(Area, area_id)
    partner = db.session.scalars(
        db.select(PartnerOrganisation).where(PartnerOrganisation.area_id == area_id)
    ).first()
    priority = db.session.scalars(db.select(Priority).where(Priority.area_id == area_id)).first()
    for n in range(3):
        consultation = make_consultation(area, state="responded", title=f"More {n}")
        set_consultation(consultation, opens_at=london_noon(90), closes_at=london_noon(70))
        for m in range(3):
            theme = _published(make_theme(consultation, title=f"More theme {n}.{m}"), 30)
            decision = _decision(theme, partner, 30, outcome="adopted")
            commitment = make_commitment(priority, partner, title=f"More commitment {n}.{m}")
            from forum.outcomes.decisions.models import DecisionCommitment

            db.session.add(
                DecisionCommitment(
                    decision_id=decision.id, commitment_id=commitment.id, area_id=area_id
                )
            )
            db.session.commit()
            _update(commitment, 20, "Going well")
        _meeting(area, f"More meeting {n}", 25, public=True, partner=partner)


def test_the_pack_is_a_fixed_number_of_statements_however_much_there_is(app, world):
    with app.test_request_context():
        small = _statements(world.area_id)
        _more_of_everything(world.area_id)
        pack = _pack(world)
        assert len(pack.trails) == 2 + 9
        assert _statements(world.area_id) == small
        assert small <= 20


def test_a_trail_shows_a_commitments_newest_updates_and_counts_the_rest(app, world):
    from forum.plans.models import Commitment
    from tests.reports.pack.worlds import _update

    with app.test_request_context():
        commitment = db.session.get(Commitment, world.cut)
        for days in (45, 40, 35, 25, 20):
            _update(commitment, days, f"Update {days} days ago")
        [decision] = _pack(world).trails[0].decisions
        [shown] = decision.commitments
        assert [u.text for u in shown.updates] == [
            "Two assessors started",
            "Update 25 days ago",
            "Update 20 days ago",
        ]
        assert shown.earlier == 4
