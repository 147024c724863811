"""Who may build themes and pick their evidence."""

from __future__ import annotations

from forum.consultations.permissions import can_manage_consultations
from forum.outcomes.permissions import ANALYSABLE


def can_build_themes(user, consultation) -> bool:
    """Create, edit, order and delete themes and pick their evidence: organisers (and
    admins), once the consultation has closed."""
    return can_manage_consultations(user, consultation.area) and consultation.state in ANALYSABLE
