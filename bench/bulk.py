"""Bulk data on top of the demo, so pages are measured against realistic sizes.

Rows go in with one multi-row INSERT per table (no services, no audit entries): thousands of
accounts through `accounts.register` would take minutes of argon2 hashing. Every bulk account
shares one low-cost argon2id hash of a password nobody uses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import func, insert, select

from forum.accounts.models import User, new_session_token
from forum.areas.models import (
    Area,
    Membership,
    MembershipStatus,
    PartnerKind,
    PartnerOrganisation,
    Role,
)
from forum.extensions import db
from forum.models import utcnow

BULK_EMAIL_DOMAIN = "bench.example"
BULK_PASSWORD = "bench-bulk-account-not-for-sign-in"  # noqa: S105 - benchmark data only

_STEMS = [
    "Ash",
    "Beck",
    "Bram",
    "Calder",
    "Cole",
    "Dun",
    "Elm",
    "Fern",
    "Glen",
    "Hart",
    "Holt",
    "Kings",
    "Lang",
    "Lea",
    "Marsh",
    "Mill",
    "Nor",
    "Oak",
    "Pen",
    "Red",
    "Rye",
    "Sand",
    "Stan",
    "Thorn",
    "Wake",
    "West",
    "Whit",
    "Wick",
    "Wold",
    "York",
]
_ENDINGS = ["ford", "field", "ham", "ley", "borough", "mouth", "bridge", "dale", "wick", "ton"]
_FIRST = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Gwen",
    "Hamza",
    "Isla",
    "Jack",
    "Kemi",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Usman",
    "Vera",
    "Will",
    "Yusuf",
    "Zara",
]
_LAST = [
    "Adams",
    "Begum",
    "Clarke",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lewis",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
    "Quigley",
    "Roberts",
    "Smith",
    "Taylor",
    "Walsh",
    "Young",
]
_COLOURS = ["#1d70b8", "#1d5b79", "#6f3a7d", "#005a30", "#942514", "#383f43"]


@dataclass(frozen=True)
class BulkCounts:
    areas: int
    partners: int
    users: int
    active: int
    pending: int


def area_names(count: int, rng: random.Random) -> list[str]:
    names = [stem + ending for stem in _STEMS for ending in _ENDINGS]
    rng.shuffle(names)
    if count > len(names):
        names += [f"{name} North" for name in names]
    return sorted(names[:count])


def add_bulk_data(*, area_slug: str, areas: int, users: int, pending: int, seed: int = 42):
    """Add `areas` areas (two partners each) and `users` accounts with memberships in the
    area `area_slug`: `pending` of them waiting, the rest active members. Commits."""
    rng = random.Random(seed)
    now = utcnow()
    target = db.session.scalar(select(Area).where(Area.slug == area_slug))
    if target is None:
        raise RuntimeError(f"no area {area_slug!r} to add members to; seed the demo first")
    decider_id = db.session.scalar(
        select(Membership.user_id).where(
            Membership.area_id == target.id, Membership.role == Role.ORGANISER
        )
    )

    names = area_names(areas, rng)
    slugs = [f"{name.lower()}-bench" for name in names]
    if areas:
        db.session.execute(
            insert(Area),
            [
                {
                    "slug": slug,
                    "name": name,
                    "forum_name": f"{name} Parent Carer Forum",
                    "forum_description": (
                        f"{name} Parent Carer Forum is run by parents and carers of children "
                        "and young people with SEND, aged 0 to 25, across " + name + "."
                    ),
                    "brand_colour": rng.choice(_COLOURS),
                    "created_at": now,
                }
                for name, slug in zip(names, slugs, strict=True)
            ],
        )
        new_areas = db.session.execute(select(Area.id, Area.name).where(Area.slug.in_(slugs)))
        partner_rows = []
        for area_id, name in new_areas:
            partner_rows.append(
                {
                    "area_id": area_id,
                    "name": f"{name} Council",
                    "kind": PartnerKind.LOCAL_AUTHORITY,
                    "created_at": now,
                }
            )
            partner_rows.append(
                {
                    "area_id": area_id,
                    "name": f"NHS {name} Integrated Care Board",
                    "kind": PartnerKind.HEALTH,
                    "created_at": now,
                }
            )
        db.session.execute(insert(PartnerOrganisation), partner_rows)
    else:
        partner_rows = []

    password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(BULK_PASSWORD)
    if users:
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"parent{n:05d}@{BULK_EMAIL_DOMAIN}",
                    "display_name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                    "password_hash": password_hash,
                    "is_admin": False,
                    "email_verified_at": now - timedelta(days=rng.randint(1, 700)),
                    "session_token": new_session_token(),
                    "created_at": now - timedelta(days=rng.randint(1, 700)),
                }
                for n in range(1, users + 1)
            ],
        )
        user_ids = list(
            db.session.scalars(
                select(User.id).where(User.email.like(f"%@{BULK_EMAIL_DOMAIN}")).order_by(User.id)
            )
        )
        membership_rows = []
        for i, user_id in enumerate(user_ids):
            waiting = i < pending
            asked = now - timedelta(days=rng.randint(0, 30) if waiting else rng.randint(31, 700))
            membership_rows.append(
                {
                    "area_id": target.id,
                    "user_id": user_id,
                    "role": Role.MEMBER,
                    "status": MembershipStatus.PENDING if waiting else MembershipStatus.ACTIVE,
                    "partner_id": None,
                    "request_note": "I live in the area." if i % 3 == 0 else "",
                    "requested_at": asked,
                    "decided_at": None if waiting else asked + timedelta(days=2),
                    "decided_by_id": None if waiting else decider_id,
                }
            )
        db.session.execute(insert(Membership), membership_rows)
    db.session.commit()
    return BulkCounts(
        areas=areas,
        partners=len(partner_rows),
        users=users,
        active=max(0, users - pending),
        pending=min(pending, users),
    )


def table_sizes() -> dict[str, int]:
    return {
        "areas": db.session.scalar(select(func.count()).select_from(Area)),
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "memberships": db.session.scalar(select(func.count()).select_from(Membership)),
        "partner_organisations": db.session.scalar(
            select(func.count()).select_from(PartnerOrganisation)
        ),
    }
