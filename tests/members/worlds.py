"""The members world: Northshire with an organiser, two members (one with a family profile
of two children), a responder and a person who asked to join; two localities; Southshire next
door with a locality of its own. Built once per module (`world` in conftest.py)."""

from __future__ import annotations

from types import SimpleNamespace

from forum.areas.models import Role
from forum.extensions import db
from forum.members.models import (
    AgeBand,
    ChildProfile,
    Ethnicity,
    FamilyProfile,
    Locality,
    Need,
    Phase,
    Setting,
    Support,
)
from tests.factories import make_area, make_membership, make_partner, make_person_in, make_user

EMAILS = {
    "organiser": "org@example.org",
    "member": "member@example.org",
    "parent": "parent@example.org",
    "council": "council@example.org",
    "other": "other@example.org",
}


def build_members_world() -> SimpleNamespace:
    area = make_area(slug="northshire", name="Northshire")
    make_person_in(area, Role.ORGANISER, email=EMAILS["organiser"])
    member = make_person_in(area, Role.MEMBER, email=EMAILS["member"], name="Mo Member")
    parent = make_person_in(area, Role.MEMBER, email=EMAILS["parent"], name="Pat Parent")
    council = make_partner(area, name="Northshire County Council")
    make_membership(make_user(email=EMAILS["council"]), area, Role.RESPONDER, partner=council)
    elsewhere = make_area(slug="southshire", name="Southshire")
    make_person_in(elsewhere, Role.ORGANISER, email=EMAILS["other"])
    make_user(email="stranger@example.org")

    north = Locality(area_id=area.id, name="Northtown", position=1)
    coast = Locality(area_id=area.id, name="Coastal villages", position=2)
    far = Locality(area_id=elsewhere.id, name="Southtown", position=1)
    db.session.add_all([north, coast, far])
    db.session.flush()
    profile = FamilyProfile(area_id=area.id, user_id=parent.id, ethnicity=Ethnicity.WHITE)
    db.session.add(profile)
    db.session.flush()
    first = ChildProfile(
        profile_id=profile.id,
        area_id=area.id,
        position=1,
        age_band=AgeBand.AGE_11_15,
        phase=Phase.SECONDARY,
        need=Need.ASD,
        support=Support.EHC_PLAN,
        setting=Setting.MAINSTREAM,
        locality_id=north.id,
    )
    second = ChildProfile(profile_id=profile.id, area_id=area.id, position=2, need=Need.SLCN)
    db.session.add_all([first, second])
    db.session.commit()
    return SimpleNamespace(
        area_id=area.id,
        elsewhere_id=elsewhere.id,
        parent_id=parent.id,
        member_id=member.id,
        profile_id=profile.id,
        first_child=first.id,
        second_child=second.id,
        north=north.id,
        coast=coast.id,
        far=far.id,
    )


def family(child=None, action="") -> str:
    path = "/areas/northshire/family"
    if child is not None:
        path += f"/children/{child}"
    return f"{path}/{action}" if action else path


def make_families(area, n: int, *, need=Need.ASD, phase=Phase.SECONDARY, support=Support.EHC_PLAN):
    """`n` members with a profile of one child each."""
    for _ in range(n):
        person = make_person_in(area, Role.MEMBER)
        profile = FamilyProfile(area_id=area.id, user_id=person.id)
        db.session.add(profile)
        db.session.flush()
        db.session.add(
            ChildProfile(
                profile_id=profile.id,
                area_id=area.id,
                need=need,
                phase=phase,
                support=support,
            )
        )
    db.session.flush()
