"""What an export holds: the survey's questions as plain values, and the columns they make.

The columns are fixed by the survey, not by the answers: every question (hidden ones and
show-if ones too) in position order, so a question someone did not see is an empty cell, and
two exports of the same survey always line up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from forum.models import utcnow
from forum.surveys.models import Question, QuestionKind, Section, Survey
from forum.web.time import LONDON

Cell = Callable[[object, str | None], object]


@dataclass(frozen=True)
class QuestionPlan:
    """One question as plain values, so nothing is read from the database while streaming."""

    id: int
    position: int
    kind: str
    prompt: str
    is_hidden: bool
    has_other: bool
    choices: tuple[tuple[str, str], ...]
    show_if_question_id: int | None
    show_if_values: tuple[str, ...]
    #: (header, cell) pairs: this question's CSV columns
    columns: tuple[tuple[str, Cell], ...]
    #: its number as the survey shows it ("" when unnumbered), and its section's id
    number: str = ""
    section_id: int | None = None
    #: the question's answers can hold free text (so can carry codes): the header of its
    #: "codes" column, else None
    codes_header: str | None = None

    @property
    def key(self) -> str:
        """How the JSON names the question: its id, as the answering form does (`q<id>`)."""
        return f"q{self.id}"

    @property
    def headers(self) -> list[str]:
        """This question's CSV headers: its answer columns, then its codes column if any."""
        found = [header for header, _ in self.columns]
        if self.codes_header:
            found.append(self.codes_header)
        return found

    def labels(self, value) -> str | list[str] | None:
        """The chosen options' words, for choice and ranking answers."""
        if value is None or not self.choices:
            return None
        words = dict(self.choices)
        if isinstance(value, list):
            return [words.get(str(v), str(v)) for v in value]
        return words.get(str(value), str(value))

    def describe(self) -> dict:
        return {
            "key": self.key,
            "id": self.id,
            "position": self.position,
            "kind": self.kind,
            "number": self.number or None,
            "section": f"s{self.section_id}" if self.section_id else None,
            "prompt": self.prompt,
            "is_hidden": self.is_hidden,
            "options": [{"value": key, "label": label} for key, label in self.choices],
            "has_other": self.has_other,
            "is_coded": self.codes_header is not None,
            "show_if": (
                {"question": f"q{self.show_if_question_id}", "values": list(self.show_if_values)}
                if self.show_if_question_id
                else None
            ),
        }


@dataclass(frozen=True)
class ExportPlan:
    survey_id: int
    is_anonymous: bool
    consultation_title: str
    consultation_slug: str
    questions: tuple[QuestionPlan, ...]
    #: the survey's sections in order, as the JSON describes them
    sections: tuple[dict, ...] = ()
    #: named surveys: the organiser asked for email addresses and said why (the reason is in
    #: the audit entry); without it the files name people but give no way to contact them
    with_emails: bool = False

    @property
    def has_codes(self) -> bool:
        """Some question can carry codes, so the files have codes to read."""
        return any(q.codes_header for q in self.questions)

    @property
    def identity_headers(self) -> list[str]:
        if self.is_anonymous:
            return []
        return ["Name", "Email"] if self.with_emails else ["Name"]

    @property
    def headers(self) -> list[str]:
        return [
            "Reference",
            "How it reached us",
            "Submitted on" if self.is_anonymous else "Submitted (UK time)",
            *self.identity_headers,
            "May quote",
            *(header for q in self.questions for header in q.headers),
        ]


def _head(question: Question, numbering) -> str:
    """How a question's CSV columns begin: as the survey numbers it ("1. How …", "3a How …",
    or the words alone)."""
    return question.numbered_prompt(numbering)


def _question_columns(question: Question, choices: list[tuple[str, str]], numbering):
    head = _head(question, numbering)
    kind = question.kind
    words = dict(choices)
    columns: list[tuple[str, Cell]] = []
    if kind is QuestionKind.MULTIPLE_CHOICE:
        for key, label in choices:
            columns.append(
                (
                    f"{head}: {label}",
                    lambda v, t, key=key: "Yes" if isinstance(v, list) and key in v else "",
                )
            )
    elif kind is QuestionKind.RANKING:
        for key, label in choices:
            columns.append(
                (
                    f"{head}: {label} (rank)",
                    lambda v, t, key=key: (
                        v.index(key) + 1 if isinstance(v, list) and key in v else ""
                    ),
                )
            )
    elif kind.is_choice:
        columns.append((head, lambda v, t: "" if v is None else words.get(str(v), str(v))))
    else:
        columns.append((head, lambda v, t: "" if v is None else v))
    if question.has_other and kind.can_have_other:
        columns.append((f"{head}: other (please specify)", lambda v, t: t or ""))
    return tuple(columns)


def plan_export(
    survey: Survey,
    questions: list[Question],
    *,
    with_emails: bool = False,
    sections: Sequence[Section] = (),
) -> ExportPlan:
    """Everything the export needs from the survey, read now (before the view commits). A
    question whose answers can hold free text (`coding.queries.has_free_text`) gets a codes
    column."""
    from forum.surveys.coding.queries import has_free_text

    numbering = survey.numbering
    coded = {q.id for q in questions if has_free_text(q)}
    plans = []
    for q in questions:
        choices = [(c["value"], c["label"]) for c in q.choices]
        plans.append(
            QuestionPlan(
                id=q.id,
                position=q.position,
                kind=q.kind.value,
                prompt=q.prompt,
                is_hidden=q.is_hidden,
                has_other=bool(q.has_other and q.kind.can_have_other),
                choices=tuple(choices),
                show_if_question_id=q.show_if_question_id,
                show_if_values=tuple(q.show_if_values or ()),
                columns=_question_columns(q, choices, numbering),
                number=q.number_in(numbering),
                section_id=q.section_id,
                codes_header=f"{_head(q, numbering)}: codes" if q.id in coded else None,
            )
        )
    consultation = survey.consultation
    return ExportPlan(
        survey_id=survey.id,
        is_anonymous=survey.is_anonymous,
        consultation_title=consultation.title,
        consultation_slug=consultation.slug,
        questions=tuple(plans),
        sections=tuple(
            {
                "key": f"s{s.id}",
                "number": s.number or None,
                "title": s.title,
                "intro": s.intro,
            }
            for s in sections
        ),
        with_emails=with_emails and not survey.is_anonymous,
    )


def filename(plan: ExportPlan, extension: str, today: date | None = None) -> str:
    today = today or utcnow().astimezone(LONDON).date()
    return f"{plan.consultation_slug}-responses-{today.isoformat()}.{extension}"
