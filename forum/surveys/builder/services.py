"""Building surveys: settings, questions, order, show-if conditions, copies and the bank.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. A broken rule raises `SurveyError`, whose message is safe to show. The rules that
keep answers joined to what was asked:

- once anyone has started a response, no question can be deleted or change kind, no option
  can be removed (wording can change, options can be added) and the survey cannot switch
  between anonymous and named; "hide from new respondents" is the way out;
- a show-if condition points at an earlier choice question of the same survey and names some
  of its answers; nothing may move, change or go away in a way that breaks one;
- positions are 1 to n with no gaps;
- a section's questions stay together, and sections are in the order of their questions
  (`Section`): every change that moves a question or a section goes through `regroup`.

Changes to a survey's questions lock its row first, so on PostgreSQL two organisers editing
at once queue rather than interleave (SQLite writes are serialised already).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from forum.audit.services import record
from forum.consultations.models import Consultation
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.builder.bank import BANK
from forum.surveys.models import (
    CONSENT_PROMPT,
    LONG_TEXT_MAX,
    OTHER,
    Numbering,
    Question,
    QuestionKind,
    Section,
    Survey,
    SurveyLayout,
)
from forum.surveys.queries import get_survey, has_responses, questions_of, sections_of

PROMPT_MAX = 300
#: the organiser's own number of a question or section ("1.", "3a", "Chapter 2")
NUMBER_MAX = 16
HINT_MAX = 500
INTRO_MAX = 2000
OPTION_MAX = 200
SCALE_LABEL_MAX = 60
MAX_OPTIONS = 30
MAX_RANKED = 10
#: numbers people may enter are kept within this, either side of zero
NUMBER_LIMIT = 1_000_000_000
LONG_TEXT_LIMITS = (10, 10_000)
#: the fewest and most words an organiser may allow in a written answer
WORD_LIMITS = (1, 2_000)
#: far more than anyone should ask; it keeps one survey from growing without bound
MAX_QUESTIONS = 100

ANSWERED = "People have already responded to this survey"


class SurveyError(Refused):
    """A survey rule was broken; the message is safe to show. `field` names the form field it
    is about, when there is one."""


@dataclass
class QuestionSpec:
    """Everything an organiser sets on a question. `options` are (key, label) pairs: the key of
    an existing option, or None for a new one."""

    kind: QuestionKind
    prompt: str
    hint: str = ""
    is_required: bool = True
    options: Sequence[tuple[str | None, str]] = ()
    has_other: bool = False
    scale_low_label: str = ""
    scale_high_label: str = ""
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    #: short and long text: the most words ("up to 250 words"); None for no word limit
    max_words: int | None = None
    show_if_question: Question | None = None
    show_if_values: Sequence[str] = field(default_factory=tuple)
    #: the section (chapter) it belongs to; None: before the first section
    section: Section | None = None
    #: the organiser's own number ("1.", "3a"), used when the survey has `Numbering.OWN`;
    #: None keeps the question's number as it is
    number: str | None = None


def spec_of(question: Question) -> QuestionSpec:
    """The spec that describes a question as it is (what a copy starts from)."""
    return QuestionSpec(
        kind=question.kind,
        prompt=question.prompt,
        hint=question.hint,
        is_required=question.is_required,
        options=[(o["value"], o["label"]) for o in question.options or []],
        has_other=question.has_other,
        scale_low_label=question.scale_low_label,
        scale_high_label=question.scale_high_label,
        min_value=question.min_value,
        max_value=question.max_value,
        max_length=question.max_length,
        max_words=question.max_words,
        show_if_question=question.show_if_question,
        show_if_values=tuple(question.show_if_values or ()),
        section=question.section,
        number=question.number,
    )


# --- the survey and its settings -----------------------------------------------------------


def create_survey(
    consultation: Consultation,
    *,
    is_anonymous: bool = False,
    layout: SurveyLayout = SurveyLayout.ONE_PAGE,
    allow_edit_after_submit: bool = False,
    intro: str = "",
    requires_confirmed_email: bool = False,
    shares_answers_with_partners: bool = False,
    numbering: Numbering | None = None,
    actor,
) -> Survey:
    """The consultation's survey, with no questions yet. A consultation has at most one."""
    if get_survey(consultation) is not None:
        raise SurveyError("This consultation already has a survey")
    _check_intro(intro)
    survey = Survey(
        consultation_id=consultation.id,
        consultation=consultation,
        area_id=consultation.area_id,
        is_anonymous=is_anonymous,
        layout=layout,
        allow_edit_after_submit=allow_edit_after_submit,
        intro=intro,
        requires_confirmed_email=requires_confirmed_email,
        shares_answers_with_partners=shares_answers_with_partners,
        numbering=numbering or Numbering.AUTOMATIC,
    )
    db.session.add(survey)
    db.session.flush()
    record(
        "survey.created",
        survey,
        actor=actor,
        area=consultation.area,
        consultation_id=consultation.id,
    )
    return survey


