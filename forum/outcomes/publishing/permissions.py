"""Who may publish a consultation's response."""

from __future__ import annotations

from forum.outcomes.themes.permissions import can_build_themes


def can_publish_response(user, consultation) -> bool:
    """Publish the "you said, we did" section: organisers (and admins), once closed."""
    return can_build_themes(user, consultation)
