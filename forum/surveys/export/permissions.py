"""Who may download a survey's responses. A pure function."""

from __future__ import annotations

from forum.consultations.permissions import can_manage_consultations


def can_export_survey(user, consultation) -> bool:
    """Exports hold every answer (and, for named surveys, who gave it): the area's organisers
    and admins only, in every state of the consultation."""
    return can_manage_consultations(user, consultation.area)
