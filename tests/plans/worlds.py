"""The plan world: Northshire with a council and an ICB, people in every role, a published plan
with a small tree of priorities and commitments, and a draft plan; Southshire next door.

`build_plan_world` is called once per module by the `world` fixture in tests/plans/conftest.py;
`PLAN` and `DRAFT` are the two plans' addresses.
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import update

from forum.areas.models import PartnerKind, Role
from forum.extensions import db
from forum.plans.models import LocalPlan
from tests.factories import (
    make_area,
    make_commitment,
    make_membership,
    make_partner,
    make_person_in,
    make_plan,
    make_priority,
    make_user,
)

PLAN = "/areas/northshire/plans/lip"
DRAFT = "/areas/northshire/plans/draft-strategy"


def set_slug(plan, slug):
    db.session.execute(update(LocalPlan).where(LocalPlan.id == plan.id).values(slug=slug))
    db.session.commit()


def build_plan_world() -> SimpleNamespace:
    """Call inside an app context. Returns ids."""
    area = make_area(slug="northshire", name="Northshire")
    south = make_area(slug="southshire", name="Southshire")
    council = make_partner(area, name="Northshire County Council")
    icb = make_partner(area, name="NHS Northshire ICB", kind=PartnerKind.HEALTH)
    south_council = make_partner(south, name="Southshire Council")
    make_user(email="admin@example.org", is_admin=True)
    make_person_in(area, Role.ORGANISER, email="org@example.org")
    make_person_in(area, Role.MEMBER, email="member@example.org")
    make_membership(make_user(email="council@example.org"), area, Role.RESPONDER, partner=council)
    make_membership(make_user(email="icb@example.org"), area, Role.RESPONDER, partner=icb)
    make_person_in(south, Role.ORGANISER, email="other@example.org")
    make_membership(
        make_user(email="southresp@example.org"), south, Role.RESPONDER, partner=south_council
    )
    make_user(email="nobody@example.org")

    plan = make_plan(area, title="Local Inclusion Plan")
    set_slug(plan, "lip")
    p1 = make_priority(area, code="P1", title="Early help", plan=plan)
    p11 = make_priority(area, code="P1.1", title="Family hubs", plan=plan, parent=p1)
    p2 = make_priority(area, code="P2", title="Mental health", plan=plan)
    c1 = make_commitment(p1, council, title="Open four hubs", status="on_track", progress=40)
    c2 = make_commitment(p11, icb, title="Health visitors trained", progress=60, weight=3)
    draft = make_plan(area, title="Draft strategy", published=False)
    set_slug(draft, "draft-strategy")
    dp = make_priority(area, code="D1", title="Draft priority", plan=draft)
    dc = make_commitment(dp, council, title="Draft promise")
    return SimpleNamespace(
        area_id=area.id,
        south_id=south.id,
        council_id=council.id,
        icb_id=icb.id,
        south_council_id=south_council.id,
        plan_id=plan.id,
        draft_id=draft.id,
        p1=p1.id,
        p11=p11.id,
        p2=p2.id,
        c1=c1.id,
        c2=c2.id,
        dp=dp.id,
        dc=dc.id,
    )
