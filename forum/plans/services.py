"""Writing plans and priorities."""

from __future__ import annotations

from forum.audit.services import record
from forum.extensions import db
from forum.plans.models import LocalPlan, Priority


def create_plan(area, *, title: str, summary: str = "", actor) -> LocalPlan:
    from forum.consultations.services import slugify

    plan = LocalPlan(area_id=area.id, slug=slugify(title) or "plan", title=title, summary=summary)
    db.session.add(plan)
    db.session.flush()
    record("plan.created", plan, actor=actor, area=area)
    return plan


def add_priority(
    plan: LocalPlan, *, code: str, title: str, description: str = "", actor
) -> Priority:
    position = len(plan.priorities) + 1
    priority = Priority(
        plan=plan,
        area_id=plan.area_id,
        code=code,
        title=title,
        description=description,
        position=position,
    )
    db.session.add(priority)
    db.session.flush()
    record("priority.added", priority, actor=actor, area=plan.area, code=code)
    return priority
