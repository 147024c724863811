"""The representation world: the plan world (Northshire with a council and an ICB, people in
every role, a published plan, a draft plan; Southshire next door), plus a responded
consultation with a published theme, a members-only one with a published theme, and meetings:
one public in every part, one public without its actions, one not public at all.

`build_representation_world` is called once per module by the `world` fixture in
tests/representation/conftest.py.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Area, PartnerOrganisation
from forum.extensions import db
from forum.models import utcnow
from forum.plans.models import Priority
from forum.representation import services
from tests.factories import make_consultation, make_theme
from tests.plans.worlds import build_plan_world

BASE = "/areas/northshire/representation"
MEETINGS = f"{BASE}/meetings"
#: the month of the world's meetings, and an earlier one
MONTH = date(2026, 10, 1)
EARLIER = date(2026, 8, 1)


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def build_representation_world() -> SimpleNamespace:
    """Call inside an app context. Returns ids."""
    plan = build_plan_world()
    area = db.session.get(Area, plan.area_id)
    council = db.session.get(PartnerOrganisation, plan.council_id)
    organiser = user("org@example.org")
    member = user("member@example.org")
    responded = make_consultation(area, state="responded", title="Short breaks")
    theme = make_theme(responded, title="Waiting lists are too long")
    theme.published_at = utcnow()
    closed = make_consultation(area, state="closed", title="Transport")
    draft_theme = make_theme(closed, title="Unpublished theme words")
    p1 = db.session.get(Priority, plan.p1)
    dp = db.session.get(Priority, plan.dp)
    board = services.record_meeting(
        area,
        name="SEND Partnership Board",
        held_on=date(2026, 10, 14),
        partner=council,
        members=[member],
        other_people=["Sam Carer"],
        themes=[theme, draft_theme],
        priorities=[p1, dp],
        summary="We raised **waiting times** for assessments.",
        is_public=True,
        is_raised_public=True,
        is_agreed_public=True,
        actor=organiser,
    )
    done = services.add_action(
        board, text="Publish the waiting times", owner="Council", is_done=True, actor=organiser
    )
    open_action = services.add_action(
        board,
        text="Review the short breaks statement",
        owner="Council SEND team",
        due_on=date(2027, 3, 31),
        actor=organiser,
    )
    quiet = services.record_meeting(
        area,
        name="Autism pathway group",
        held_on=date(2026, 10, 20),
        partner_name="Northshire Autism Trust",
        summary="Secret summary words",
        is_public=True,
        actor=organiser,
    )
    services.add_action(quiet, text="Hidden action words", actor=organiser)
    hidden = services.record_meeting(
        area,
        name="Private planning meeting",
        held_on=date(2026, 8, 3),
        partner=council,
        summary="Nothing public here",
        actor=organiser,
    )
    older = services.record_meeting(
        area,
        name="Health scrutiny panel",
        held_on=date(2026, 8, 12),
        partner=council,
        is_public=True,
        actor=organiser,
    )
    db.session.commit()
    return SimpleNamespace(
        **vars(plan),
        theme=theme.id,
        draft_theme=draft_theme.id,
        board=board.id,
        quiet=quiet.id,
        hidden=hidden.id,
        older=older.id,
        done_action=done.id,
        open_action=open_action.id,
        organiser_id=organiser.id,
        member_id=member.id,
    )
