"""Writing areas, partners and memberships. Flush, audit, return; the caller commits."""

from __future__ import annotations

import re

from forum import hooks
from forum.accounts.models import User
from forum.areas.models import (
    Area,
    Membership,
    MembershipStatus,
    PartnerKind,
    PartnerOrganisation,
    Role,
)
from forum.areas.permissions import ASK_AGAIN
from forum.areas.queries import (
    count_organisers,
    find_membership,
    get_by_slug,
    memberships_by_id,
    organiser_emails,
)
from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.preferences import choose, frequency
from forum.notifications.services import queue_email
from forum.notifications.topics import Frequency, Topic
from forum.web.urls import external_url


class AreaError(Refused):
    """A rule about areas or memberships was broken; the message is safe to show (beside
    `field`, when given)."""


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(hex_colour: str) -> float:
    """WCAG contrast ratio of white text on this colour."""
    return 1.05 / (_luminance(hex_colour) + 0.05)


def brand_colour_problem(value: str) -> str | None:
    if not HEX_COLOUR.match(value or ""):
        return "Enter the colour as a hex code, like #1d70b8"
    ratio = contrast_with_white(value)
    if ratio < 4.5:
        return (
            f"White text on that colour has a contrast of {ratio:.1f} to 1; it needs at least "
            "4.5 to 1. Choose a darker colour"
        )
    return None


def create_area(
    *,
    name: str,
    slug: str,
    forum_name: str,
    forum_description: str = "",
    brand_colour: str = "#1d70b8",
    actor: User | None,
) -> Area:
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise AreaError("The web address can only use lowercase letters, numbers and hyphens")
    if get_by_slug(slug) is not None:
        raise AreaError("Another area already uses that web address")
    brand_colour = brand_colour.lower()
    problem = brand_colour_problem(brand_colour)
    if problem:
        raise AreaError(problem)
    area = Area(
        name=name,
        slug=slug,
        forum_name=forum_name,
        forum_description=forum_description,
        brand_colour=brand_colour,
    )
    db.session.add(area)
    db.session.flush()
    record("area.created", area, actor=actor, area=area)
    return area


def update_area(
    area: Area, *, forum_name: str, forum_description: str, brand_colour: str, actor: User
) -> Area:
    brand_colour = brand_colour.lower()
    problem = brand_colour_problem(brand_colour)
    if problem:
        raise AreaError(problem)
    changed = [
        field
        for field, value in (
            ("forum_name", forum_name),
            ("forum_description", forum_description),
            ("brand_colour", brand_colour),
        )
        if getattr(area, field) != value
    ]
    area.forum_name = forum_name
    area.forum_description = forum_description
    area.brand_colour = brand_colour
    db.session.flush()
    if changed:
        record("area.updated", area, actor=actor, area=area, fields=changed)
    return area


def add_partner(
    area: Area, *, name: str, kind: PartnerKind, actor: User | None
) -> PartnerOrganisation:
    if any(p.name.casefold() == name.casefold() for p in area.partners):
        raise AreaError("This area already has a partner with that name")
    partner = PartnerOrganisation(area=area, name=name, kind=kind)
    db.session.add(partner)
    db.session.flush()
    record("partner.added", partner, actor=actor, area=area, kind=kind.value)
    return partner


def ask_to_join(
    area: Area, user: User, *, note: str = "", wants_newsletters: bool = False
) -> Membership:
    """A pending request; organisers are emailed. Asking again after a decline reopens it.

    Newsletters are off unless the person ticks the box when asking (`Topic.default`); the
    choice is kept from the request on, and only counts once they are an active member (the
    send-time check). Leaving the box unticked changes nothing they chose before.
    """
    membership = find_membership(area, user)
    if membership is not None and membership.status not in ASK_AGAIN:
        return membership
    if wants_newsletters and frequency(user, area.id, Topic.NEWSLETTERS) is Frequency.NEVER:
        choose(user, area.id, Topic.NEWSLETTERS, Frequency.IMMEDIATELY)
    if membership is None:
        membership = Membership(area=area, user=user, role=Role.MEMBER)
        db.session.add(membership)
    membership.status = MembershipStatus.PENDING
    # someone who left as an organiser asks again as anyone does: as a member
    membership.role = Role.MEMBER
    membership.partner_id = None
    membership.request_note = note
    membership.requested_at = utcnow()
    membership.decided_at = None
    membership.decided_by_id = None
    membership.ended_at = None
    db.session.flush()
    record("membership.requested", membership, actor=user, area=area)
    link = external_url("areas.members", area_slug=area.slug)
    for email in organiser_emails(area):
        message = queue_email(
            email, "join_request", kind="join_request", area=area, user=user, link=link
        )
        # names whom it is about, so that deleting their account deletes it (it shows their
        # name, never their address), and the forum, so that it goes only while the request
        # waits and to someone who still organises the forum (`queries.email_still_due`)
        message.about = join_request_about(user)
        message.area_id = area.id
    return membership


