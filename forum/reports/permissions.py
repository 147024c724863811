"""Who may read and write the forum's reports. Pure functions over a user and an area or a
report.

The forum's organisers (and admins) choose periods, write their words, preview, publish and
read the grant return. Everyone who may see the area reads a published annual report; nobody
else, another area's organisers included, sees a draft.
"""

from __future__ import annotations

from forum.areas.permissions import can_manage_members, can_view_area


def can_manage_reports(user, area) -> bool:
    """Write, preview and publish the area's reports, and read its grant return."""
    return can_manage_members(user, area)


def can_view_reports(user, area) -> bool:
    """The list of the area's published reports: whoever may see the area."""
    return can_view_area(user, area)


def can_read_report(user, report) -> bool:
    """A published report: whoever may see its area; a draft: its organisers only."""
    if can_manage_reports(user, report.area):
        return True
    return report.is_published and can_view_area(user, report.area)


def can_manage_report(user, report) -> bool:
    return can_manage_reports(user, report.area)
