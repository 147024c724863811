"""Sections (chapters) of a survey: adding, changing, reordering and deleting them.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. A broken rule raises `SurveyError`. Every change ends in `services.regroup`, which
keeps each section's questions together and the sections in the order of their questions.
"""

from __future__ import annotations

from forum.audit.services import record
from forum.extensions import db
from forum.surveys.builder.services import (
    INTRO_MAX,
    SurveyError,
    _checked_number,
    _locked_questions,
    _touch,
    regroup,
)
from forum.surveys.models import Section, Survey
from forum.surveys.queries import sections_of

TITLE_MAX = 200
#: far more than any consultation document has chapters
MAX_SECTIONS = 40


def _checked(number: str, title: str, intro: str) -> tuple[str, str, str]:
    number = _checked_number(number, field="number")
    title = " ".join((title or "").split())
    if not title:
        raise SurveyError("Enter the section's title", field="title")
    if len(title) > TITLE_MAX:
        raise SurveyError(f"The title must be {TITLE_MAX} characters or fewer", field="title")
    intro = (intro or "").strip()
    if len(intro) > INTRO_MAX:
        raise SurveyError(
            f"The introduction must be {INTRO_MAX:,} characters or fewer", field="intro"
        )
    return number, title, intro


def add_section(survey: Survey, *, number: str = "", title: str, intro: str = "", actor) -> Section:
    """A new, empty section after the last one. Questions join it from their own form."""
    number, title, intro = _checked(number, title, intro)
    _locked_questions(survey)
    sections = sections_of(survey)
    if len(sections) >= MAX_SECTIONS:
        raise SurveyError(f"A survey can have at most {MAX_SECTIONS} sections")
    section = Section(
        survey=survey,
        area_id=survey.area_id,
        position=len(sections) + 1,
        number=number,
        title=title,
        intro=intro,
    )
    db.session.add(section)
    _touch(survey)
    db.session.flush()
    _record("survey.section_added", section, actor=actor, position=section.position)
    return section


def update_section(section: Section, *, number: str, title: str, intro: str, actor) -> Section:
    number, title, intro = _checked(number, title, intro)
    changed = [
        name
        for name, value in (("number", number), ("title", title), ("intro", intro))
        if getattr(section, name) != value
    ]
    for name in changed:
        setattr(section, name, locals()[name])
    if changed:
        _touch(section.survey)
        db.session.flush()
        _record("survey.section_changed", section, actor=actor, changed=changed)
    return section


def move_section(section: Section, direction: int, *, actor) -> int:
    """Swap with the section before (-1) or after (+1), its questions with it; returns the new
    position. Refused when a question would come before the one its show-if depends on."""
    survey = section.survey
    questions = _locked_questions(survey)
    sections = sections_of(survey)
    index = sections.index(section)
    other = index + direction
    if direction not in (-1, 1) or not 0 <= other < len(sections):
        where = "first" if direction < 0 else "last"
        raise SurveyError(f"“{section.heading}” is already the {where} section")
    sections[index], sections[other] = sections[other], sections[index]
    old = section.position
    regroup(survey, questions, sections)
    _touch(survey)
    _record(
        "survey.section_moved", section, actor=actor, old_position=old, position=section.position
    )
    return section.position


def where_questions_go(section: Section, sections: list[Section]) -> Section | None:
    """Where a deleted section's questions move: into the section before it, or out of any
    section (to before the first one) when it is the first."""
    index = sections.index(section)
    return sections[index - 1] if index else None


def delete_section(section: Section, *, actor) -> Section | None:
    """Delete the section, never its questions: they join the section before (or, for the
    first section, stand before the first section). Returns where they went."""
    survey = section.survey
    questions = _locked_questions(survey)
    sections = sections_of(survey)
    into = where_questions_go(section, sections)
    moved = [q for q in questions if q.section_id == section.id]
    for question in moved:
        question.section = into
    _record(
        "survey.section_deleted",
        section,
        actor=actor,
        position=section.position,
        questions=len(moved),
        into_section_id=into.id if into else None,
    )
    db.session.delete(section)
    db.session.flush()
    regroup(survey, questions, [s for s in sections if s is not section])
    _touch(survey)
    return into


def _record(action: str, section: Section, *, actor, **detail) -> None:
    survey = section.survey
    record(
        action, section, actor=actor, area=survey.consultation.area, survey_id=survey.id, **detail
    )
