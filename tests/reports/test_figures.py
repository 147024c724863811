"""Every figure of the annual report, checked against a count made here independently: plain
Python over the rows of the seeded world (tests/reports/worlds.py), then the published rule
(`forum.disclosure.published`) for counts of people. And the statements the year takes do not
grow with the data."""

from __future__ import annotations

from statistics import median

from sqlalchemy import select

from forum.areas.models import Area, Membership, MembershipStatus, Role
from forum.consultations.models import Consultation
from forum.disclosure import published
from forum.events.models import Event, EventStatus, Registration
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.clock.queries import london_day
from forum.outcomes.decisions.models import Decision, ForumView, Outcome
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, CommitmentStatus, LocalPlan, Priority, ProgressUpdate
from forum.reports.figures import year_of
from forum.reports.periods import Period
from forum.representation.models import Action, Meeting
from forum.surveys.models import Response, ResponseStatus, Survey
from tests.reports.worlds import YEAR
from tests.support import recorded_statements


def _all(model):
    return list(db.session.scalars(select(model)))


def _in(period: Period, moment) -> bool:
    return period.starts_at <= moment < period.ends_before


def _expected(area_id: int, period: Period) -> dict:
    """The figures of the period, counted the long way round."""
    now = utcnow()
    closed = [
        c
        for c in _all(Consultation)
        if c.area_id == area_id
        and c.published_at is not None
        and _in(period, c.closes_at)
        and c.closes_at <= now
    ]
    closed_ids = {c.id for c in closed}
    surveys = {s.id: s.consultation_id for s in _all(Survey)}
    counted = [
        r
        for r in _all(Response)
        if surveys.get(r.survey_id) in closed_ids
        and r.status is ResponseStatus.SUBMITTED
        and r.quarantined_at is None
        and not r.is_awaiting_email
    ]
    people = {r.user_id if r.user_id else -r.id for r in counted}
    channels = {
        key: sum(1 for r in counted if r.channel.value == key)
        for key in ("online", "paper", "phone", "event")
    }
    events = [
        e
        for e in _all(Event)
        if e.area_id == area_id
        and e.status is EventStatus.PUBLISHED
        and _in(period, e.starts_at)
        and e.ends_at <= now
    ]
    event_ids = {e.id for e in events}
    came = sum(r.adults for r in _all(Registration) if r.event_id in event_ids and r.attended)
    members = [
        m
        for m in _all(Membership)
        if m.area_id == area_id
        and m.status is MembershipStatus.ACTIVE
        and m.role in (Role.MEMBER, Role.ORGANISER)
        and (m.decided_at or m.requested_at) < period.ends_before
    ]
    themes = [t for t in _all(Theme) if t.consultation_id in closed_ids and t.published_at]
    theme_ids = {t.id for t in themes}
    decisions = [d for d in _all(Decision) if d.theme_id in theme_ids and d.published_at]
    decided = [d for d in decisions if d.outcome is not Outcome.UNDER_CONSIDERATION]
    taken = [d for d in decided if d.outcome in (Outcome.ADOPTED, Outcome.PARTLY_ADOPTED)]
    responded = [c for c in closed if c.responded_at]
    days = [(london_day(c.responded_at) - london_day(c.closes_at)).days for c in responded]
    plans = {p.id for p in _all(LocalPlan) if p.area_id == area_id and p.published_at}
    priorities = {p.id for p in _all(Priority) if p.plan_id in plans}
    updates = _all(ProgressUpdate)

    def moved_in(c) -> bool:
        times = [
            u.created_at for u in updates if u.commitment_id == c.id and u.status_after is c.status
        ]
        return _in(period, max(times) if times else c.updated_at)

    commitments = [c for c in _all(Commitment) if c.priority_id in priorities]
    meetings = [
        m
        for m in _all(Meeting)
        if m.area_id == area_id and m.is_public and period.contains(m.held_on)
    ]
    agreed = {m.id for m in meetings if m.is_agreed_public}
    actions = [a for a in _all(Action) if a.meeting_id in agreed]
    disputed = [
        d
        for d in _all(Decision)
        if d.area_id == area_id
        and d.published_at
        and d.forum_view is ForumView.DISPUTED
        and d.forum_view_at
        and _in(period, d.forum_view_at)
    ]
    return {
        "members": published(len(members)),
        "respondents": published(len(people)),
        "heard_online": channels["online"],
        "heard_paper": channels["paper"],
        "heard_phone": channels["phone"],
        "heard_came": came,
        "heard_total": published(sum(channels.values()) + came),
        "consultations_opened": sum(
            1
            for c in _all(Consultation)
            if c.area_id == area_id and c.published_at and _in(period, c.opens_at)
        ),
        "consultations_closed": len(closed),
        "themes": len(themes),
        "themes_answered": len({d.theme_id for d in decisions}),
        "decisions": len(decisions),
        "decisions_adopted": sum(1 for d in decisions if d.outcome is Outcome.ADOPTED),
        "decisions_not_adopted": sum(1 for d in decisions if d.outcome is Outcome.NOT_ADOPTED),
        "take_up_percent": round(100 * len(taken) / len(decided)) if decided else None,
        "responses_on_time": sum(1 for c in responded if c.responded_at <= c.response_due_at),
        "responses_late": sum(1 for c in responded if c.responded_at > c.response_due_at),
        "responses_overdue": sum(
            1 for c in closed if not c.responded_at and c.response_due_at < now
        ),
        "median_days_to_respond": median(days) if days else None,
        "commitments_delivered": sum(
            1 for c in commitments if c.status is CommitmentStatus.DONE and moved_in(c)
        ),
        "commitments_dropped": sum(
            1 for c in commitments if c.status is CommitmentStatus.DROPPED and moved_in(c)
        ),
        "commitments_in_progress": sum(
            1
            for c in commitments
            if c.status
            in (CommitmentStatus.ON_TRACK, CommitmentStatus.AT_RISK, CommitmentStatus.DELAYED)
        ),
        "decisions_disputed": len(disputed),
        "events_held": len(events),
        "event_attendance": published(came),
        "meetings_attended": len(meetings),
        "actions_agreed": len(actions),
        "actions_done": sum(1 for a in actions if a.is_done),
    }