def update_settings(
    survey: Survey,
    *,
    is_anonymous: bool,
    layout: SurveyLayout,
    allow_edit_after_submit: bool,
    intro: str,
    requires_confirmed_email: bool | None = None,
    shares_answers_with_partners: bool | None = None,
    numbering: Numbering | None = None,
    actor,
) -> list[str]:
    """Change the settings; returns the names of those that changed. Anonymity is fixed once
    anyone has responded: people answered on the promise the survey made them."""
    _check_intro(intro)
    if is_anonymous != survey.is_anonymous and has_responses(survey):
        raise SurveyError(
            f"{ANSWERED}, so it cannot change between anonymous and named. People answered "
            "on the promise the survey made them",
            field="is_anonymous",
        )
    wanted = {
        "is_anonymous": is_anonymous,
        "layout": layout,
        "allow_edit_after_submit": allow_edit_after_submit,
        "intro": intro,
    }
    # Left out (None): unchanged.
    if requires_confirmed_email is not None:
        wanted["requires_confirmed_email"] = requires_confirmed_email
    if shares_answers_with_partners is not None:
        wanted["shares_answers_with_partners"] = shares_answers_with_partners
    if numbering is not None:
        wanted["numbering"] = numbering
    changed = [name for name, value in wanted.items() if getattr(survey, name) != value]
    for name in changed:
        setattr(survey, name, wanted[name])
    if changed:
        survey.updated_at = utcnow()
        db.session.flush()
        record(
            "survey.settings_changed",
            survey,
            actor=actor,
            area=survey.consultation.area,
            changed=changed,
        )
    return changed


def _check_intro(intro: str) -> None:
    if len(intro) > INTRO_MAX:
        raise SurveyError(
            f"The introduction must be {INTRO_MAX:,} characters or fewer", field="intro"
        )


# --- questions -----------------------------------------------------------------------------


def add_question(
    survey: Survey, spec: QuestionSpec, *, actor, bank_key: str | None = None
) -> Question:
    """A new question at the end of the survey."""
    questions = _locked_questions(survey)
    if len(questions) >= MAX_QUESTIONS:
        raise SurveyError(f"A survey can have at most {MAX_QUESTIONS} questions")
    position = len(questions) + 1
    question = Question(survey=survey, area_id=survey.area_id, position=position)
    _apply(question, spec, questions=questions, position=position, answered=False, new=True)
    question.bank_key = bank_key
    db.session.add(question)
    _touch(survey)
    db.session.flush()
    # Added at the end of its section, which may be before later sections' questions.
    regroup(survey, [*questions, question])
    _record(
        "question.added",
        question,
        actor=actor,
        kind=question.kind.value,
        position=question.position,
        **({"bank_key": bank_key} if bank_key else {}),
    )
    return question


def check_spec(question: Question, spec: QuestionSpec, *, questions: list[Question]) -> None:
    """Check a new question's spec against every rule of `add_question` without adding it
    (`question` is a transient that only takes the checked values): an import checks all its
    rows before adding any. `questions` are the survey's, and the import's rows so far."""
    _apply(
        question, spec, questions=questions, position=len(questions) + 1, answered=False, new=True
    )


