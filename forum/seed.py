"""The demo: Northshire and a smaller second area, written through the services.

Everything here goes through the same services the web pages use, so demo data obeys the same
rules. Running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.accounts.queries import get_by_email
from forum.areas import services as areas
from forum.areas.models import Area, PartnerKind, Role
from forum.areas.queries import find_membership, get_by_slug
from forum.extensions import db


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    password: str
    what: str


ADMIN = DemoAccount(
    "admin@coproduce.example", "Priya Admin", "kettle-harbour-lantern-42", "platform admin"
)
ORGANISER = DemoAccount(
    "organiser@northshire.example",
    "Olu Organiser",
    "meadow-copper-violin-17",
    "organiser in Northshire",
)
RESPONDER = DemoAccount(
    "responder@northshire.example",
    "Rachel Responder",
    "granite-pebble-orchard-33",
    "responder for Northshire County Council",
)
MEMBER = DemoAccount(
    "member@northshire.example", "Mo Member", "velvet-thunder-parsnip-58", "member in Northshire"
)
SOUTHVALE_ORGANISER = DemoAccount(
    "organiser@southvale.example",
    "Sam Southvale",
    "lilac-sparrow-engine-26",
    "organiser in Southvale only",
)
ACCOUNTS = [ADMIN, ORGANISER, RESPONDER, MEMBER, SOUTHVALE_ORGANISER]

NORTHSHIRE_DESCRIPTION = """\
Northshire Parent Carer Forum is run by parents and carers of children and young people with \
special educational needs and disabilities (SEND), aged 0 to 25, across Northshire.

We work with Northshire County Council and NHS Northshire and Wyvern Integrated Care Board so \
that what families tell us shapes local services. This year we are asking about:

- alternative provision for children who cannot attend school
- spotting needs early, and the £6,000 notional SEN budget in mainstream schools
- planning the health workforce: speech and language, occupational therapy, paediatrics
- mental health support teams in every school
- the local inclusion plan, and how the forum co-produces it with partners
"""

# Parents and carers who have joined or asked to join Northshire (no real people).
NORTHSHIRE_PARENTS = [
    ("aisha.khan@northshire.example", "Aisha Khan", True),
    ("tom.birch@northshire.example", "Tom Birch", True),
    ("grace.obi@northshire.example", "Grace Obi", True),
    ("dan.wright@northshire.example", "Dan Wright", True),
    ("lena.nowak@northshire.example", "Lena Nowak", False),
    ("mark.ellis@northshire.example", "Mark Ellis", False),
]
PARENT_PASSWORD = "demo-parent-account-only-91"  # noqa: S105 - demo data, printed


def _account(spec: DemoAccount, *, is_admin: bool = False) -> User:
    user = get_by_email(spec.email)
    if user is None:
        user = accounts.register(
            email=spec.email,
            display_name=spec.name,
            password=spec.password,
            is_admin=is_admin,
            verified=True,
        )
    return user


def _parent(email: str, name: str) -> User:
    user = get_by_email(email)
    if user is None:
        user = accounts.register(
            email=email, display_name=name, password=PARENT_PASSWORD, verified=True
        )
    return user


def is_empty() -> bool:
    return db.session.scalar(select(Area.id).limit(1)) is None


def seed_demo() -> bool:
    """Create the demo if Northshire is missing. Returns True if anything was created."""
    if get_by_slug("northshire") is not None:
        return False
    admin = _account(ADMIN, is_admin=True)

    northshire = areas.create_area(
        name="Northshire",
        slug="northshire",
        forum_name="Northshire Parent Carer Forum",
        forum_description=NORTHSHIRE_DESCRIPTION,
        brand_colour="#1d5b79",
        actor=admin,
    )
    council = areas.add_partner(
        northshire, name="Northshire County Council", kind=PartnerKind.LOCAL_AUTHORITY, actor=admin
    )
    areas.add_partner(
        northshire,
        name="NHS Northshire and Wyvern Integrated Care Board",
        kind=PartnerKind.HEALTH,
        actor=admin,
    )
    areas.add_partner(
        northshire,
        name="Northshire Schools Inclusion Partnership",
        kind=PartnerKind.EDUCATION,
        actor=admin,
    )

    organiser = _account(ORGANISER)
    areas.appoint(northshire, organiser, Role.ORGANISER, partner=None, actor=admin)
    responder = _account(RESPONDER)
    areas.appoint(northshire, responder, Role.RESPONDER, partner=council, actor=organiser)
    member = _account(MEMBER)
    areas.ask_to_join(northshire, member, note="I live in Eastbridge.")
    areas.approve(find_membership(northshire, member), actor=organiser)

    for email, name, approved in NORTHSHIRE_PARENTS:
        parent = _parent(email, name)
        areas.ask_to_join(northshire, parent)
        if approved:
            areas.approve(find_membership(northshire, parent), actor=organiser)

    southvale = areas.create_area(
        name="Southvale",
        slug="southvale",
        forum_name="Southvale SEND Families Forum",
        forum_description="A small forum for families of children with SEND in Southvale.",
        brand_colour="#6f3a7d",
        actor=admin,
    )
    areas.add_partner(
        southvale, name="Southvale Borough Council", kind=PartnerKind.LOCAL_AUTHORITY, actor=admin
    )
    areas.add_partner(
        southvale, name="NHS Southvale Integrated Care Board", kind=PartnerKind.HEALTH, actor=admin
    )
    southvale_organiser = _account(SOUTHVALE_ORGANISER)
    areas.appoint(southvale, southvale_organiser, Role.ORGANISER, partner=None, actor=admin)
    return True
