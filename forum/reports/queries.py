"""Reading the area's reports: the list, one report by its period (the URL's `period`,
"2025-04-01_2026-03-31"), and the loaders the routes use."""

from __future__ import annotations

import re
from datetime import date

from flask import abort
from sqlalchemy import select

from forum.extensions import db
from forum.reports.models import AnnualReport
from forum.reports.periods import Period

_PERIOD = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str | None) -> Period | None:
    """ "2025-04-01_2026-03-31" → that period; None for anything else."""
    found = _PERIOD.match(text or "")
    if not found:
        return None
    try:
        start, end = date.fromisoformat(found.group(1)), date.fromisoformat(found.group(2))
    except ValueError:
        return None
    return Period(start, end) if start <= end else None


def reports_of(area, *, published_only: bool) -> list[AnnualReport]:
    """The area's reports, newest period first."""
    query = select(AnnualReport).where(AnnualReport.area_id == area.id)
    if published_only:
        query = query.where(AnnualReport.published_at.is_not(None))
    return list(
        db.session.scalars(query.order_by(AnnualReport.starts_on.desc(), AnnualReport.id.desc()))
    )


def latest_published(area) -> AnnualReport | None:
    return db.session.scalar(
        select(AnnualReport)
        .where(AnnualReport.area_id == area.id, AnnualReport.published_at.is_not(None))
        .order_by(AnnualReport.ends_on.desc(), AnnualReport.id.desc())
        .limit(1)
    )


def get_report(area, period: Period) -> AnnualReport | None:
    return db.session.scalar(
        select(AnnualReport).where(
            AnnualReport.area_id == area.id,
            AnnualReport.starts_on == period.start,
            AnnualReport.ends_on == period.end,
        )
    )


def load_report(kwargs: dict) -> dict:
    """URL loader: the area's report for the period in the URL, or 404."""
    from forum.areas.queries import load_area

    kwargs = load_area(kwargs)
    period = parse_period(kwargs.pop("period"))
    report = get_report(kwargs["area"], period) if period else None
    if report is None:
        abort(404)
    kwargs["report"] = report
    return kwargs
