"""The accountability clock on other areas' pages: beside a consultation's state, and the area
home's "Running late" section."""

from __future__ import annotations

from forum.areas import home_sections
from forum.models import utcnow
from forum.outcomes import bp
from forum.outcomes.clock.queries import clock_for, overdue_consultations, overdue_decisions


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


# The consultation page includes outcomes/_clock.html, which calls `response_clock`.
bp.add_app_template_global(clock_for, "response_clock")
home_sections.append(area_home_section)
