"""Writing family profiles and the area's localities. Each function flushes, never commits;
the view commits once. Audit entries name the profile by id only: never an answer.

Consent comes first: `save_profile` refuses to keep anything unless the person has agreed to
the current words (`consent.PURPOSE`), and `withdraw` deletes the profile and its children at
once (the database cascade, checked in the tests), leaving nothing behind but the audit entry
that it happened.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.members.models import (
    CHILDREN_MAX,
    CONSENT_VERSION,
    HOME_EDUCATION_AGES,
    LOCALITIES_MAX,
    LOCALITY_NAME_MAX,
    PHASES_BY_AGE,
    AgeBand,
    ChildProfile,
    Ethnicity,
    FamilyProfile,
    Locality,
    Need,
    ParentAge,
    Phase,
    Setting,
    Support,
    YesNo,
)
from forum.members.queries import localities_of, profile_of
from forum.models import utcnow
from forum.web.text import clean_text


class ProfileError(Refused):
    """A profile or locality change that cannot be made; the message says why, beside
    `field` when there is one."""


def _answer(kind, value, field: str):
    """An enum answer from a form value: None for no answer; anything else not on the list
    refused (a stale page, a script)."""
    if value in (None, ""):
        return None
    try:
        return kind(value)
    except ValueError:
        raise ProfileError("Choose an answer from the list", field=field) from None


def save_profile(
    area,
    user,
    *,
    consents: bool,
    parent_age=None,
    ethnicity=None,
    young_carer=None,
    disabled=None,
) -> FamilyProfile:
    """Keep (or change) the person's answers about themselves. Nothing is kept without their
    consent to the current words: a first profile, or one agreed under older words, needs
    `consents`."""
    profile = profile_of(user, area)
    if not consents and (profile is None or not profile.consent_is_current):
        raise ProfileError(
            "Tick the box to say you agree to the forum keeping this information",
            field="consent",
        )
    answers = {
        "parent_age": _answer(ParentAge, parent_age, "parent_age"),
        "ethnicity": _answer(Ethnicity, ethnicity, "ethnicity"),
        "young_carer": _answer(YesNo, young_carer, "young_carer"),
        "disabled": _answer(YesNo, disabled, "disabled"),
    }
    created = profile is None
    if profile is None:
        profile = FamilyProfile(area_id=area.id, user_id=user.id, **answers)
        try:
            with db.session.begin_nested():  # the same form sent twice at once
                db.session.add(profile)
        except IntegrityError:
            raise ProfileError(
                "Your answers were saved a moment ago from another page. Check them, then "
                "try again."
            ) from None
    else:
        for name, value in answers.items():
            setattr(profile, name, value)
    if consents:
        profile.consented_at = utcnow()
        profile.consent_version = CONSENT_VERSION
    db.session.flush()
    record(
        "member.profile_created" if created else "member.profile_changed",
        profile,
        actor=user,
        area=area,
    )
    return profile


def _checked_child(area, answers: dict, locality_id) -> dict:
    values = {
        "age_band": _answer(AgeBand, answers.get("age_band"), "age_band"),
        "phase": _answer(Phase, answers.get("phase"), "phase"),
        "need": _answer(Need, answers.get("need"), "need"),
        "support": _answer(Support, answers.get("support"), "support"),
        "setting": _answer(Setting, answers.get("setting"), "setting"),
    }
    age, phase, setting = values["age_band"], values["phase"], values["setting"]
    allowed = PHASES_BY_AGE.get(age) if age else None
    if allowed is not None and phase not in (None, Phase.PREFER_NOT, *allowed):
        raise ProfileError(
            f"A child aged {age.label} is not usually in {phase.label.lower()}. Check the "
            "age and the school phase",
            field="phase",
        )
    if (
        setting is Setting.HOME
        and age is not None
        and age is not AgeBand.PREFER_NOT
        and age not in HOME_EDUCATION_AGES
    ):
        raise ProfileError(
            f"Home education is for children of school age, not {age.label}. Check the age "
            "and where they learn",
            field="setting",
        )
    if locality_id is not None and locality_id not in {loc.id for loc in localities_of(area)}:
        raise ProfileError("Choose a locality from the list", field="locality")
    values["locality_id"] = locality_id
    return values


def add_child(area, user, profile: FamilyProfile, *, locality_id=None, **answers) -> ChildProfile:
    """Describe one more child or young person (up to `CHILDREN_MAX`)."""
    if len(profile.children) >= CHILDREN_MAX:
        raise ProfileError(f"A profile can describe up to {CHILDREN_MAX} children")
    values = _checked_child(area, answers, locality_id)
    position = (max((c.position for c in profile.children), default=0)) + 1
    child = ChildProfile(profile=profile, area_id=area.id, position=position, **values)
    db.session.add(child)
    profile.updated_at = utcnow()
    db.session.flush()
    record("member.child_added", profile, actor=user, area=area, child_id=child.id)
    return child


def change_child(area, user, child: ChildProfile, *, locality_id=None, **answers) -> ChildProfile:
    values = _checked_child(area, answers, locality_id)
    for name, value in values.items():
        setattr(child, name, value)
    child.profile.updated_at = utcnow()
    db.session.flush()
    record("member.child_changed", child.profile, actor=user, area=area, child_id=child.id)
    return child


def remove_child(area, user, child: ChildProfile) -> None:
    profile = child.profile
    record("member.child_removed", profile, actor=user, area=area, child_id=child.id)
    db.session.execute(delete(ChildProfile).where(ChildProfile.id == child.id))
    db.session.expire(profile, ["children"])
    db.session.flush()


def withdraw(area, user, *, actor=None) -> bool:
    """Withdraw consent: delete the person's profile in the area and every child on it, at
    once. Returns False when there was nothing to delete (sent twice). `actor` is the person
    themselves unless said (an organiser removing them from the forum)."""
    profile = profile_of(user, area)
    if profile is None:
        return False
    record("member.profile_withdrawn", profile, actor=actor or user, area=area)
    db.session.execute(delete(ChildProfile).where(ChildProfile.profile_id == profile.id))
    db.session.execute(delete(FamilyProfile).where(FamilyProfile.id == profile.id))
    db.session.expunge(profile)
    db.session.flush()
    return True


def membership_ended(area, user, *, actor=None) -> None:
    """`hooks.membership_ended`: someone who is no longer a member keeps no profile with the
    forum; it is deleted as withdrawing consent deletes it."""
    withdraw(area, user, actor=actor)


def erase_all(user) -> int:
    """Every profile the person keeps, in every area (deleting their account)."""
    ids = list(db.session.scalars(select(FamilyProfile.id).where(FamilyProfile.user_id == user.id)))
    if ids:
        db.session.execute(delete(ChildProfile).where(ChildProfile.profile_id.in_(ids)))
        db.session.execute(delete(FamilyProfile).where(FamilyProfile.id.in_(ids)))
    return len(ids)


# --- the area's localities ----------------------------------------------------------------


def add_locality(area, name: str, *, actor) -> Locality:
    name = clean_text(name or "").strip()
    if not name:
        raise ProfileError("Enter the name of the locality", field="name")
    if len(name) > LOCALITY_NAME_MAX:
        raise ProfileError(
            f"The name must be {LOCALITY_NAME_MAX} characters or fewer", field="name"
        )
    existing = localities_of(area)
    if len(existing) >= LOCALITIES_MAX:
        raise ProfileError(f"An area can list up to {LOCALITIES_MAX} localities", field="name")
    if name.casefold() in {loc.name.casefold() for loc in existing}:
        raise ProfileError(f"“{name}” is on the list already", field="name")
    position = max((loc.position for loc in existing), default=0) + 1
    locality = Locality(area_id=area.id, name=name, position=position)
    try:
        with db.session.begin_nested():
            db.session.add(locality)
    except IntegrityError:
        raise ProfileError(f"“{name}” is on the list already", field="name") from None
    record("member.locality_added", locality, actor=actor, area=area, name=name)
    return locality


def remove_locality(area, locality: Locality, *, actor) -> int:
    """Take a locality off the list; the children whose profiles named it keep their other
    answers and lose only this one. Returns how many children that was."""
    affected = (
        db.session.execute(  # type: ignore[attr-defined]
            update(ChildProfile)
            .where(ChildProfile.locality_id == locality.id)
            .values(locality_id=None)
        ).rowcount
        or 0
    )
    record("member.locality_removed", locality, actor=actor, area=area, name=locality.name)
    db.session.execute(delete(Locality).where(Locality.id == locality.id))
    db.session.flush()
    return affected


def move_locality(area, locality: Locality, direction: str, *, actor) -> bool:
    """Move a locality one place up or down the list; False at either end."""
    ordered = localities_of(area)
    index = next(i for i, loc in enumerate(ordered) if loc.id == locality.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, loc in enumerate(ordered, start=1):
        loc.position = position
    db.session.flush()
    record("member.locality_moved", locality, actor=actor, area=area, direction=direction)
    return True


def count_profiles(area) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(FamilyProfile).where(FamilyProfile.area_id == area.id)
        )
        or 0
    )
