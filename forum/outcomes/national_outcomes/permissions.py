"""Who may record a national outcome on a theme."""

from __future__ import annotations

from forum.outcomes.themes.permissions import can_build_themes


def can_record_national_outcome(user, consultation) -> bool:
    """Record, change and remove a national body's decision on a theme: the area's organisers
    (and admins), once the consultation has closed, as for the themes themselves."""
    return can_build_themes(user, consultation)