def update_question(question: Question, spec: QuestionSpec, *, actor) -> Question:
    """Change a question. Once anyone has responded, its kind is fixed and none of its option
    keys may go (their labels may change, and new options may be added)."""
    survey = question.survey
    questions = _locked_questions(survey)
    answered = has_responses(survey)
    old_kind = question.kind
    if spec.kind is not old_kind and answered:
        raise SurveyError(
            f"{ANSWERED}, so this question cannot change to a different kind. Hide it from "
            "new respondents and add a new question instead"
        )
    old_section = question.section_id
    _apply(question, spec, questions=questions, position=question.position, answered=answered)
    if question.kind is not old_kind:
        # A question of another kind no longer compares with the bank's.
        question.bank_key = None
    _touch(survey)
    db.session.flush()
    if question.section_id != old_section:
        # Into another section: it goes to that section's end (`regroup`).
        question.position = len(questions) + 1
        regroup(survey, questions)
    _record(
        "question.changed",
        question,
        actor=actor,
        kind=question.kind.value,
        **({"old_kind": old_kind.value} if old_kind is not question.kind else {}),
    )
    return question


def _apply(
    question: Question,
    spec: QuestionSpec,
    *,
    questions: list[Question],
    position: int,
    answered: bool,
    new: bool = False,
) -> None:
    """Check `spec` against the rules, then copy it onto `question` (new or existing). The
    checks run in the order of the form, so the first mistake named is the highest one."""
    kind = spec.kind
    prompt = _checked_words(question, spec, questions=questions)
    options = _options(question, spec, answered=answered, new=new)
    has_other = _checked_other(question, spec, answered=answered)
    low, high = _checked_scale(spec)
    min_value, max_value = _checked_numbers(spec)
    max_length = _checked_length(spec)
    max_words = _checked_word_limit(spec)
    source, values = _show_if(question, spec, questions=questions, position=position)
    number = (
        (question.number or "")
        if spec.number is None
        else _checked_number(spec.number, field="number")
    )
    section = spec.section
    if section is not None and section.survey_id != question.survey.id:
        raise SurveyError("Choose one of this survey's sections", field="section")
    # Later questions shown only for some answers to this one must still find them.
    _check_dependants(
        question,
        questions,
        Question(
            kind=kind,
            options=options,
            has_other=has_other,
            scale_low_label=low,
            scale_high_label=high,
        ),
    )

    question.kind = kind
    question.prompt = prompt
    question.hint = spec.hint.strip()
    question.is_required = spec.is_required
    question.options = options
    question.has_other = has_other
    question.scale_low_label = low if kind is QuestionKind.SCALE else ""
    question.scale_high_label = high if kind is QuestionKind.SCALE else ""
    question.min_value = min_value
    question.max_value = max_value
    question.max_length = max_length
    question.max_words = max_words
    question.show_if_question = source
    question.show_if_values = values
    question.number = number
    question.section = section


def _checked_number(number: str, *, field: str) -> str:
    """An organiser's own number of a question or section, trimmed."""
    number = " ".join((number or "").split())
    if len(number) > NUMBER_MAX:
        raise SurveyError(f"The number must be {NUMBER_MAX} characters or fewer", field=field)
    return number


def _checked_words(question: Question, spec: QuestionSpec, *, questions: list[Question]) -> str:
    """The question's words and hint are within their limits, and a survey asks for consent
    to quote at most once; returns the words, trimmed."""
    prompt = spec.prompt.strip()
    if not prompt:
        raise SurveyError("Enter the question", field="prompt")
    if len(prompt) > PROMPT_MAX:
        raise SurveyError(f"The question must be {PROMPT_MAX} characters or fewer", field="prompt")
    if len(spec.hint) > HINT_MAX:
        raise SurveyError(f"The hint must be {HINT_MAX} characters or fewer", field="hint")
    if spec.kind is QuestionKind.CONSENT and any(
        q.kind is QuestionKind.CONSENT and q is not question for q in questions
    ):
        raise SurveyError(
            "The survey already asks for consent to quote. It needs only one", field="prompt"
        )
    return prompt


def _checked_other(question: Question, spec: QuestionSpec, *, answered: bool) -> bool:
    """Whether the question offers "Other"; once answered, it cannot stop offering it."""
    has_other = spec.has_other and spec.kind.can_have_other
    if question.has_other and not has_other and answered and question.kind.can_have_other:
        raise SurveyError(
            f"{ANSWERED}, so “Other” cannot be taken away. You can hide the question from "
            "new respondents instead",
            field="has_other",
        )
    return has_other


