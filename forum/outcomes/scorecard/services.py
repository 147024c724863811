"""Counting people and feedback items afresh and storing them (`StoredFigures`), so the
scorecard and national pages read a handful of small rows however many answers there are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert

from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.scorecard import queries
from forum.outcomes.scorecard.models import FigureScope, StoredFigures
from forum.outcomes.scorecard.queries import (
    WHOLE_PLAN,
    Figures,
    area_figures,
    consultation_figures,
    plan_figures,
)


def refresh_figures(area_ids: list[int] | None = None, *, now=None) -> int:
    """Count people and feedback items afresh for these areas (all when None): the area, each
    of its plans and their top-level priorities, and each published consultation. Replaces
    what was stored; flushes, never commits. Returns how many rows were stored.

    Run by `flask outcomes refresh-figures` on a schedule, and worth calling for an area
    whenever a consultation's response is published."""
    now = now or utcnow()
    if area_ids is None:
        area_ids = queries.all_area_ids()
    stored = sum(_refresh_area(area_id, now) for area_id in area_ids)
    db.session.flush()
    return stored


def _refresh_area(area_id: int, now: datetime) -> int:
    rows: list[dict] = []

    def keep(scope: FigureScope, subject_id: int, f: Figures | None) -> None:
        f = f or Figures()
        rows.append(
            {
                "area_id": area_id,
                "scope": scope,
                "subject_id": subject_id,
                "participants": f.participants,
                "items": f.items,
                "vouched_participants": f.vouched_participants,
                "vouched_items": f.vouched_items,
                "refreshed_at": now,
            }
        )

    keep(FigureScope.AREA, area_id, area_figures([area_id], now=now).get(area_id))
    for plan_id in queries.plan_ids_of(area_id):
        figures = plan_figures(plan_id, now=now)
        keep(FigureScope.PLAN, plan_id, figures.get(WHOLE_PLAN))
        for priority_id in queries.top_priority_ids(plan_id):
            keep(FigureScope.PRIORITY, priority_id, figures.get(priority_id))
    figures = consultation_figures(area_id, now=now)
    for consultation_id in queries.published_consultation_ids(area_id):
        keep(FigureScope.CONSULTATION, consultation_id, figures.get(consultation_id))
    db.session.execute(delete(StoredFigures).where(StoredFigures.area_id == area_id))
    if rows:
        db.session.execute(insert(StoredFigures), rows)
    return len(rows)
