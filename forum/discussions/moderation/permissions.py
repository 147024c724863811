"""Who may moderate an area's discussions."""

from __future__ import annotations

from forum.areas.permissions import can_manage_members


def can_moderate(user, area) -> bool:
    """Organisers of the area (and admins). Responders answer; they never moderate."""
    return can_manage_members(user, area)