def _checked_scale(spec: QuestionSpec) -> tuple[str, str]:
    """The words at each end of a scale (required for a scale question), trimmed."""
    low, high = spec.scale_low_label.strip(), spec.scale_high_label.strip()
    if spec.kind is QuestionKind.SCALE:
        if not (low and high):
            raise SurveyError("Enter the words for both ends of the scale", field="scale_low_label")
        if max(len(low), len(high)) > SCALE_LABEL_MAX:
            raise SurveyError(
                f"The words at each end of the scale must be {SCALE_LABEL_MAX} characters or fewer",
                field="scale_low_label",
            )
    return low, high


def _checked_numbers(spec: QuestionSpec) -> tuple[int | None, int | None]:
    """A number question's lowest and highest allowed answers (either may be None)."""
    if spec.kind is not QuestionKind.NUMBER:
        return None, None
    min_value, max_value = spec.min_value, spec.max_value
    for value in (min_value, max_value):
        if value is not None and abs(value) > NUMBER_LIMIT:
            raise SurveyError(
                f"The lowest and highest numbers must be between -{NUMBER_LIMIT:,} and "
                f"{NUMBER_LIMIT:,}",
                field="min_value",
            )
    if min_value is not None and max_value is not None and min_value > max_value:
        raise SurveyError("The lowest number must not be more than the highest", field="max_value")
    return min_value, max_value


def _checked_length(spec: QuestionSpec) -> int | None:
    """A long-text question's most characters (the default when neither it nor a word limit is
    given: with a word limit alone, None); None for other kinds."""
    if spec.kind is not QuestionKind.LONG_TEXT:
        return None
    if spec.max_length is None and spec.max_words is not None:
        return None
    max_length = LONG_TEXT_MAX if spec.max_length is None else spec.max_length
    low_limit, high_limit = LONG_TEXT_LIMITS
    if not low_limit <= max_length <= high_limit:
        raise SurveyError(
            f"The most characters must be between {low_limit} and {high_limit:,}",
            field="max_length",
        )
    return max_length


def _checked_word_limit(spec: QuestionSpec) -> int | None:
    """A written question's most words, if any; None for other kinds."""
    if spec.kind not in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return None
    if spec.max_words is None:
        return None
    low, high = WORD_LIMITS
    if not low <= spec.max_words <= high:
        raise SurveyError(f"The most words must be between {low} and {high:,}", field="max_words")
    return spec.max_words


def _options(question: Question, spec: QuestionSpec, *, answered: bool, new: bool) -> list[dict]:
    """The options with their keys. A new question may bring its own keys (the bank's, or the
    original's when copying, so answers stay comparable); an existing one keeps its keys and
    gets new ones made for new options."""
    existing = {o["value"]: o["label"] for o in question.options or []}
    if not spec.kind.has_options:
        # A question only loses its options by changing kind, which answers already forbid.
        return []
    wanted: list[tuple[str | None, str]] = []
    seen: set[str] = set()
    for key, label in spec.options:
        label = " ".join((label or "").split())
        if not label:
            continue
        if len(label) > OPTION_MAX:
            raise SurveyError(
                f"Each option must be {OPTION_MAX} characters or fewer", field="options"
            )
        if label.casefold() in seen:
            raise SurveyError(
                f"Each option must be different: “{label}” is there twice", field="options"
            )
        if key is not None and not (key in existing or (new and _KEY.match(key))):
            raise SurveyError(
                "One of the options was removed meanwhile. Reload the page", field="options"
            )
        seen.add(label.casefold())
        wanted.append((key, label))
    limit = MAX_RANKED if spec.kind is QuestionKind.RANKING else MAX_OPTIONS
    if len(wanted) < 2:
        raise SurveyError("Give at least 2 options", field="options")
    if len(wanted) > limit:
        raise SurveyError(f"Give at most {limit} options", field="options")
    removed = set(existing) - {key for key, _ in wanted}
    if removed and answered:
        names = ", ".join(f"“{existing[k]}”" for k in existing if k in removed)
        raise SurveyError(
            f"{ANSWERED}, so options cannot be removed ({names}). You can change their "
            "wording, or hide the question from new respondents",
            field="options",
        )
    taken = set(existing) | {OTHER} | {key for key, _ in wanted if key}
    if len([key for key, _ in wanted if key]) != len({key for key, _ in wanted if key}):
        raise SurveyError("Each option must be different", field="options")
    options = []
    for key, label in wanted:
        if key is None:
            key = _new_key(label, taken)
            taken.add(key)
        options.append({"value": key, "label": label})
    return options


