"""Who sees a survey's results, and how exactly. Pure functions."""

from __future__ import annotations

from forum.consultations.models import ConsultationState
from forum.consultations.permissions import can_manage_consultations

#: results can be published once people can respond
PUBLISHABLE = (ConsultationState.OPEN, ConsultationState.CLOSED, ConsultationState.RESPONDED)


def sees_exact_results(user, consultation) -> bool:
    """The area's organisers (and admins) see every count as it is, and what people wrote.
    Everyone else, the partners' responders included, sees the figures as `forum.disclosure`
    publishes them."""
    return can_manage_consultations(user, consultation.area)


def is_responder(user, consultation) -> bool:
    from forum.areas.models import Role
    from forum.areas.permissions import role_in

    return role_in(user, consultation.area) is Role.RESPONDER


def can_filter_results(user, consultation) -> bool:
    """Filtering by an answer: organisers always; everyone else once the consultation has
    closed, when the figures stop moving, so no filtered page can be compared with one taken
    after a known answer arrived."""
    return sees_exact_results(user, consultation) or consultation.state in (
        ConsultationState.CLOSED,
        ConsultationState.RESPONDED,
    )


def can_view_results(user, consultation, survey) -> bool:
    """Organisers and responders always (organisers only while it is a draft; responders with
    protected figures); members of the area once published to members; everyone once published
    to everyone."""
    from forum.areas.permissions import is_member
    from forum.surveys.models import ResultsVisibility

    state = consultation.state
    if state is ConsultationState.DRAFT:
        return can_manage_consultations(user, consultation.area)
    if sees_exact_results(user, consultation) or is_responder(user, consultation):
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


def can_read_every_answer(user, consultation) -> bool:
    """Every written answer, word for word: the area's organisers (and admins), who run the
    survey and analyse it."""
    return can_manage_consultations(user, consultation.area)


def can_read_consented_answers(user, consultation, survey) -> bool:
    """The written answers of people who agreed to be quoted: organisers always; the area's
    responders only when the organisers chose to share them with partners
    (`Survey.shares_answers_with_partners`), and never while the consultation is a draft.
    Nobody but organisers ever reads the words of someone who said not to quote them."""
    from forum.areas.models import Role
    from forum.areas.permissions import role_in

    if can_read_every_answer(user, consultation):
        return True
    return (
        survey.shares_answers_with_partners
        and consultation.state is not ConsultationState.DRAFT
        and role_in(user, consultation.area) is Role.RESPONDER
    )


def written_answers_shown(user, consultation, survey) -> str:
    """Which written answers the person reads on the results page: "all", "consented" or
    "none" (`results.queries.WrittenAnswers`)."""
    if can_read_every_answer(user, consultation):
        return "all"
    if can_read_consented_answers(user, consultation, survey):
        return "consented"
    return "none"


def can_publish_results(user, consultation) -> bool:
    """The area's organisers (and admins) choose who sees the results, once it has opened."""
    return can_manage_consultations(user, consultation.area) and consultation.state in PUBLISHABLE
