"""Publishing a survey's results: who may see them. Flushes and records; the caller commits."""

from __future__ import annotations

from forum.audit.services import record
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.models import ResultsVisibility, Survey


def set_results_visibility(survey: Survey, visibility: ResultsVisibility, *, actor, area) -> bool:
    """Choose who may see the results; the first time they are published is dated. Recorded
    in the audit log with who and when. Returns False when nothing changed."""
    if survey.results_visibility is visibility:
        return False
    survey.results_visibility = visibility
    if visibility is not ResultsVisibility.ORGANISERS and survey.results_published_at is None:
        survey.results_published_at = utcnow()
    db.session.flush()
    record(
        "survey.results_published",
        survey,
        actor=actor,
        area=area,
        visibility=visibility.value,
    )
    return True
