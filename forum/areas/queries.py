"""Reading areas, partners and memberships."""

from __future__ import annotations

from flask import abort, g
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.areas.data_versions import remember_token
from forum.areas.models import (
    Area,
    AreaDataVersion,
    Membership,
    MembershipStatus,
    PartnerOrganisation,
    Role,
)
from forum.database import fits
from forum.extensions import db


def select_areas() -> Select:
    return select(Area).order_by(Area.name)


def get_by_slug(slug: str) -> Area | None:
    if not slug or len(slug) > 60:
        return None
    return db.session.scalar(select(Area).where(Area.slug == slug))


#: built once: nearly every page sends it
_AREA_BY_SLUG = (
    select(Area, AreaDataVersion.token)
    .outerjoin(AreaDataVersion, AreaDataVersion.area_id == Area.id)
    .where(Area.slug == bindparam("slug"))
)


def load_area(kwargs: dict) -> dict:
    """URL loader for `access(…)`: area_slug → area (404 if unknown), also kept on `g`, with
    its data version read in the same statement (forum/areas/data_versions.py)."""
    slug = kwargs.pop("area_slug")
    found = None
    if fits(Area.slug, slug):
        found = db.session.execute(_AREA_BY_SLUG, {"slug": slug}).first()
    if found is None:
        abort(404)
    area, token = found
    remember_token(area, token)
    g.area = area
    kwargs["area"] = area
    return kwargs


def load_in_area(kwargs: dict, name: str, slug_key: str, get) -> dict:
    """A URL loader's steps for something of the area found by slug: the area, then
    `get(area, slug)` (404 if it finds nothing), kept as `kwargs[name]` and on `g`."""
    kwargs = load_area(kwargs)
    found = get(kwargs["area"], kwargs.pop(slug_key))
    if found is None:
        abort(404)
    setattr(g, name, found)
    kwargs[name] = found
    return kwargs


def get_membership(area: Area, membership_id: int) -> Membership:
    """A membership in this area, or 404: ids from another area are never found here."""
    membership = db.session.scalar(
        select(Membership)
        .options(joinedload(Membership.user), joinedload(Membership.partner))
        .where(Membership.id == membership_id, Membership.area_id == area.id)
    )
    if membership is None:
        abort(404)
    return membership


def find_membership(area: Area, user: User) -> Membership | None:
    """The person's membership row in the area, in any state."""
    return db.session.scalar(
        select(Membership).where(Membership.area_id == area.id, Membership.user_id == user.id)
    )


def select_requests(area: Area) -> Select:
    """The area's requests to join, oldest first, as rows of what the members page shows
    (`id`, `requested_at`, `request_note`, `display_name`, `email`): no ORM objects per row."""
    return (
        select(
            Membership.id,
            Membership.requested_at,
            Membership.request_note,
            User.display_name,
            User.email,
        )
        .join(User, User.id == Membership.user_id)
        .where(Membership.area_id == area.id, Membership.status == MembershipStatus.PENDING)
        .order_by(Membership.requested_at, Membership.id)
    )


def memberships_by_id(area: Area, ids) -> list[Membership]:
    """The area's memberships among `ids` (ids of other areas' memberships are left out), with
    their people, in one query."""
    return list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.user))
            .where(Membership.area_id == area.id, Membership.id.in_(list(ids)))
            .order_by(Membership.requested_at, Membership.id)
        )
    )


def count_members(area: Area) -> dict[Role, int]:
    rows = db.session.execute(
        select(Membership.role, func.count())
        .where(Membership.area_id == area.id, Membership.status == MembershipStatus.ACTIVE)
        .group_by(Membership.role)
    )
    counts = {role: 0 for role in Role}
    counts.update({role: n for role, n in rows})
    return counts


def organiser_emails(area: Area) -> list[str]:
    return list(
        db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.area_id == area.id,
                Membership.role == Role.ORGANISER,
                Membership.status == MembershipStatus.ACTIVE,
            )
            .order_by(User.email)
        )
    )


def count_organisers(area: Area) -> int:
    return count_members(area)[Role.ORGANISER]


