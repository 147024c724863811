"""Who may read and change local plans. Pure functions over a user and a plan, priority or
commitment (each knows its area).

Plans are public once published. The forum's organisers edit the whole plan; a responder
edits only the commitments of their own partner organisation, and adds commitments only for
it. Parents read; they never edit.
"""

from __future__ import annotations

from forum.accounts.permissions import is_admin
from forum.areas.models import Role
from forum.areas.permissions import can_manage_members, membership_in, role_in


def responder_partner_id(user, area) -> int | None:
    """The partner organisation a responder speaks for in this area, or None."""
    if role_in(user, area) is not Role.RESPONDER:
        return None
    membership = membership_in(user, area)
    return membership.partner_id if membership is not None else None


def can_edit_plans(user, area) -> bool:
    """Create plans, edit their details and priorities, publish, import: organisers (and
    admins)."""
    return can_manage_members(user, area)


def can_see_plan_drafts(user, area) -> bool:
    """Unpublished plans: organisers, responders (they prepare commitments) and admins."""
    return is_admin(user) or role_in(user, area) in (Role.ORGANISER, Role.RESPONDER)


def can_view_plan(user, plan) -> bool:
    if plan.is_published:
        return True
    return can_see_plan_drafts(user, plan.area)


def can_add_commitment(user, area, partner_id: int | None = None) -> bool:
    """Organisers for any partner; a responder only for their own organisation (when
    `partner_id` is None, whether they may add any commitment at all)."""
    if can_edit_plans(user, area):
        return True
    own = responder_partner_id(user, area)
    if own is None:
        return False
    return partner_id is None or partner_id == own


def can_edit_commitment(user, commitment) -> bool:
    """Change a commitment and post progress updates on it: organisers, or a responder of the
    organisation that owns it."""
    area = commitment.priority.plan.area
    if can_edit_plans(user, area):
        return True
    own = responder_partner_id(user, area)
    return own is not None and own == commitment.partner_id


def can_edit_plan(user, plan) -> bool:
    """Change this plan's details, priorities and publishing, and import into it."""
    return can_edit_plans(user, plan.area)


def can_edit_priority(user, priority) -> bool:
    return can_edit_plans(user, priority.plan.area)


def can_add_commitment_under(user, priority) -> bool:
    """Add a commitment under this priority: organisers, or any responder of the area (for
    their own organisation only, which the form and the service enforce)."""
    return can_add_commitment(user, priority.plan.area)


def can_view_commitment(user, commitment) -> bool:
    return can_view_plan(user, commitment.priority.plan)


def can_delete_commitment(user, commitment) -> bool:
    """Deleting removes a promise and its timeline: the forum's organisers only. A responder
    marks it dropped, with the reason, instead."""
    return can_edit_plans(user, commitment.priority.plan.area)