def join_request_about(user: User) -> str:
    return f"join-request:{user.id}"


def _decide(membership: Membership, status: MembershipStatus, actor: User) -> None:
    membership.status = status
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id
    if status is MembershipStatus.ACTIVE:
        _start_year(membership, membership.decided_at)
    db.session.flush()


def _start_year(membership: Membership, now) -> None:
    """An active membership's year starts now: nothing is waiting to be renewed, nothing
    ended."""
    membership.renewed_at = now
    membership.renewal_asked_at = None
    membership.renewal_due_at = None
    membership.renewal_reminded_at = None
    membership.ended_at = None
    membership.removal_reason = ""


def activate(membership: Membership, *, decided_by_id: int | None) -> None:
    """Make a membership an active member's (joining by invitation, renewing after a lapse):
    any earlier role goes, and the year starts now."""
    membership.status = MembershipStatus.ACTIVE
    membership.role = Role.MEMBER
    membership.partner_id = None
    membership.partner = None
    membership.decided_at = utcnow()
    membership.decided_by_id = decided_by_id
    _start_year(membership, membership.decided_at)
    db.session.flush()


def _decide_request(membership: Membership, status: MembershipStatus, action: str, actor) -> bool:
    """Decide a pending request and record `action`; False if it was already decided (a stale
    or double click)."""
    if membership.status is not MembershipStatus.PENDING:
        return False
    _decide(membership, status, actor)
    record(action, membership, actor=actor, area=membership.area)
    return True


def approve(membership: Membership, *, actor: User) -> bool:
    """Returns False if the request was already decided (a stale or double click)."""
    if not _decide_request(membership, MembershipStatus.ACTIVE, "membership.approved", actor):
        return False
    queue_email(
        membership.user.email,
        "join_approved",
        kind="join_approved",
        due_while=f"membership:{membership.id}",
        area=membership.area,
        user=membership.user,
        link=external_url("areas.home", area_slug=membership.area.slug),
    )
    return True


def decline(membership: Membership, *, actor: User) -> bool:
    if not _decide_request(membership, MembershipStatus.DECLINED, "membership.declined", actor):
        return False
    queue_email(
        membership.user.email,
        "join_declined",
        kind="join_declined",
        area=membership.area,
        user=membership.user,
        contact=external_url("web.contact"),
    )
    return True


def decide_requests(
    area: Area, ids, *, approving: bool, actor: User
) -> tuple[list[Membership], list[Membership]]:
    """Approve (or decline) the area's requests among `ids`, each exactly as one at a time
    (audit entry and email). Returns (decided now, already decided); ids that are not this
    area's requests are left out of both, so a forged id changes nothing."""
    decide = approve if approving else decline
    done: list[Membership] = []
    skipped: list[Membership] = []
    for membership in memberships_by_id(area, ids):
        (done if decide(membership, actor=actor) else skipped).append(membership)
    return done, skipped


def set_role(
    membership: Membership, role: Role, *, partner: PartnerOrganisation | None, actor: User
) -> Membership:
    """Change an active member's role. Responders need a partner; others have none."""
    area = membership.area
    if role is Role.RESPONDER:
        if partner is None or partner.area_id != area.id:
            raise AreaError("Choose the organisation this responder speaks for")
    else:
        partner = None
    if (
        membership.role is Role.ORGANISER
        and role is not Role.ORGANISER
        and membership.status is MembershipStatus.ACTIVE
        and count_organisers(area) <= 1
    ):
        raise AreaError("An area needs at least one organiser. Appoint another organiser first")
    old = membership.role
    membership.role = role
    membership.partner_id = partner.id if partner else None
    membership.partner = partner
    if membership.status is not MembershipStatus.ACTIVE:
        _decide(membership, MembershipStatus.ACTIVE, actor)
    db.session.flush()
    record(
        "membership.role_changed",
        membership,
        actor=actor,
        area=area,
        old=old.value,
        new=role.value,
        partner_id=membership.partner_id,
    )
    return membership


