"""Who may answer, and who may type in responses. Pure functions."""

from __future__ import annotations

from forum.consultations.models import ConsultationState
from forum.consultations.permissions import can_manage_consultations


def can_enter_responses(user, consultation) -> bool:
    """Type in responses received on paper, by phone or at an event: the area's organisers
    (and admins), once the consultation has opened and until the forum has responded."""
    return can_manage_consultations(user, consultation.area) and consultation.state in (
        ConsultationState.OPEN,
        ConsultationState.CLOSED,
    )


def is_closed_to(survey, response) -> bool:
    """Submitted, and the survey does not let people change their answers: a repeated submit
    (a double click, a replay, the back button) changes nothing and shows the confirmation."""
    return response is not None and response.is_submitted and not survey.allow_edit_after_submit


def can_correct_contacts(user, consultation) -> bool:
    """See, correct and remove the contact details typed in with paper, phone and event
    responses: the area's organisers (and admins), for as long as the details are kept (they
    are used after the forum has responded, to say what happened)."""
    return can_manage_consultations(user, consultation.area) and consultation.state is not (
        ConsultationState.DRAFT
    )
