"""Who may build, answer, review, publish and read the outcome ledger. Pure functions over a
user and a consultation, theme or decision (each knows its area).

- Organisers build themes once a consultation has closed, review partners' answers (agreed or
  disputed) and publish.
- Responders read unpublished themes of their area and answer each for their own partner
  organisation; they never change themes or evidence.
- Everyone else sees only what has been published, and only for consultations they may see.
"""

from __future__ import annotations

from forum.accounts.permissions import is_admin
from forum.areas.models import Role
from forum.areas.permissions import role_in
from forum.consultations.models import ConsultationState
from forum.consultations.permissions import can_manage_consultations, can_view_consultation
from forum.plans.permissions import responder_partner_id

#: themes are built from what people said, so only once they have finished saying it
ANALYSABLE = (ConsultationState.CLOSED, ConsultationState.RESPONDED)


def can_build_themes(user, consultation) -> bool:
    """Create, edit, order and delete themes and pick their evidence: organisers (and
    admins), once the consultation has closed."""
    return can_manage_consultations(user, consultation.area) and consultation.state in ANALYSABLE


def can_view_unpublished(user, area) -> bool:
    """Themes and decisions before publishing: organisers, responders and admins."""
    return is_admin(user) or role_in(user, area) in (Role.ORGANISER, Role.RESPONDER)


def can_view_ledger(user, consultation) -> bool:
    """The staff view of a consultation's themes and decisions (published or not)."""
    return consultation.state in ANALYSABLE and can_view_unpublished(user, consultation.area)


def can_answer_theme(user, theme) -> bool:
    """Give or change a decision: a responder with a partner organisation in the theme's area.
    Organisers record no decisions: the answer is the partner's to give."""
    return (
        theme.consultation.state in ANALYSABLE
        and responder_partner_id(user, theme.consultation.area) is not None
    )


def can_change_decision(user, decision) -> bool:
    """Only a responder of the organisation that gave it."""
    own = responder_partner_id(user, decision.theme.consultation.area)
    return own is not None and own == decision.partner_id


def can_review_decision(user, decision) -> bool:
    """Mark a partner's answer agreed or disputed: the forum's organisers (and admins)."""
    return can_manage_consultations(user, decision.theme.consultation.area)


def can_publish_response(user, consultation) -> bool:
    """Publish the "you said, we did" section: organisers (and admins), once closed."""
    return can_build_themes(user, consultation)


def can_view_published(user, consultation) -> bool:
    """The published section: whoever may see the consultation itself."""
    return consultation.state is ConsultationState.RESPONDED and can_view_consultation(
        user, consultation
    )


def can_view_local_offer_report(user, consultation) -> bool:
    """The Local Offer feedback report: a Local Offer consultation's published response, for
    whoever may see that response."""
    from forum.consultations.models import ConsultationKind

    return consultation.kind is ConsultationKind.LOCAL_OFFER and can_view_published(
        user, consultation
    )
