"""Reading plans and priorities."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.plans.models import LocalPlan, Priority


def priorities_of(area) -> list[Priority]:
    """Every priority of every plan in the area, in plan then priority order."""
    return list(
        db.session.scalars(
            select(Priority)
            .join(Priority.plan)
            .where(Priority.area_id == area.id)
            .order_by(LocalPlan.id, Priority.position)
        )
    )


def get_priorities(area, ids: list[int]) -> list[Priority]:
    """The priorities with these ids that belong to this area; others are ignored."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Priority)
            .where(Priority.area_id == area.id, Priority.id.in_(ids))
            .order_by(Priority.position)
        )
    )
