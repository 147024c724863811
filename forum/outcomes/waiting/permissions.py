"""Who has a "waiting for your answer" list."""

from __future__ import annotations

from forum.areas.models import MembershipStatus, Role


def responder_seats(user) -> list:
    """The person's active responder memberships that speak for an organisation."""
    if not (user and user.is_authenticated):
        return []
    return [
        m
        for m in user.memberships
        if m.status is MembershipStatus.ACTIVE
        and m.role is Role.RESPONDER
        and m.partner_id is not None
    ]


def can_see_waiting(user) -> bool:
    """Responders of a partner organisation, in any area."""
    return bool(responder_seats(user))
