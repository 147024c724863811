"""The pages of a survey with each section on its own page (`SurveyLayout.SECTION_PER_PAGE`).

Page 1 to n are the sections that have questions new respondents see, in order, after a first
page for any questions before the first section. A page's address names its section's id
(`/answer/first` for the questions before the first section), so it stays the same when
sections move.

A page shows its questions that this person is asked given their answers on earlier pages; a
question whose show-if question is on the same page is shown too, with its condition beside
it (as on the one-page form), and only counts when the answer on the page calls for it. A
page with nothing to ask this person is passed over. No query: the caller gives the questions
and sections.
"""

from __future__ import annotations

from collections.abc import Mapping

from forum.surveys.answering.show_if import shown_questions
from forum.surveys.models import Question, Section
from forum.surveys.queries import sectioned


def section_pages(
    questions: list[Question], sections: list[Section]
) -> list[tuple[Section | None, list[Question]]]:
    """(section, its questions new respondents may see) for each page, in order."""
    visible = [q for q in questions if not q.is_hidden]
    return [(section, group) for section, group in sectioned(visible, sections) if group]


def page_key(section: Section | None) -> int:
    """The number in a page's address: its section's id, or 0 before the first section."""
    return section.id if section is not None else 0


def page_of(pages, question: Question) -> int | None:
    """The address number (`page_key`) of the page that asks `question`; None when hidden."""
    for section, group in pages:
        if question in group:
            return page_key(section)
    return None


def page_index(pages, key: int) -> int | None:
    """Where the page with address number `key` is in `pages` (from 0), if it is there."""
    for index, (section, _group) in enumerate(pages):
        if page_key(section) == key:
            return index
    return None


def asked_on_page(
    questions: list[Question], group: list[Question], values: Mapping[int, object]
) -> list[Question]:
    """The page's questions this person is asked, given their stored answers (`values`)."""
    shown_ids = {q.id for q in shown_questions(questions, values)}
    asked: list[Question] = []
    asked_ids: set[int] = set()
    for question in group:
        if question.id in shown_ids or question.show_if_question_id in asked_ids:
            asked.append(question)
            asked_ids.add(question.id)
    return asked
