"""Who may look for bursts and quarantine responses. A pure function."""

from __future__ import annotations

from forum.consultations.models import ConsultationState
from forum.consultations.permissions import can_manage_consultations

#: responses can be quarantined and released while they can still change the results the
#: forum analyses: from opening until the forum marks the consultation responded
REVIEWABLE = (ConsultationState.OPEN, ConsultationState.CLOSED)


def can_review_responses(user, consultation) -> bool:
    """See the bursts and quarantine or release responses: the area's organisers (and
    admins), while the consultation is open or closed and not yet responded to (after that
    the published figures stand)."""
    return can_manage_consultations(user, consultation.area) and consultation.state in REVIEWABLE
