"""Writing audit entries."""

from __future__ import annotations

from forum.audit.models import AuditEvent
from forum.extensions import db


def record(action: str, subject, *, actor=None, area=None, **detail) -> AuditEvent:
    """Add an audit entry for `subject` to the current transaction (flushed, not committed)."""
    event = AuditEvent(
        action=action,
        subject_type=type(subject).__name__,
        subject_id=getattr(subject, "id", None),
        actor_id=getattr(actor, "id", None),
        area_id=getattr(area, "id", None),
        detail=detail,
    )
    db.session.add(event)
    db.session.flush()
    return event
