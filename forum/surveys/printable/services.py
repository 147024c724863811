"""Writes for the printable version: where paper responses go."""

from __future__ import annotations

from forum.audit.services import record
from forum.extensions import db
from forum.surveys.models import Survey


def set_paper_address(survey: Survey, text: str, *, actor) -> Survey:
    text = (text or "").strip()
    if survey.paper_responses_to != text:
        survey.paper_responses_to = text
        db.session.flush()
        record("survey.paper_address", survey, actor=actor, area=survey.consultation.area)
    return survey
