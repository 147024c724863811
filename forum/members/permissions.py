"""Who may keep a family profile and who may read what of it. Pure functions over a user and
an area.

A profile is its owner's alone: nobody else reads it one by one, the area's organisers and
admins included. Organisers read the area's profiles only counted and suppressed (the reach
reports) and keep the area's list of localities; responders (partner organisations' staff)
see nothing of them.
"""

from __future__ import annotations

from forum.areas.models import Role
from forum.areas.permissions import can_manage_members, role_in


def can_keep_profile(user, area) -> bool:
    """Describe one's own family to the forum: its active members and organisers (parents
    themselves, often). Responders speak for a partner organisation, not a family."""
    return role_in(user, area) in (Role.MEMBER, Role.ORGANISER)


def can_manage_localities(user, area) -> bool:
    """The area's own list of localities a child's profile may name: organisers and admins."""
    return can_manage_members(user, area)


def can_manage_reach(user, area) -> bool:
    """Upload the area's population figures and choose whether its reach reports are public:
    organisers and admins (who always see the reports)."""
    return can_manage_members(user, area)


def can_view_reach(user, area, *, published: bool) -> bool:
    """The reach reports (counts only, protected for everyone): the area's organisers and
    admins, and anyone once the organisers publish them. Never a responder's otherwise."""
    return can_manage_reach(user, area) or published
