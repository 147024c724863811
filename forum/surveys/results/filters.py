"""The results filter: only the responses that chose one option of one choice question
(`?by=<question id>&is=<option key>`)."""

from __future__ import annotations

from dataclasses import dataclass

from forum.surveys.models import OTHER, OTHER_LABEL, Question

BAD_FILTER = (
    "That filter could not be used, so the results of everyone who responded are shown. "
    "Choose a question and an answer from the list."
)


@dataclass(frozen=True)
class Filter:
    """Only the responses that chose `key` in answer to `question`."""

    question: Question
    key: str

    @property
    def label(self) -> str:
        return option_label(self.question, self.key)

    @property
    def value(self) -> str:
        """The filter as one value of the filter form's select."""
        return f"{self.question.id}:{self.key}"

    @property
    def describe(self) -> str:
        name = self.question.name_in(self.question.survey.numbering)
        return f"answered “{self.label}” to {name}"


def filter_questions(questions: list[Question]) -> list[Question]:
    """The questions results can be filtered by: every choice question."""
    return [q for q in questions if q.kind.is_choice]


def split_filter_value(value: str) -> tuple[str, str]:
    """The select's "<question id>:<option key>" as (by, is); ("", "") for everyone."""
    by, _, key = (value or "").partition(":")
    return by, key


def read_filter(by: str | None, key: str | None, questions: list[Question]):
    """(filter, problem): the filter the query string asks for, or None with a message saying
    why it was ignored. Nothing asked for is (None, None)."""
    by, key = (by or "").strip(), (key or "").strip()
    if not by and not key:
        return None, None
    if not (by.isascii() and by.isdigit() and len(by) <= 12) or len(key) > 40:
        return None, BAD_FILTER
    question = next((q for q in filter_questions(questions) if q.id == int(by)), None)
    if question is None or key not in {choice["value"] for choice in question.choices}:
        return None, BAD_FILTER
    return Filter(question, key), None


def option_label(question: Question, key: str) -> str:
    if key == OTHER:
        return OTHER_LABEL
    return question.label_of(key)
