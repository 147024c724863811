"""Recording a download: who took which format, and how many responses it held."""

from __future__ import annotations

from forum.audit.services import record
from forum.surveys.models import Survey


def record_export(survey: Survey, *, actor, area, extension: str, rows: int) -> None:
    """An audit entry for one download; the caller commits before the file streams."""
    record("survey.exported", survey, actor=actor, area=area, format=extension, rows=rows)
