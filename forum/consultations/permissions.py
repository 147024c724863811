"""Who may see and run consultations. Pure functions over a user and a consultation or area."""

from __future__ import annotations

from forum.areas.permissions import can_manage_members, is_member
from forum.consultations.models import Audience, ConsultationState


def can_manage_consultations(user, area) -> bool:
    """Organisers of the area (and admins) write, schedule, open and close consultations."""
    return can_manage_members(user, area)


def can_view_consultation(user, consultation) -> bool:
    """Published consultations are public, whatever their audience (people can see what is
    being asked and join to answer). Drafts are for the area's organisers only."""
    if consultation.state is ConsultationState.DRAFT:
        return can_manage_consultations(user, consultation.area)
    return True


def can_take_part(user, consultation) -> bool:
    """Answer the survey and join the discussion: anyone for public consultations, members of
    the area otherwise; only while it is open."""
    if consultation.state is not ConsultationState.OPEN:
        return False
    if consultation.audience is Audience.PUBLIC:
        return True
    return is_member(user, consultation.area)
