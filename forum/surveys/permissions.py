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


def can_enter_responses(user, consultation) -> bool:
    """Type in responses received on paper, by phone or at an event: the area's organisers
    (and admins), once the consultation has opened and until the forum has responded."""
    return can_manage_consultations(user, consultation.area) and consultation.state in (
        ConsultationState.OPEN,
        ConsultationState.CLOSED,
    )


# --- results -------------------------------------------------------------------------------

#: results can be published once people can respond
PUBLISHABLE = (ConsultationState.OPEN, ConsultationState.CLOSED, ConsultationState.RESPONDED)


def sees_exact_results(user, consultation) -> bool:
    """The area's organisers (and admins) and its responders see every count as it is; everyone
    else sees counts under 5 as "fewer than 5"."""
    from forum.areas.models import Role
    from forum.areas.permissions import role_in

    area = consultation.area
    return can_manage_consultations(user, area) or role_in(user, area) is Role.RESPONDER


def can_view_results(user, consultation, survey) -> bool:
    """Organisers and responders always (organisers only while it is a draft); members of the
    area once published to members; everyone once published to everyone."""
    from forum.areas.permissions import is_member
    from forum.surveys.models import ResultsVisibility

    state = consultation.state
    if state is ConsultationState.DRAFT:
        return can_manage_consultations(user, consultation.area)
    if sees_exact_results(user, consultation):
        return True
    if state not in PUBLISHABLE:
        return False
    visibility = survey.results_visibility
    if visibility is ResultsVisibility.PUBLIC:
        return True
    return visibility is ResultsVisibility.MEMBERS and is_member(user, consultation.area)


def can_view_survey_results(user, survey) -> bool:
    """`can_view_results` for `access(…)`, which passes one subject: the survey knows its
    consultation."""
    return can_view_results(user, survey.consultation, survey)


def can_publish_results(user, consultation) -> bool:
    """The area's organisers (and admins) choose who sees the results, once it has opened."""
    return can_manage_consultations(user, consultation.area) and consultation.state in PUBLISHABLE


def can_code_answers(user, consultation) -> bool:
    """Read the written answers and tag them with codes: the area's organisers (and admins), in
    every state, since the analysis goes on after the consultation closes. Responders answer
    the themes made from the codes; they do not read the raw answers."""
    return can_manage_consultations(user, consultation.area)