def test_every_figure_matches_an_independent_count(world, app):
    with app.test_request_context():
        area = db.session.get(Area, world.area_id)
        year = year_of(area, YEAR)
        expected = _expected(world.area_id, YEAR)
        shown = {name: f.value for name, f in year.figures.items()}
        # The channel cells are protected together: each small one is withheld, so compare the
        # cells through the rule on their own exact counts, then the table's.
        for key in ("heard_online", "heard_paper", "heard_phone", "heard_came"):
            exact = expected.pop(key)
            assert shown[key] == (None if 0 < exact < 5 else published(exact)), key
        for name, value in expected.items():
            assert shown[name] == value, name


def test_the_world_gives_the_figures_its_docstring_promises(world, app):
    """The independent count is itself checked against the world as written: a few exact
    numbers, so a mistake in both counts cannot pass unseen."""
    with app.test_request_context():
        year = year_of(db.session.get(Area, world.area_id), YEAR)
        assert year["consultations_closed"].value == 4
        assert year["consultations_opened"].value == 3
        assert year["members"].value == 10  # 8 members and the organiser: 9, shown as 10
        assert year["respondents"].value == 10  # 6 members + 3 paper + 1 phone + (2 members)
        assert year["events_held"].value == 2
        assert year["event_attendance"].value == 5  # 7 came, rounded to the nearest 5
        assert year["heard_online"].value == 10  # 8 online responses
        assert year["heard_paper"].withheld and year["heard_phone"].withheld
        assert year["commitments_delivered"].value == 1
        assert year["commitments_dropped"].value == 1
        assert [d.detail for d in year.dropped] == ["The building fell through"]
        assert year["decisions_disputed"].value == 1
        assert year["meetings_attended"].value == 2
        assert year["actions_agreed"].value == 2 and year["actions_done"].value == 1
        assert year["responses_on_time"].value == 2
        assert year["responses_late"].value == 1
        assert year["responses_overdue"].value == 1
        assert year["take_up_percent"].value == 67
        assert {p.title for p in year.partners} == {
            "Northshire County Council",
            "NHS Northshire ICB",
            "Northshire Autism Trust",
        }
        assert year["partners_worked_with"].value == 3


def test_nothing_from_another_area_is_counted(world, app):
    with app.test_request_context():
        year = year_of(db.session.get(Area, world.area_id), YEAR)
        names = [c.title for c in year.consultations] + [p.title for p in year.partners]
        assert "South one" not in names and "Southshire Council" not in names
        south = year_of(db.session.get(Area, world.south_id), YEAR)
        assert south["respondents"].value == 10
        assert south["members"].value == 0  # its organiser was never given a joining date


def test_statements_do_not_grow_with_the_data(world, app):
    from tests.events.worlds import make_event, make_registration
    from tests.factories import make_response
    from tests.reports.worlds import at

    with app.test_request_context():
        area = db.session.get(Area, world.area_id)
        with recorded_statements(app) as small:
            year_of(area, YEAR)
        survey = db.session.scalar(
            select(Survey).where(Survey.consultation_id == world.consultations[2])
        )
        for _ in range(30):
            make_response(survey, status="submitted", channel="paper")
        for day in range(1, 20):
            e = make_event(area, starts_at=at(2025, 8, day), ends_at=at(2025, 8, day, 14))
            make_registration(e, email=f"x{day}@example.org", attended=True)
        db.session.flush()
        with recorded_statements(app) as large:
            year = year_of(area, YEAR)
        assert year["events_held"].value == 21
        assert len(large) == len(small), "\n".join(large[len(small) :][:3])
