"""Plan pages send the same number of SQL statements however big the plan: a plan page with 3
or 60 priorities and 5 or 300 commitments (each owned by its own organisation, with updates),
a commitment page with 2 or 200 timeline entries, and the list of plans with 1 or 20 plans."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from forum.areas.models import PartnerKind, PartnerOrganisation
from forum.extensions import db
from forum.models import utcnow
from forum.plans.models import Commitment, CommitmentStatus, LocalPlan, Priority, ProgressUpdate
from tests.plans.worlds import PLAN
from tests.support import assert_same_count, statements_for

STATUSES = list(CommitmentStatus)


def grow(app, world, *, priorities: int, commitments: int, updates: int, plans: int = 0):
    """Bulk rows: top-level priorities each with a sub-priority, commitments spread over them
    (each with its own partner), timeline entries on the council's commitment, more plans."""
    with app.app_context():
        now = utcnow()
        first_partner = db.session.scalar(select(func.max(PartnerOrganisation.id))) + 1
        db.session.execute(
            insert(PartnerOrganisation),
            [
                {
                    "area_id": world.area_id,
                    "name": f"Partner {first_partner + n}",
                    "kind": PartnerKind.OTHER,
                }
                for n in range(commitments)
            ],
        )
        partner_ids = list(
            db.session.scalars(
                select(PartnerOrganisation.id).where(PartnerOrganisation.id >= first_partner)
            )
        )
        made = []
        start = db.session.scalar(select(func.max(Priority.id)))
        for n in range(start, start + priorities // 2):
            top = Priority(
                plan_id=world.plan_id,
                area_id=world.area_id,
                code=f"G{n}",
                title=f"Grown {n}",
                position=10 + n,
            )
            db.session.add(top)
            db.session.flush()
            sub = Priority(
                plan_id=world.plan_id,
                area_id=world.area_id,
                code=f"G{n}.1",
                title=f"Grown sub {n}",
                parent_id=top.id,
                position=1,
            )
            db.session.add(sub)
            db.session.flush()
            made += [top.id, sub.id]
        targets = made or [world.p1]
        db.session.execute(
            insert(Commitment),
            [
                {
                    "priority_id": targets[n % len(targets)],
                    "area_id": world.area_id,
                    "partner_id": partner_ids[n],
                    "title": f"Grown commitment {n}",
                    "status": STATUSES[n % len(STATUSES)],
                    "progress": n % 101,
                    "weight": 1 + n % 3,
                    "dropped_reason": "Reason" if n % 6 == 5 else "",
                    "position": n + 10,
                }
                for n in range(commitments)
            ],
        )
        if updates:
            db.session.execute(
                insert(ProgressUpdate),
                [
                    {
                        "commitment_id": world.c1,
                        "area_id": world.area_id,
                        "text": f"Update {n}",
                        "evidence_url": "https://example.org/e" if n % 2 else "",
                        "status_before": CommitmentStatus.ON_TRACK,
                        "status_after": STATUSES[n % len(STATUSES)],
                        "progress_before": 0,
                        "progress_after": n % 101,
                        "partner_id": partner_ids[n % len(partner_ids)],
                        "created_at": now,
                    }
                    for n in range(updates)
                ],
            )
        offset = db.session.scalar(select(func.max(LocalPlan.id)))
        for n in range(offset, offset + plans):
            db.session.add(
                LocalPlan(
                    area_id=world.area_id,
                    slug=f"grown-{n}",
                    title=f"Grown plan {n}",
                    published_at=now,
                )
            )
        db.session.commit()


@pytest.mark.parametrize("who", [None, "org@example.org", "council@example.org"])
def test_plan_page_is_flat(app, client, auth, world, who):
    if who:
        auth.login(who)
    grow(app, world, priorities=2, commitments=3, updates=2)
    small = statements_for(app, client, PLAN)
    grow(app, world, priorities=58, commitments=297, updates=50)
    large = statements_for(app, client, PLAN)
    assert_same_count(PLAN, small, large)


def test_commitment_page_is_flat(app, client, auth, world):
    auth.login("council@example.org")
    url = f"{PLAN}/commitments/{world.c1}"
    grow(app, world, priorities=0, commitments=2, updates=2)
    small = statements_for(app, client, url)
    grow(app, world, priorities=0, commitments=20, updates=198)
    large = statements_for(app, client, url)
    assert_same_count(url, small, large)


def test_plan_list_and_area_home_are_flat(app, client, world):
    grow(app, world, priorities=0, commitments=2, updates=0, plans=1)
    small = {
        u: statements_for(app, client, u) for u in ("/areas/northshire/plans", "/areas/northshire")
    }
    grow(app, world, priorities=4, commitments=40, updates=0, plans=19)
    for url, before in small.items():
        assert_same_count(url, before, statements_for(app, client, url))


def test_record_of_changes_is_flat(app, client, auth, world):
    from forum.audit.services import record

    auth.login("org@example.org")
    url = "/areas/northshire/plans/changes"

    def add(n):
        with app.app_context():
            from forum.accounts.models import User
            from forum.areas.models import Area

            area = db.session.get(Area, world.area_id)
            commitment = db.session.get(Commitment, world.c1)
            for i in range(n):
                actor = User(
                    email=f"c{n}-{i}@example.org", display_name=f"Changer {i}", password_hash="x"
                )
                db.session.add(actor)
                db.session.flush()
                record(
                    "commitment.updated",
                    commitment,
                    actor=actor,
                    area=area,
                    label="Open four hubs",
                    changed=["title"],
                )
            db.session.commit()

    add(2)
    small = statements_for(app, client, url)
    add(60)
    assert_same_count(url, small, statements_for(app, client, url))
