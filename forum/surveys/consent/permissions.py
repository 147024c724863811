"""Who may open a survey's quoting page. A pure function."""

from __future__ import annotations

from forum.consultations.models import ConsultationState
from forum.consultations.permissions import can_manage_consultations, can_view_consultation


def can_change_quoting(user, consultation) -> bool:
    """Anyone who can see the consultation: the page itself only ever shows the visitor's own
    response (found by their account, their private link or their session), or nothing."""
    return can_view_consultation(user, consultation)


def can_give_consent(consultation) -> bool:
    """Consent can be given again only while people can still answer; it can be withdrawn
    whenever."""
    return consultation.state is ConsultationState.OPEN


def can_withdraw_on_request(user, consultation) -> bool:
    """The area's organisers (and admins) withdraw consent for someone who asks them, for
    example a person who answered on paper or lost their private link."""
    return can_manage_consultations(user, consultation.area)
