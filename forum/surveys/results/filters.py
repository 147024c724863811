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


#: how a family-profile filter's question is named in the address (`?by=p-need&is=asd`)
PROFILE = "p-"


@dataclass(frozen=True)
class ProfileFilter:
    """Only the responses of members whose family profile gives `key` to the profile question
    `question` (for a child's question, for any of their children). Counted from accounts
    only, and protected for everyone, organisers included (`forum.members.reach`)."""

    question: str
    heading: str
    key: str
    label: str

    @property
    def value(self) -> str:
        return f"{PROFILE}{self.question}:{self.key}"

    @property
    def describe(self) -> str:
        return f"told the forum “{self.label}” for “{self.heading}” in their family profile"


def read_profile_filter(by: str, key: str, choices) -> tuple[ProfileFilter | None, str | None]:
    """The profile filter `?by=p-<question>&is=<answer>` asks for, from `choices`
    (`members.reach.filter_choices`), or None with the reason it was ignored."""
    question = by[len(PROFILE) :]
    for name, heading, answers in choices:
        if name == question:
            label = dict(answers).get(key)
            if label is not None:
                return ProfileFilter(name, heading, key, label), None
    return None, BAD_FILTER


def filter_questions(questions: list[Question]) -> list[Question]:
    """The questions results can be filtered by: every choice question."""
    return [q for q in questions if q.kind.is_choice]


def split_filter_value(value: str) -> tuple[str, str]:
    """The select's "<question id>:<option key>" as (by, is); ("", "") for everyone."""
    by, _, key = (value or "").partition(":")
    return by, key


def read_filter(by: str | None, key: str | None, questions: list[Question], profiles=()):
    """(filter, problem): the filter the query string asks for, or None with a message saying
    why it was ignored. Nothing asked for is (None, None). `profiles` are the family-profile
    questions the survey may be filtered by (none for an anonymous survey)."""
    by, key = (by or "").strip(), (key or "").strip()
    if not by and not key:
        return None, None
    if by.startswith(PROFILE) and len(by) <= 30 and len(key) <= 40:
        return read_profile_filter(by, key, profiles)
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
