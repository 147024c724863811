"""Which questions someone sees, given their own answers.

A question with a show-if condition is shown only when the earlier question was answered with
one of the named options; a question that is not shown is neither required nor stored.
Questions hidden from new respondents are left out altogether.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from forum.surveys.models import Question


def shown_questions(questions: Iterable[Question], values: Mapping[int, object]) -> list[Question]:
    """The questions this person sees, given their answers so far (`values` by question id).

    Questions hidden from new respondents are left out; a show-if question is shown when its
    earlier question is shown and was answered with one of the named options.
    """
    shown: list[Question] = []
    shown_ids: set[int] = set()
    for question in questions:
        if question.is_hidden:
            continue
        if question.show_if_question_id is not None:
            if question.show_if_question_id not in shown_ids:
                continue
            chosen = _keys(values.get(question.show_if_question_id))
            if not chosen & set(question.show_if_values or ()):
                continue
        shown.append(question)
        shown_ids.add(question.id)
    return shown


def _keys(value) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)}


def missing_answers(questions: list[Question], values: Mapping[int, object]) -> list[Question]:
    """Shown, required questions without an answer."""
    return [
        q
        for q in shown_questions(questions, values)
        if q.is_required and values.get(q.id) in (None, "", [])
    ]
