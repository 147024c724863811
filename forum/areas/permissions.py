"""Who may do what in an area. Pure functions over a user and an area.

`user.memberships` is loaded once per request, so these cost at most one query however many
times a page asks.
"""

from __future__ import annotations

from forum.accounts.permissions import is_admin
from forum.areas.models import Membership, MembershipStatus, Role


def membership_in(user, area) -> Membership | None:
    if not (user and user.is_authenticated and area is not None):
        return None
    for membership in user.memberships:
        if membership.area_id == area.id:
            return membership
    return None


def role_in(user, area) -> Role | None:
    """The person's active role in the area, or None."""
    membership = membership_in(user, area)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        return None
    return membership.role


def can_view_area(user, area) -> bool:
    """Area home pages are public: visitors read what the forum does."""
    return area is not None


def is_member(user, area) -> bool:
    """Any active role counts: organisers and responders are members too."""
    return role_in(user, area) is not None


def can_ask_to_join(user, area) -> bool:
    """Signed in, email confirmed, and not already a member or waiting."""
    if not (user and user.is_authenticated and user.is_verified):
        return False
    membership = membership_in(user, area)
    return membership is None or membership.status in ASK_AGAIN


#: a person whose membership ended like this may ask to join again; someone an organiser
#: removed can come back only by invitation, and a lapsed member renews instead
ASK_AGAIN = frozenset({MembershipStatus.DECLINED, MembershipStatus.LEFT})


def can_leave(user, area) -> bool:
    """Any active member may leave (the service refuses the last organiser, with a reason)."""
    return is_member(user, area)


def can_renew(user, area) -> bool:
    """A member whose membership lapsed renews from their account in one step."""
    membership = membership_in(user, area)
    return membership is not None and membership.status is MembershipStatus.LAPSED


def can_manage_members(user, area) -> bool:
    """Organisers approve requests and appoint organisers and responders; admins can too."""
    return is_admin(user) or role_in(user, area) is Role.ORGANISER


def can_edit_area(user, area) -> bool:
    """The forum's name, description, colour and partners."""
    return is_admin(user) or role_in(user, area) is Role.ORGANISER


def can_create_area(user) -> bool:
    return is_admin(user)


def can_answer_renewal(user, area) -> bool:
    """An active member who has been asked this year's renewal question and not answered."""
    membership = membership_in(user, area)
    return (
        membership is not None
        and membership.status is MembershipStatus.ACTIVE
        and getattr(membership, "renewal_due_at", None) is not None
    )


def standing_in(user, area) -> tuple:
    """Where the person stands in the area, as every permission here and in the areas above
    decides it: signed in or not, platform admin, their active role, and for a responder the
    partner organisation they answer for. Two people with the same standing may see the same
    kept part of a page (forum/areas/data_versions.py)."""
    if not (user and user.is_authenticated):
        return ("visitor",)
    membership = membership_in(user, area)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        return ("signed in", is_admin(user), None, None)
    return ("signed in", is_admin(user), membership.role.value, membership.partner_id)
