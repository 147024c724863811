"""The reports world: Northshire's financial year April 2025 to March 2026, with things just
inside and just outside it, and Southshire next door, whose year must never leak in.

Northshire has an organiser, eight members who joined before the year ended (one of them left
later, one joined after it), a council and an ICB; five published consultations (four closed
in the year, one after it) and a draft that closed in it; responses online, on paper and by
phone, one quarantined and one draft; published themes with answers (one disputed by the
forum), an unpublished theme; events held, cancelled and later; commitments delivered, dropped
(with a reason), in progress and not started, in a published plan and a draft one; meetings
public, with private actions, private, and after the year. Built once per module (`world` in
tests/reports/conftest.py); dates are fixed, so every figure is known.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from forum.areas.models import Membership, MembershipStatus, PartnerKind, Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.decisions.models import Decision, ForumView, Outcome
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, CommitmentStatus, LocalPlan, Priority, ProgressUpdate
from forum.reports.periods import financial_year
from forum.representation.models import Action, Meeting
from forum.surveys.models import Response
from tests.events.worlds import make_event, make_registration
from tests.factories import (
    make_area,
    make_membership,
    make_partner,
    make_person_in,
    make_question,
    make_response,
    make_survey,
    make_user,
)

YEAR = financial_year(2025)
EMAILS = {
    "organiser": "org@example.org",
    "member": "member@example.org",
    "council": "council@example.org",
    "other": "other@example.org",
    "admin": "admin@example.org",
}


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _consultation(area, slug, *, opens, closes, responded=None, published=True, title=None):
    c = Consultation(
        area_id=area.id,
        slug=slug,
        title=title or slug.replace("-", " ").capitalize(),
        summary="What do you think?",
        opens_at=opens,
        closes_at=closes,
        response_due_at=closes + timedelta(weeks=12),
        published_at=opens - timedelta(days=1) if published else None,
        responded_at=responded,
    )
    db.session.add(c)
    db.session.flush()
    return c


def _responses(consultation, members, *, online=0, paper=0, phone=0, quarantined=0, draft=0):
    survey = make_survey(consultation)
    question = make_question(survey, kind="short_text", prompt="Tell us more?")
    made = []
    for i in range(online):
        made.append(
            make_response(
                survey,
                user=members[i % len(members)],
                status="submitted",
                answers={question: "Online words"},
            )
        )
    for channel, n in (("paper", paper), ("phone", phone)):
        for _ in range(n):
            made.append(
                make_response(
                    survey, status="submitted", channel=channel, answers={question: "Typed in"}
                )
            )
    for _ in range(quarantined):
        r = make_response(survey, status="submitted", answers={question: "Burst"})
        db.session.get(Response, r.id).quarantined_at = utcnow()
    for _ in range(draft):
        make_response(survey, answers={question: "Not sent"})
    db.session.flush()
    return survey


def _theme(consultation, title, *, published=True):
    theme = Theme(
        area_id=consultation.area_id,
        consultation_id=consultation.id,
        title=title,
        summary="Families told us this.",
        published_at=utcnow() if published else None,
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def _decision(theme, partner, outcome, *, published=True, view=ForumView.PENDING, view_at=None):
    d = Decision(
        theme_id=theme.id,
        area_id=theme.area_id,
        partner_id=partner.id,
        outcome=Outcome(outcome),
        explanation="What we will do.",
        reason="No money" if outcome == "not_adopted" else "",
        forum_view=view,
        forum_view_at=view_at,
        published_at=utcnow() if published else None,
    )
    db.session.add(d)
    db.session.flush()
    return d


def _commitment(priority, partner, title, status, *, moved=None, reason=""):
    c = Commitment(
        priority_id=priority.id,
        area_id=priority.area_id,
        partner_id=partner.id,
        title=title,
        status=CommitmentStatus(status),
        dropped_reason=reason,
        created_at=at(2024, 1, 10),
    )
    db.session.add(c)
    db.session.flush()
    if moved is not None:
        db.session.add(
            ProgressUpdate(
                commitment_id=c.id,
                area_id=c.area_id,
                text="Moved on.",
                status_before=CommitmentStatus.ON_TRACK,
                status_after=CommitmentStatus(status),
                created_at=moved,
            )
        )
        db.session.flush()
    return c


def _member(area, email=None, *, joined, status=MembershipStatus.ACTIVE):
    user = make_user(email=email)
    m = make_membership(user, area, Role.MEMBER, status=status)
    row = db.session.get(Membership, m.id)
    row.requested_at = joined
    row.decided_at = joined
    return user


def build_reports_world() -> SimpleNamespace:
    """Call inside an app context. Returns ids and the expected exact counts."""
    area = make_area(slug="northshire", name="Northshire")
    south = make_area(slug="southshire", name="Southshire")
    council = make_partner(area, name="Northshire County Council")
    icb = make_partner(area, name="NHS Northshire ICB", kind=PartnerKind.HEALTH)
    south_council = make_partner(south, name="Southshire Council")
    make_user(email=EMAILS["admin"], is_admin=True)
    organiser = make_person_in(area, Role.ORGANISER, email=EMAILS["organiser"])
    db.session.get(
        Membership,
        db.session.scalar(db.select(Membership.id).where(Membership.user_id == organiser.id)),
    ).requested_at = at(2024, 5, 1)
    make_membership(make_user(email=EMAILS["council"]), area, Role.RESPONDER, partner=council)
    make_person_in(south, Role.ORGANISER, email=EMAILS["other"])

    members = [_member(area, EMAILS["member"], joined=at(2024, 6, 1))]
    members += [_member(area, joined=at(2025, 5, i + 1)) for i in range(6)]
    _member(area, joined=at(2025, 6, 1), status=MembershipStatus.LEFT)
    _member(area, joined=at(2026, 6, 1))  # after the year

    # Consultations: C0 opened before the year and closed in it; C1, C2, C3 opened and closed
    # in it; C4 opened in it? no: after it; a draft closed in it.
    c0 = _consultation(
        area, "early-years", opens=at(2025, 3, 1), closes=at(2025, 4, 20), responded=at(2025, 6, 1)
    )
    c1 = _consultation(
        area,
        "short-breaks",
        opens=at(2025, 5, 1),
        closes=at(2025, 6, 30),
        responded=at(2025, 8, 1),
        title="Short breaks",
    )
    c2 = _consultation(
        area,
        "transport",
        opens=at(2025, 10, 1),
        closes=at(2025, 11, 30),
        responded=at(2026, 4, 15),
        title="School transport",
    )
    c3 = _consultation(area, "therapies", opens=at(2026, 1, 15), closes=at(2026, 3, 1))
    c4 = _consultation(area, "after-the-year", opens=at(2026, 4, 10), closes=at(2026, 6, 1))
    _consultation(area, "draft-one", opens=at(2025, 7, 1), closes=at(2025, 8, 1), published=False)
    _responses(c1, members, online=6, paper=3, phone=1, quarantined=2, draft=1)
    _responses(c2, members, online=2)
    _responses(c4, members, online=4)
    south_c = _consultation(south, "south-one", opens=at(2025, 5, 1), closes=at(2025, 6, 1))
    _responses(south_c, [make_user() for _ in range(5)], online=5, paper=5)

    t1 = _theme(c1, "Waiting lists are too long")
    t2 = _theme(c2, "Buses are late")
    _theme(c2, "Unpublished theme words", published=False)
    _theme(c4, "A later theme")
    _decision(t1, council, "adopted")
    _decision(t1, icb, "not_adopted", view=ForumView.DISPUTED, view_at=at(2025, 9, 1))
    _decision(t2, council, "partly_adopted")
    _decision(t2, icb, "under_consideration", published=False)

    # Events: two held in the year (6 and 1 came), one cancelled, one after it.
    e1 = make_event(
        area, title="Summer coffee morning", starts_at=at(2025, 7, 10), ends_at=at(2025, 7, 10, 14)
    )
    make_registration(e1, email="a@example.org", adults=2, attended=True)
    make_registration(e1, email="b@example.org", adults=3, attended=True)
    make_registration(e1, email="c@example.org", adults=1, attended=True)
    make_registration(e1, email="d@example.org", adults=2, attended=False)
    e2 = make_event(
        area, title="Winter drop-in", starts_at=at(2026, 1, 20), ends_at=at(2026, 1, 20, 14)
    )
    make_registration(e2, email="e@example.org", adults=1, attended=True)
    make_event(area, status="cancelled", starts_at=at(2025, 9, 1), ends_at=at(2025, 9, 1, 14))
    e4 = make_event(area, starts_at=at(2026, 5, 1), ends_at=at(2026, 5, 1, 14))
    make_registration(e4, email="f@example.org", adults=4, attended=True)

    # Commitments.
    plan = LocalPlan(
        area_id=area.id, slug="lip", title="Local Inclusion Plan", published_at=at(2024, 1, 1)
    )
    draft_plan = LocalPlan(area_id=area.id, slug="draft", title="Draft plan")
    db.session.add_all([plan, draft_plan])
    db.session.flush()
    p1 = Priority(plan_id=plan.id, area_id=area.id, code="P1", title="Early help")
    dp = Priority(plan_id=draft_plan.id, area_id=area.id, code="D1", title="Draft priority")
    db.session.add_all([p1, dp])
    db.session.flush()
    _commitment(p1, council, "Open four family hubs", "done", moved=at(2025, 9, 10))
    _commitment(
        p1, icb, "A new clinic", "dropped", moved=at(2026, 2, 1), reason="The building fell through"
    )
    _commitment(p1, council, "Train staff", "on_track")
    _commitment(p1, council, "Review the offer", "not_started")
    _commitment(p1, council, "Done the year before", "done", moved=at(2024, 12, 1))
    _commitment(dp, council, "Draft promise", "done", moved=at(2025, 9, 10))

    # Meetings.
    board = Meeting(
        area_id=area.id,
        name="SEND Partnership Board",
        partner_id=council.id,
        held_on=date(2025, 5, 5),
        is_public=True,
        is_agreed_public=True,
    )
    trust = Meeting(
        area_id=area.id,
        name="Autism group",
        partner_name="Northshire Autism Trust",
        held_on=date(2025, 12, 12),
        is_public=True,
    )
    private = Meeting(
        area_id=area.id, name="Private", partner_id=council.id, held_on=date(2025, 8, 3)
    )
    later = Meeting(
        area_id=area.id,
        name="Later",
        partner_id=icb.id,
        held_on=date(2026, 4, 5),
        is_public=True,
        is_agreed_public=True,
    )
    db.session.add_all([board, trust, private, later])
    db.session.flush()
    for meeting, text, done in (
        (board, "Publish waiting times", True),
        (board, "Review short breaks", False),
        (trust, "Hidden action", False),
        (later, "Later action", True),
    ):
        db.session.add(Action(meeting_id=meeting.id, area_id=area.id, text=text, is_done=done))
    db.session.commit()
    return SimpleNamespace(
        area_id=area.id,
        south_id=south.id,
        south_council=south_council.id,
        consultations=[c0.id, c1.id, c2.id, c3.id],
    )