def appoint(
    area: Area, user: User, role: Role, *, partner: PartnerOrganisation | None, actor: User
) -> Membership:
    """Give someone a role in the area, whether or not they have asked to join."""
    membership = find_membership(area, user)
    if membership is None:
        membership = Membership(
            area=area, user=user, role=Role.MEMBER, status=MembershipStatus.PENDING
        )
        db.session.add(membership)
        db.session.flush()
    set_role(membership, role, partner=partner, actor=actor)
    queue_email(
        user.email,
        "appointed",
        kind="appointed",
        due_while=f"membership:{membership.id}",
        area=area,
        user=user,
        role=role,
        partner=partner,
        link=external_url("areas.home", area_slug=area.slug),
    )
    return membership


#: said when the last organiser tries to leave or be removed
LAST_ORGANISER = (
    "{forum} needs at least one organiser. Appoint another organiser before {who} the forum"
)


def is_last_organiser(membership: Membership) -> bool:
    return (
        membership.role is Role.ORGANISER
        and membership.status is MembershipStatus.ACTIVE
        and count_organisers(membership.area) <= 1
    )


def _end(membership: Membership, status: MembershipStatus) -> None:
    membership.status = status
    membership.ended_at = utcnow()
    membership.renewal_asked_at = None
    membership.renewal_due_at = None
    membership.renewal_reminded_at = None
    db.session.flush()


def leave(membership: Membership, *, actor: User) -> Membership:
    """The person leaves the forum themselves. The last organiser cannot."""
    if membership.status is not MembershipStatus.ACTIVE:
        raise AreaError("You are not a member of this forum")
    if is_last_organiser(membership):
        raise AreaError(LAST_ORGANISER.format(forum=membership.area.forum_name, who="you leave"))
    _end(membership, MembershipStatus.LEFT)
    record("membership.left", membership, actor=actor, area=membership.area)
    hooks.membership_ended.send(membership.area, membership.user, actor=actor)
    return membership


#: the longest reason an organiser may give for removing someone
REASON_MAX = 1000


def remove_member(membership: Membership, *, reason: str, actor: User) -> Membership:
    """An organiser removes someone, giving a reason that only organisers see. The person is
    told by email (without the reason). Not oneself (that is leaving), not the last organiser,
    and only someone who is still a member."""
    if membership.user_id == actor.id:
        raise AreaError("You cannot remove yourself. To leave the forum, use Leave this forum")
    if membership.status is not MembershipStatus.ACTIVE:
        raise AreaError(f"{membership.user.display_name} is no longer a member")
    if not reason.strip():
        raise AreaError("Enter why you are removing them", field="reason")
    if is_last_organiser(membership):
        raise AreaError(LAST_ORGANISER.format(forum=membership.area.forum_name, who="they leave"))
    old_role = membership.role
    _end(membership, MembershipStatus.REMOVED)
    membership.removal_reason = reason[:REASON_MAX]
    membership.decided_at = membership.ended_at
    membership.decided_by_id = actor.id
    # a removed organiser or responder keeps no role: coming back is as a member
    membership.role = Role.MEMBER
    membership.partner_id = None
    membership.partner = None
    db.session.flush()
    record("membership.removed", membership, actor=actor, area=membership.area, old=old_role.value)
    hooks.membership_ended.send(membership.area, membership.user, actor=actor)
    queue_email(
        membership.user.email,
        "member_removed",
        kind="member_removed",
        area=membership.area,
        user=membership.user,
        contact=external_url("web.contact"),
    )
    return membership


def renew_lapsed(membership: Membership, *, actor: User) -> Membership:
    """A lapsed member renews from their account in one step; active again at once."""
    if membership.status is not MembershipStatus.LAPSED:
        raise AreaError("Your membership has not lapsed")
    activate(membership, decided_by_id=membership.decided_by_id)
    record("membership.renewed", membership, actor=actor, area=membership.area, lapsed=True)
    return membership
