"""A local plan as the owner of documents (forum/documents): its easy read and other versions,
seen by whoever may see the plan and managed by those who edit plans."""

from __future__ import annotations

from forum.documents.owners import OwnerKind
from forum.extensions import db
from forum.plans.models import LocalPlan
from forum.plans.permissions import can_edit_plans, can_view_plan


def _can_manage(user, plan) -> bool:
    return can_edit_plans(user, plan.area)


OWNER = OwnerKind(
    kind="plan",
    noun="local plan",
    load=lambda owner_id: db.session.get(LocalPlan, owner_id),
    can_view=can_view_plan,
    can_see_documents=can_view_plan,
    can_manage=_can_manage,
)
