"""The pack world: the plan world (Northshire with a council and an ICB, people in every role,
a published plan and a draft one; Southshire next door with its own organiser) and a year of
co-production in Northshire, with something of every kind the pack must show and of every
kind it must not (a draft consultation, an unpublished theme, a decision not published, a
private meeting, a commitment of the draft plan, one from before the window, Southshire's).

`WINDOW` is the year up to today; what the pack must list is in `EXPECTED_MOMENTS`, written
here by hand from what the world builds, independently of the pack's queries.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Area, PartnerOrganisation
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.decisions.models import Decision, DecisionCommitment, ForumView
from forum.outcomes.themes.models import Evidence, EvidenceKind, Theme
from forum.plans.models import Commitment, CommitmentStatus, Priority, ProgressUpdate
from forum.reports.pack import services as sharing
from forum.reports.pack.manage_views import default_window
from forum.representation.models import Action, Meeting
from forum.surveys.models import Answer, Response
from forum.web.time import LONDON
from tests.factories import (
    make_commitment,
    make_consultation,
    make_decision,
    make_question,
    make_response,
    make_survey,
    make_theme,
    make_user,
)
from tests.outcomes.worlds import london_noon, set_consultation
from tests.plans.worlds import build_plan_world

BASE = "/areas/northshire/inspection-pack"
#: words a quote may show, and words whose author did not agree to be quoted
QUOTED = "We waited two years for an assessment"
NOT_QUOTED = "My son Jamie at Hill School was refused"


def today() -> date:
    return utcnow().astimezone(LONDON).date()


def window():
    return default_window(today())


def window_args(start: date, end: date) -> dict:
    return {
        "start-day": str(start.day),
        "start-month": str(start.month),
        "start-year": str(start.year),
        "end-day": str(end.day),
        "end-month": str(end.month),
        "end-year": str(end.year),
    }


#: (kind, title) of every moment of the window's timeline, by hand
EXPECTED_MOMENTS = sorted(
    [
        ("opened", "Short breaks"),
        ("closed", "Short breaks"),
        ("responded", "Short breaks"),
        ("opened", "Transport to school"),
        ("closed", "Transport to school"),
        ("decision", "Waiting lists are too long"),
        ("decision", "Schools do not listen"),
        ("disputed", "Schools do not listen"),
        ("linked", "Cut waiting times"),
        ("progress", "Cut waiting times"),
        ("progress", "Train every SENCO"),
        ("meeting", "SEND Partnership Board"),
    ]
)
#: titles that must never appear in Northshire's pack
NEVER = [
    "Draft consultation words",
    "Unpublished theme words",
    "Old consultation",
    "Private meeting words",
    "Draft promise",
    "Progress nobody linked",
    "South consultation",
    "South theme",
    "South meeting",
    NOT_QUOTED,
    "Not yet published answer",
]


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _respond(survey, question, words: str, *, quote: bool) -> Answer:
    person = make_user()
    response = make_response(survey, user=person, status="submitted", answers={question: words})
    row = db.session.get(Response, response.id)
    row.may_quote = quote
    db.session.commit()
    return db.session.scalar(select(Answer).where(Answer.response_id == response.id))


def _evidence(theme, answer) -> None:
    db.session.add(
        Evidence(
            theme_id=theme.id, area_id=theme.area_id, kind=EvidenceKind.ANSWER, answer_id=answer.id
        )
    )


def _published(theme, days_ago: int) -> Theme:
    row = db.session.get(Theme, theme.id)
    row.published_at = london_noon(days_ago)
    db.session.commit()
    return row


def _decision(theme, partner, days_ago: int | None, **fields) -> Decision:
    decision = make_decision(theme, partner, **fields)
    row = db.session.get(Decision, decision.id)
    row.published_at = london_noon(days_ago) if days_ago is not None else None
    db.session.commit()
    return row


def _update(commitment, days_ago: int, text: str, after=CommitmentStatus.ON_TRACK, progress=50):
    db.session.add(
        ProgressUpdate(
            commitment_id=commitment.id,
            area_id=commitment.area_id,
            text=text,
            status_before=CommitmentStatus.NOT_STARTED,
            status_after=after,
            progress_before=0,
            progress_after=progress,
            partner_id=commitment.partner_id,
            created_at=london_noon(days_ago),
        )
    )
    db.session.commit()


def _meeting(area, name: str, days_ago: int, *, public: bool, partner=None) -> Meeting:
    meeting = Meeting(
        area_id=area.id,
        name=name,
        partner_id=partner.id if partner else None,
        partner_name="" if partner else "A school trust",
        held_on=today() - timedelta(days=days_ago),
        summary="We raised waiting times.",
        is_public=public,
        is_raised_public=public,
        is_agreed_public=public,
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting


def build_pack_world() -> SimpleNamespace:
    """Call inside an app context. Returns ids and names."""
    plan = build_plan_world()
    area = db.session.get(Area, plan.area_id)
    south = db.session.get(Area, plan.south_id)
    council = db.session.get(PartnerOrganisation, plan.council_id)
    icb = db.session.get(PartnerOrganisation, plan.icb_id)
    south_council = db.session.get(PartnerOrganisation, plan.south_council_id)
    p1 = db.session.get(Priority, plan.p1)
    dp = db.session.get(Priority, plan.dp)

    # Short breaks: opened, closed and answered in the window; two published themes.
    breaks = make_consultation(area, state="responded", title="Short breaks")
    set_consultation(
        breaks,
        opens_at=london_noon(200),
        closes_at=london_noon(150),
        response_due_at=london_noon(66),
        responded_at=london_noon(60),
    )
    survey = make_survey(breaks)
    question = make_question(survey, kind="long_text", prompt="What would help?")
    waiting = make_theme(breaks, title="Waiting lists are too long", summary="Families wait.")
    answers = [_respond(survey, question, QUOTED, quote=True)]
    answers += [_respond(survey, question, f"Too slow {n}", quote=False) for n in range(5)]
    answers.append(_respond(survey, question, NOT_QUOTED, quote=False))
    for answer in answers:
        _evidence(waiting, answer)
    schools = make_theme(breaks, title="Schools do not listen", summary="Schools ignore plans.")
    for n in range(2):
        _evidence(schools, _respond(survey, question, f"School {n}", quote=False))
    hidden = make_theme(breaks, title="Unpublished theme words")
    db.session.commit()
    _published(waiting, 60)
    _published(schools, 60)

    cut = make_commitment(p1, council, title="Cut waiting times", status="on_track", progress=50)
    adopted = _decision(waiting, council, 60, outcome="adopted", explanation="We will hire staff.")
    db.session.add(
        DecisionCommitment(
            decision_id=adopted.id,
            commitment_id=cut.id,
            area_id=area.id,
            linked_at=london_noon(55),
        )
    )
    _decision(waiting, icb, None, outcome="adopted", explanation="Not yet published answer")
    _update(cut, 30, "Two assessors started")
    _update(cut, 500, "Planning began long ago")  # before the window: only in the trail
    considering = _decision(
        schools,
        icb,
        60,
        outcome="under_consideration",
        explanation="We are looking at training.",
        decide_by=today() - timedelta(days=10),
    )
    considering.forum_view = ForumView.DISPUTED
    considering.forum_comment = "The ICB has not set a date"
    considering.forum_view_at = london_noon(50)
    db.session.commit()
    _decision(hidden, council, 60, outcome="adopted", explanation="Hidden answer")

    # Transport to school: opened and closed in the window, its response overdue.
    transport = make_consultation(area, state="closed", title="Transport to school")
    set_consultation(
        transport,
        opens_at=london_noon(130),
        closes_at=london_noon(100),
        response_due_at=london_noon(16),
    )
    draft = make_consultation(area, state="draft", title="Draft consultation words")
    set_consultation(draft, opens_at=london_noon(20), closes_at=london_noon(10))
    old = make_consultation(area, state="closed", title="Old consultation")
    set_consultation(
        old,
        opens_at=london_noon(1200),
        closes_at=london_noon(1150),
        response_due_at=london_noon(1066),
        responded_at=london_noon(1000),
    )

    # The forum's meetings: one public, whose action became a commitment; one private.
    board = _meeting(area, "SEND Partnership Board", 20, public=True, partner=council)
    senco = make_commitment(p1, council, title="Train every SENCO", status="on_track")
    for position, text in enumerate(("Train SENCOs", "Write to schools"), start=1):
        db.session.add(
            Action(
                meeting_id=board.id,
                area_id=area.id,
                text=text,
                position=position,
                commitment_id=senco.id if position == 1 else None,
            )
        )
    db.session.commit()
    _update(senco, 10, "First training day held")
    _meeting(area, "Private meeting words", 15, public=False, partner=council)

    # Commitments nobody linked to feedback; one delayed; the draft plan's.
    loose = make_commitment(p1, council, title="Progress nobody linked", status="on_track")
    _update(loose, 5, "Something unrelated")
    make_commitment(p1, icb, title="Review transport", status="delayed")
    make_commitment(
        p1, council, title="Publish the offer", status="on_track", due_on=today() - timedelta(1)
    )
    draft_commitment = db.session.get(Commitment, plan.dc)
    draft_commitment.status = CommitmentStatus.DELAYED
    db.session.commit()
    assert dp.id == draft_commitment.priority_id

    # Southshire's own year.
    south_c = make_consultation(south, state="responded", title="South consultation")
    set_consultation(south_c, opens_at=london_noon(100), closes_at=london_noon(80))
    south_theme = make_theme(south_c, title="South theme")
    _published(south_theme, 40)
    _decision(south_theme, south_council, 40, outcome="adopted", explanation="South answer")
    _meeting(south, "South meeting", 20, public=True, partner=south_council)

    organiser = user("org@example.org")
    share, token = sharing.create_share(
        area,
        partner_name="the council’s SEND lead",
        organisation="Northshire County Council",
        start=window().start,
        end=window().end,
        expires_on=None,
        actor=organiser,
    )
    south_share, south_token = sharing.create_share(
        south,
        partner_name="Inspectors",
        organisation="Ofsted and CQC",
        start=window().start,
        end=window().end,
        expires_on=None,
        actor=user("other@example.org"),
    )
    db.session.commit()
    return SimpleNamespace(
        area_id=area.id,
        south_id=south.id,
        share_id=share.id,
        token=token,
        south_share_id=south_share.id,
        south_token=south_token,
        waiting=waiting.id,
        schools=schools.id,
        cut=cut.id,
        breaks_slug=breaks.slug,
    )
