"""Reading family profiles: a person's own profile in an area, and the area's localities."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.areas.queries import load_area
from forum.extensions import db
from forum.members.models import ChildProfile, FamilyProfile, Locality, ReachSettings


def profile_of(user, area) -> FamilyProfile | None:
    """The person's profile in the area with its children and their localities (three
    statements), or None when they have not given one."""
    if not (user and user.is_authenticated):
        return None
    return db.session.scalar(
        select(FamilyProfile)
        .where(FamilyProfile.area_id == area.id, FamilyProfile.user_id == user.id)
        .options(selectinload(FamilyProfile.children).selectinload(ChildProfile.locality))
    )


def published_and_has_profile(user, area) -> tuple[bool, bool]:
    """Whether the area's "who we hear from" report is published, and whether the person has
    told the area about their family (`has_profile`): one statement, for the area home."""
    published = (
        select(ReachSettings.is_published).where(ReachSettings.area_id == area.id).scalar_subquery()
    )
    if not (user and user.is_authenticated):
        return bool(db.session.scalar(select(published))), False
    profile = (
        select(FamilyProfile.id)
        .where(FamilyProfile.area_id == area.id, FamilyProfile.user_id == user.id)
        .exists()
    )
    found = db.session.execute(select(published, profile)).one()
    return bool(found[0]), bool(found[1])


def profiles_of_user(user) -> list[FamilyProfile]:
    """Every profile the person keeps, in any area, with children and localities."""
    return list(
        db.session.scalars(
            select(FamilyProfile)
            .where(FamilyProfile.user_id == user.id)
            .options(
                selectinload(FamilyProfile.area),
                selectinload(FamilyProfile.children).selectinload(ChildProfile.locality),
            )
            .order_by(FamilyProfile.id)
        )
    )


def localities_of(area) -> list[Locality]:
    """The area's localities, in the organisers' order."""
    return list(
        db.session.scalars(
            select(Locality)
            .where(Locality.area_id == area.id)
            .order_by(Locality.position, Locality.id)
        )
    )


def count_localities(area) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Locality).where(Locality.area_id == area.id)
        )
        or 0
    )


def children_per_locality(area) -> dict[int, int]:
    """{locality id: children whose profile names it}, for the organisers' list (a locality
    that profiles name is kept when removed from the list: its children lose the name)."""
    rows = db.session.execute(
        select(ChildProfile.locality_id, func.count())
        .where(ChildProfile.area_id == area.id, ChildProfile.locality_id.is_not(None))
        .group_by(ChildProfile.locality_id)
    ).all()
    return {locality_id: count for locality_id, count in rows if locality_id is not None}


def _load_own(kwargs: dict, user) -> dict:
    kwargs = load_area(kwargs)
    kwargs["profile"] = profile_of(user, kwargs["area"])
    return kwargs


def load_child(kwargs: dict) -> dict:
    """URL loader: one child of the signed-in person's own profile in the area (404 for
    anyone else's, whoever asks)."""
    from flask_login import current_user

    child_id = kwargs.pop("child_id")
    kwargs = _load_own(kwargs, current_user)
    profile = kwargs["profile"]
    child = next((c for c in profile.children if c.id == child_id), None) if profile else None
    if child is None:
        abort(404)
    kwargs["child"] = child
    return kwargs


def load_locality(kwargs: dict) -> dict:
    """URL loader: one of the area's localities (404 for another area's)."""
    kwargs = load_area(kwargs)
    locality = db.session.scalar(
        select(Locality).where(
            Locality.id == kwargs.pop("locality_id"), Locality.area_id == kwargs["area"].id
        )
    )
    if locality is None:
        abort(404)
    kwargs["locality"] = locality
    return kwargs
