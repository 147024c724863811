"""Who may see all the questions, and who says where paper responses go. Pure functions."""

from __future__ import annotations

from forum.consultations.permissions import can_view_consultation
from forum.surveys.builder.permissions import can_change_survey


def can_see_all_questions(user, consultation) -> bool:
    """Anyone who can see the consultation (a draft's: its organisers)."""
    return can_view_consultation(user, consultation)


def can_set_paper_address(user, consultation) -> bool:
    """The organisers who may change the survey's settings."""
    return can_change_survey(user, consultation)
