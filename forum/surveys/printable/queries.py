"""The questions of a survey grouped by section, in two queries however many there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from forum.extensions import db
from forum.surveys.models import Question, Section, Survey
from forum.surveys.queries import select_questions


@dataclass
class Part:
    """A run of questions under one section (or none, for questions outside any section)."""

    section: Section | None
    questions: list[Question] = field(default_factory=list)


def question_parts(survey: Survey) -> list[Part]:
    """The questions new respondents may see (hidden ones left out), in order, each run of
    questions of one section under that section."""
    sections = {
        section.id: section
        for section in db.session.scalars(select(Section).where(Section.survey_id == survey.id))
    }
    parts: list[Part] = []
    for question in db.session.scalars(select_questions(survey)):
        if question.is_hidden:
            continue
        section = sections.get(question.section_id) if question.section_id else None
        if not parts or parts[-1].section is not section:
            parts.append(Part(section))
        parts[-1].questions.append(question)
    return parts
