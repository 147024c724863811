"""Recording a download: who took which format, how many responses it held, and why it holds
email addresses when it does."""

from __future__ import annotations

from forum.audit.services import record
from forum.surveys.models import Survey


def record_export(
    survey: Survey, *, actor, area, extension: str, rows: int, email_reason: str = ""
) -> None:
    """An audit entry for one download; the caller commits before the file streams. When the
    file holds email addresses, the entry keeps the organiser's reason for them."""
    if email_reason:
        record(
            "survey.exported",
            survey,
            actor=actor,
            area=area,
            format=extension,
            rows=rows,
            emails=True,
            reason=email_reason,
        )
    else:
        record("survey.exported", survey, actor=actor, area=area, format=extension, rows=rows)
