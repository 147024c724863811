"""Who may change what a consultation's audience is sent. Pure functions."""

from __future__ import annotations

from forum.consultations.permissions import can_manage_consultations


def can_manage_announcements(user, area) -> bool:
    """The area's organisers (and admins), who run its consultations, choose its reminders."""
    return can_manage_consultations(user, area)
