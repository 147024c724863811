"""What the retention schedule removes from surveys (docs/retention.md), run by
`forum.retention.run_purges` through `hooks.retention_purges`.

Responses that were saved but never sent can no longer be sent once the consultation closes;
they are deleted with their answers `DRAFTS_KEPT` after it closed (long enough for a
consultation that is given longer to let people finish). Anonymous surveys lose theirs at
closing already (`services.seal`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, select

from forum.consultations.models import Consultation
from forum.extensions import db
from forum.surveys.models import Response, ResponseStatus, Survey

DRAFTS_KEPT = timedelta(days=30)


def purge_abandoned_drafts(now: datetime) -> int:
    closed_long_ago = (
        select(Survey.id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(Consultation.closes_at < now - DRAFTS_KEPT)
    )
    result = db.session.execute(
        delete(Response)
        .where(Response.status == ResponseStatus.DRAFT, Response.survey_id.in_(closed_long_ago))
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount or 0
