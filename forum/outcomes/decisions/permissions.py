"""Who may answer a theme, change an answer, and review it."""

from __future__ import annotations

from forum.consultations.permissions import can_manage_consultations
from forum.outcomes.permissions import ANALYSABLE
from forum.plans.permissions import responder_partner_id


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
