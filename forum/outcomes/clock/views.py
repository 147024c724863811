"""The accountability clock on other areas' pages: beside a consultation's state, and the area
home's "Running late" section."""

from __future__ import annotations

from forum.models import utcnow
from forum.outcomes.clock.queries import overdue_consultations, overdue_decisions


def area_home_section(area):
    """The area home's "Running late" section: overdue responses and decisions, for everyone.
    Nothing is shown when nothing is late."""
    now = utcnow()
    consultations = overdue_consultations(area, now)
    decisions = overdue_decisions(area, now)
    if not consultations and not decisions:
        return None
    return "outcomes/_clock_area_home.html", {
        "consultations": consultations,
        "decisions": decisions,
    }
