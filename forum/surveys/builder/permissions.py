"""Who may build a survey. Pure functions over a user and a consultation."""

from __future__ import annotations

from forum.consultations.models import ConsultationState
from forum.consultations.permissions import can_manage_consultations

#: a survey can change until its consultation closes; after that it is the record of what
#: people were asked
CHANGEABLE = (ConsultationState.DRAFT, ConsultationState.SCHEDULED, ConsultationState.OPEN)


def can_view_survey_builder(user, consultation) -> bool:
    """The builder and the preview: the area's organisers (and admins), in every state."""
    return can_manage_consultations(user, consultation.area)


def can_change_survey(user, consultation) -> bool:
    """Settings and questions: the area's organisers (and admins), until it closes."""
    return can_view_survey_builder(user, consultation) and consultation.state in CHANGEABLE