_KEY = re.compile(r"^(?!other$)[a-z0-9_]{1,40}$")


def _new_key(label: str, taken: set[str]) -> str:
    """A short readable key made once from the first label, e.g. "special_school"."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:32].strip("_") or "option"
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    return key


def _show_if(
    question: Question, spec: QuestionSpec, *, questions: list[Question], position: int
) -> tuple[Question | None, list[str]]:
    source = spec.show_if_question
    if source is None:
        return None, []
    if source is question or source.survey_id != question.survey.id:
        raise SurveyError(
            "A question can only depend on an earlier question of this survey", field="show_if"
        )
    if source.position >= position:
        raise SurveyError(
            f"A question can only depend on an earlier question; {_name(source)} comes after it",
            field="show_if",
        )
    if not source.kind.is_choice:
        raise SurveyError(
            "A question can only depend on a question with fixed answers to choose from",
            field="show_if",
        )
    keys = [c["value"] for c in source.choices]
    chosen = set(spec.show_if_values)
    if not chosen:
        raise SurveyError(f"Choose which answers to {_name(source)} show this one", field="show_if")
    if chosen - set(keys):
        raise SurveyError(f"Those are not all answers to {_name(source)}", field="show_if")
    return source, [k for k in keys if k in chosen]


def _check_dependants(question: Question, questions: list[Question], changed: Question) -> None:
    """`changed` is a transient copy of `question` as it is about to become."""
    keys = {c["value"] for c in changed.choices} if changed.kind.is_choice else set()
    for other in questions:
        if question.id is None or other.show_if_question_id != question.id:
            continue
        if set(other.show_if_values) - keys:
            raise SurveyError(
                f"{_name(other, start=True)} is shown only for some answers to this question. "
                "Change that question's condition first"
            )


def move_question(question: Question, direction: int, *, actor) -> int:
    """Move one step up (direction -1) or down (+1); returns the new position. Within a section
    it swaps with its neighbour; the first question of a section moving up goes to the end of
    the section before (or before the first section), and the last one moving down goes to the
    start of the next section, so a question can reach every section, empty ones too. A
    question never moves above the question its show-if depends on."""
    survey = question.survey
    questions = _locked_questions(survey)
    groups: list[Section | None] = [None, *sections_of(survey)]
    group_ids = [g.id if g else None for g in groups]
    index = questions.index(question)
    other_index = index + direction
    group = group_ids.index(question.section_id) if question.section_id in group_ids else 0
    neighbour = questions[other_index] if 0 <= other_index < len(questions) else None
    if direction in (-1, 1) and (neighbour is None or neighbour.section_id != question.section_id):
        # At the edge of its section: into the next section that way, if there is one.
        target = group + direction
        if 0 <= target < len(groups):
            old = question.position
            question.section = groups[target]
            _touch(survey)
            db.session.flush()
            regroup(survey, questions)
            _record(
                "question.moved",
                question,
                actor=actor,
                old_position=old,
                position=question.position,
                section_id=question.section_id,
            )
            return question.position
    if direction not in (-1, 1) or neighbour is None:
        where = "first" if direction < 0 else "last"
        raise SurveyError(f"{_name(question, start=True)} is already the {where} question")
    other = neighbour
    upper, lower = (other, question) if direction < 0 else (question, other)
    if lower.show_if_question_id == upper.id:
        raise SurveyError(
            f"{_name(lower, start=True)} is shown only for some answers to {_name(upper)}, "
            "so it must stay after it"
        )
    old = question.position
    question.position, other.position = other.position, question.position
    _touch(survey)
    db.session.flush()
    _record(
        "question.moved",
        question,
        actor=actor,
        old_position=old,
        position=question.position,
    )
    return question.position


def move_question_to(question: Question, position: int, *, actor) -> int:
    """Move a question to `position` (1 to n), the others closing up around it; returns the
    new position. Refused when a question would come before the question its show-if depends
    on, or when it would take a question out of its section (a section's questions stay
    together: change the question's section to move it to another)."""
    survey = question.survey
    questions = _locked_questions(survey)
    if not 1 <= position <= len(questions):
        raise SurveyError(
            f"Enter a position from 1 to {len(questions)} for {_name(question)}",
            field="position",
        )
    old = question.position
    if position == old:
        return old
    order = [q for q in questions if q is not question]
    order.insert(position - 1, question)
    at = {q.id: index for index, q in enumerate(order)}
    for q in order:
        source = q.show_if_question_id
        if source is not None and at[source] > at[q.id]:
            upper = next(x for x in questions if x.id == source)
            raise SurveyError(
                f"{_name(q, start=True)} is shown only for some answers to {_name(upper)}, "
                "so it must stay after it"
            )
    if not _sections_together(order):
        same = [q.position for q in questions if q.section_id == question.section_id]
        where = (
            f"in the section “{question.section.title}”"
            if question.section
            else "before the sections"
        )
        raise SurveyError(
            f"{_name(question, start=True)} is {where}, so it can move to positions {min(same)} to "
            f"{max(same)}. To move it to another section, change its section first",
            field="position",
        )
    _renumber(order)
    _touch(survey)
    db.session.flush()
    _record("question.moved", question, actor=actor, old_position=old, position=position)
    return position


def _sections_together(order: list[Question]) -> bool:
    """Each section's questions in one run, and questions without a section only before the
    first section."""
    seen: set[int | None] = set()
    previous: object = object()
    for q in order:
        if q.section_id != previous:
            if q.section_id in seen or (q.section_id is None and seen):
                return False
            seen.add(q.section_id)
            previous = q.section_id
    return True


def delete_question(question: Question, *, actor) -> None:
    """Only before anyone has responded; later questions close the gap."""
    survey = question.survey
    questions = _locked_questions(survey)
    if has_responses(survey):
        raise SurveyError(
            f"{ANSWERED}, so questions cannot be deleted. Hide it from new respondents instead"
        )
    for other in questions:
        if other.show_if_question_id == question.id:
            raise SurveyError(
                f"{_name(other, start=True)} is shown only for some answers to this question. "
                "Change or remove that condition first"
            )
    _record(
        "question.deleted",
        question,
        actor=actor,
        kind=question.kind.value,
        position=question.position,
    )
    db.session.delete(question)
    db.session.flush()
    regroup(survey, [q for q in questions if q is not question])
    _touch(survey)
    db.session.flush()


def set_hidden(question: Question, hidden: bool, *, actor) -> bool:
    """Hide from new respondents, or show again; answers already given are kept either way.
    Returns False when it was already so (a repeated click)."""
    if question.is_hidden == hidden:
        return False
    question.is_hidden = hidden
    _touch(question.survey)
    db.session.flush()
    _record(
        "question.hidden" if hidden else "question.shown",
        question,
        actor=actor,
    )
    return True


# --- copies and the bank -------------------------------------------------------------------


def copy_survey(source: Survey, consultation: Consultation, *, actor) -> Survey:
    """Copy another consultation's survey of the same area into this consultation: settings and
    every question (hidden ones stay hidden), with new ids and show-if conditions pointing at
    the copies. Only into a consultation whose survey has no questions yet."""
    if source.area_id != consultation.area_id:
        raise SurveyError("A survey can only be copied from a consultation of the same forum")
    if source.consultation_id == consultation.id:
        raise SurveyError("Choose a different consultation to copy from")
    settings: dict[str, Any] = {
        "is_anonymous": source.is_anonymous,
        "layout": source.layout,
        "allow_edit_after_submit": source.allow_edit_after_submit,
        "intro": source.intro,
        "numbering": source.numbering,
    }
    target = get_survey(consultation)
    if target is None:
        target = create_survey(consultation, **settings, actor=actor)
    else:
        if questions_of(target):
            raise SurveyError(
                "This survey already has questions. A survey can only be copied into an empty one"
            )
        update_settings(target, **settings, actor=actor)
    section_copies: dict[int, Section] = {}
    for section in sections_of(source):
        section_copies[section.id] = Section(
            survey=target,
            area_id=target.area_id,
            position=section.position,
            number=section.number,
            title=section.title,
            intro=section.intro,
        )
        db.session.add(section_copies[section.id])
    db.session.flush()
    copies: dict[int, Question] = {}
    for original in questions_of(source):
        spec = replace(
            spec_of(original),
            section=section_copies.get(original.section_id) if original.section_id else None,
        )
        if original.show_if_question_id is not None:
            spec = replace(spec, show_if_question=copies[original.show_if_question_id])
        copy = add_question(target, spec, actor=actor, bank_key=original.bank_key)
        copy.is_hidden = original.is_hidden
        copies[original.id] = copy
    db.session.flush()
    record(
        "survey.copied",
        target,
        actor=actor,
        area=consultation.area,
        source_survey_id=source.id,
        questions=len(copies),
    )
    return target


def add_from_bank(survey: Survey, key: str, *, actor) -> Question:
    """One of the standard SEND questions, with its stable option keys."""
    bank = BANK.get(key)
    if bank is None:
        raise SurveyError("There is no standard question of that name")
    if any(q.bank_key == key for q in questions_of(survey)):
        raise SurveyError(f"The survey already has the standard question “{bank.title}”")
    sections = sections_of(survey)
    spec = QuestionSpec(
        kind=bank.kind,
        prompt=bank.prompt,
        hint=bank.hint,
        is_required=True,
        # The bank's keys, not ones made from the labels: they are what compares year on year.
        options=bank.options,
        has_other=bank.has_other,
        scale_low_label=bank.scale_low_label,
        scale_high_label=bank.scale_high_label,
        # Like a new question of the form: at the end, in the last section.
        section=sections[-1] if sections else None,
    )
    return add_question(survey, spec, actor=actor, bank_key=key)


def consent_spec() -> QuestionSpec:
    """What a new consent question starts with."""
    return QuestionSpec(kind=QuestionKind.CONSENT, prompt=CONSENT_PROMPT)


# --- helpers -------------------------------------------------------------------------------


def _locked_questions(survey: Survey) -> list[Question]:
    db.session.execute(select(Survey.id).where(Survey.id == survey.id).with_for_update())
    questions = questions_of(survey)
    _renumber(questions)
    return questions


def _renumber(questions: list[Question]) -> None:
    for number, question in enumerate(questions, start=1):
        if question.position != number:
            question.position = number


def regroup(
    survey: Survey, questions: list[Question], sections: list[Section] | None = None
) -> None:
    """Put the survey back in order after any change to its questions or sections: the one
    place that keeps the rule on `Section`. Questions without a section come first, then each
    section's questions together, sections in their order (`Section.position`), questions
    keeping their order within each; positions of both become 1 to n with no gaps.

    Refuses (before changing anything) when the new order would put a question before the
    question its show-if depends on. `questions` are all of the survey's questions, each
    already given its section; `sections` all its sections, in their wanted order (read from
    the database when not given)."""
    db.session.flush()
    if sections is None:
        sections = sections_of(survey)
    rank = {section.id: number for number, section in enumerate(sections, start=1)}
    ordered = sorted(
        questions, key=lambda q: (rank.get(q.section_id, 0) if q.section_id else 0, q.position)
    )
    place = {q.id: number for number, q in enumerate(ordered)}
    for q in ordered:
        source = q.show_if_question_id
        if source is not None and source in place and place[source] > place[q.id]:
            before = next(o for o in ordered if o.id == source)
            raise SurveyError(
                f"{_name(q, start=True)} is shown only for some answers to {_name(before)}, so "
                "it must stay after it. Change that condition first"
            )
    for number, section in enumerate(sections, start=1):
        if section.position != number:
            section.position = number
    _renumber(ordered)
    db.session.flush()


def _name(question: Question, *, start: bool = False) -> str:
    """How messages name a question: by the survey's numbering."""
    return question.name_in(question.survey.numbering, start=start)


def _touch(survey: Survey) -> None:
    survey.updated_at = utcnow()


def _record(action: str, question: Question, *, actor, **detail) -> None:
    survey = question.survey
    record(
        action, question, actor=actor, area=survey.consultation.area, survey_id=survey.id, **detail
    )
