"""Who must use a second factor, and who may turn it off. Pure functions over the user object.

Roles live in `forum.areas`, which builds on accounts; they are read here by value through
`user.memberships` (loaded once per request), so accounts does not import areas.
"""

from __future__ import annotations

#: roles that can download named exports or act for the forum or a partner
STAFF_ROLES = frozenset({"organiser", "responder"})


def is_staff(user) -> bool:
    """An organiser or responder in any area (active, not just asked), or a platform admin."""
    if not (user and user.is_authenticated):
        return False
    if user.is_admin:
        return True
    return any(m.status.value == "active" and m.role.value in STAFF_ROLES for m in user.memberships)


def needs_second_factor(user) -> bool:
    """Staff must sign in with an authenticator app; everyone else may choose to."""
    return is_staff(user)


def can_turn_off_authenticator(user) -> bool:
    return not needs_second_factor(user)
