"""Who may read a Local Offer feedback report."""

from __future__ import annotations

from forum.consultations.models import ConsultationKind
from forum.outcomes.permissions import can_view_published


def can_view_local_offer_report(user, consultation) -> bool:
    """The Local Offer feedback report: a Local Offer consultation's published response, for
    whoever may see that response."""
    return consultation.kind is ConsultationKind.LOCAL_OFFER and can_view_published(
        user, consultation
    )