def partners_of(area: Area) -> list[PartnerOrganisation]:
    return list(
        db.session.scalars(
            select(PartnerOrganisation)
            .where(PartnerOrganisation.area_id == area.id)
            .order_by(PartnerOrganisation.name)
        )
    )


def get_partner(area: Area, partner_id: int | None) -> PartnerOrganisation | None:
    if partner_id is None:
        return None
    return db.session.scalar(
        select(PartnerOrganisation).where(
            PartnerOrganisation.id == partner_id, PartnerOrganisation.area_id == area.id
        )
    )


#: the groups of the organisers' members page (besides requests and invitations), and the
#: statuses each shows
MEMBER_GROUPS: dict[str, tuple[MembershipStatus, ...]] = {
    "active": (MembershipStatus.ACTIVE,),
    "lapsed": (MembershipStatus.LAPSED,),
    "ended": (MembershipStatus.LEFT, MembershipStatus.REMOVED),
}


def select_members_in(area: Area, group: str) -> Select:
    """The area's memberships in one of `MEMBER_GROUPS`, as rows of what the members page shows
    (`id`, `role`, `status`, `ended_at`, `removal_reason`, `display_name`, `email` and
    `partner_name`, none without a partner): one query a page and no ORM objects per row."""
    statuses = MEMBER_GROUPS[group]
    order = (
        (Membership.role, User.display_name, Membership.id)
        if group == "active"
        else (Membership.ended_at.desc(), Membership.id.desc())
    )
    return (
        select(
            Membership.id,
            Membership.role,
            Membership.status,
            Membership.ended_at,
            Membership.removal_reason,
            User.display_name,
            User.email,
            PartnerOrganisation.name.label("partner_name"),
        )
        .join(User, User.id == Membership.user_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Membership.partner_id)
        .where(Membership.area_id == area.id, Membership.status.in_(statuses))
        .order_by(*order)
    )


def count_by_status(area: Area) -> dict[MembershipStatus, int]:
    """How many of the area's memberships are in each status, in one query."""
    counts = {status: 0 for status in MembershipStatus}
    counts.update(
        dict(
            db.session.execute(
                select(Membership.status, func.count())
                .where(Membership.area_id == area.id)
                .group_by(Membership.status)
            ).all()
        )
    )
    return counts


def email_still_due(about: str, area_id: int | None, to_address: str) -> str | None:
    """Why a membership email queued a moment ago is no longer due, when it is sent (see
    `hooks.service_email_due`), or None: an invitation withdrawn, accepted, expired or sent
    again with a new link; a welcome or appointment to someone no longer in the forum; a
    renewal question to someone who has answered it or left; a join request that has been
    decided, or whose organiser no longer organises the forum."""
    from forum.areas.models import Invitation, InvitationStatus
    from forum.models import utcnow

    kind, _, rest = about.partition(":")
    ids = [int(part) for part in rest.split(":") if part.isdigit()]
    if kind == "invitation" and len(ids) == 2:
        invitation = db.session.get(Invitation, ids[0])
        if invitation is None:
            return "the invitation is gone"
        state = invitation.state(utcnow())
        if state is not InvitationStatus.SENT:
            return f"the invitation is {state.value}"
        if invitation.sends != ids[1]:
            return "the invitation was sent again with a new link"
        return None
    if kind in ("membership", "renewal") and ids:
        membership = db.session.get(Membership, ids[0])
        if membership is None or membership.status is not MembershipStatus.ACTIVE:
            return "no longer a member"
        if kind == "renewal" and membership.renewal_due_at is None:
            return "the renewal was answered"
        return None
    if kind == "join-request" and ids and area_id is not None:
        pending = db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(
                Membership.area_id == area_id,
                Membership.user_id == ids[0],
                Membership.status == MembershipStatus.PENDING,
            )
        )
        if not pending:
            return "the request has been decided"
        organiser = db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.area_id == area_id,
                Membership.role == Role.ORGANISER,
                Membership.status == MembershipStatus.ACTIVE,
                func.lower(User.email) == to_address.lower(),
            )
        )
        return None if organiser else "no longer an organiser of the forum"
    return None
