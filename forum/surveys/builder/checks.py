"""The survey's row on a consultation's "check and publish" page (`hooks.publish_checks`)."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.consultations.checks import Check, Level
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.surveys.models import Question, Section, Survey, survey_page_url


def survey_check(consultation: Consultation) -> list[Check]:
    """How many questions the survey asks (those shown to new respondents), by section when it
    has sections, in two queries. No survey, or no questions, is an error: there would be
    nothing to answer."""
    builder = survey_page_url(consultation, "builder")
    survey_id = db.session.scalar(
        select(Survey.id).where(Survey.consultation_id == consultation.id)
    )
    if survey_id is None:
        return [
            Check(
                "Survey questions",
                Level.ERROR,
                "There is no survey yet, so there is nothing to answer.",
                builder,
                "Build the survey",
            )
        ]
    rows = db.session.execute(
        select(Section.position, Section.number, Section.title, func.count(Question.id))
        .select_from(Question)
        .outerjoin(Section, Section.id == Question.section_id)
        .where(Question.survey_id == survey_id, Question.is_hidden.is_(False))
        .group_by(Section.id, Section.position, Section.number, Section.title)
    ).all()
    # questions before the first section first, then the sections in order
    rows = sorted(rows, key=lambda row: (row[0] is not None, row[0] or 0))
    total = sum(count for *_, count in rows)
    if not total:
        return [
            Check(
                "Survey questions",
                Level.ERROR,
                "The survey has no questions yet.",
                builder,
                "Add questions to the survey",
            )
        ]
    details: tuple[str, ...] = ()
    if any(title is not None for _, _, title, _ in rows):
        details = tuple(
            f"{(f'{number} {title}' if number else title) if title else 'Before the first section'}"
            f": {count} question{'' if count == 1 else 's'}"
            for _, number, title, count in rows
        )
    return [
        Check(
            "Survey questions",
            Level.READY,
            f"The survey asks {total} question{'' if total == 1 else 's'}.",
            builder,
            "Change the survey",
            details,
        )
    ]
