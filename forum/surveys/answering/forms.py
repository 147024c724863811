"""Reading what people sent: one question's answer from the form data, checked, or a page of
them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired

from forum.accounts.forms import email_address
from forum.surveys.answering.show_if import shown_questions
from forum.surveys.counting import check_text, limits_of
from forum.surveys.models import OTHER, Question, QuestionKind
from forum.web.forms import BaseForm, TextField
from forum.web.text import clean_text

#: what screen readers announce for the honeypot field (`AnswerForm.website`)
HONEYPOT_LABEL = "Leave this box empty. It is here to catch automated programs"

#: people may enter numbers within this, either side of zero (the builder's own limit)
NUMBER_LIMIT = 1_000_000_000

OTHER_MAX = 200


@dataclass
class Given:
    """One question's answer as sent: `value` (None when left blank), the "please specify" text,
    and a message when it could not be accepted. `raw` keeps what was typed, to show again."""

    value: object = None
    other: str = ""
    error: str | None = None
    raw: object = None

    @property
    def blank(self) -> bool:
        return self.value is None or self.value == [] or self.value == ""


def read_answer(question: Question, form: Mapping, *, required: bool | None = None) -> Given:
    """Read and check one question's answer from submitted form data (`q<id>` names).

    Blank answers to required questions are an error only when `required` is true (saving a
    draft, or typing in a paper form, leaves them blank without complaint).
    """
    name = f"q{question.id}"
    kind = question.kind
    given = _read(question, kind, name, form)
    if given.error is None and given.blank and required:
        given.error = _blank_message(question)
    return given


def _getlist(form: Mapping, name: str) -> list[str]:
    if hasattr(form, "getlist"):
        return form.getlist(name)
    value = form.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _read(question: Question, kind: QuestionKind, name: str, form: Mapping) -> Given:
    keys = [c["value"] for c in question.choices]
    if kind in (
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.YES_NO,
        QuestionKind.SCALE,
        QuestionKind.CONSENT,
    ):
        sent = [v for v in _getlist(form, name) if v != ""]
        other = clean_text(form.get(f"{name}-other"))
        if not sent:
            return Given(other=other)
        if len(sent) > 1 or sent[0] not in keys:
            return Given(error="Choose one of the answers listed", other=other)
        return _with_other(question, sent[0], sent, other)
    if kind is QuestionKind.MULTIPLE_CHOICE:
        sent = [v for v in _getlist(form, name) if v != ""]
        other = clean_text(form.get(f"{name}-other"))
        if any(v not in keys for v in sent):
            return Given(error="Choose from the answers listed", other=other, raw=sent)
        chosen = [k for k in keys if k in sent]
        return _with_other(question, chosen or None, chosen, other)
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        multiline = kind is QuestionKind.LONG_TEXT
        raw = form.get(name) or ""
        text = clean_text(raw, multiline=multiline)
        # The same count the page shows as people type (forum/surveys/counting.py).
        if error := check_text(text, limits_of(question)):
            return Given(error=error, raw=text)
        return Given(value=text or None, raw=text)
    if kind is QuestionKind.NUMBER:
        return _read_number(question, clean_text(form.get(name)))
    if kind is QuestionKind.DATE:
        return _read_date(name, form)
    if kind is QuestionKind.RANKING:
        return _read_ranking(question, name, form, keys)
    raise AssertionError(kind)  # pragma: no cover


def _with_other(question: Question, value, chosen: list[str], other: str) -> Given:
    if len(other) > OTHER_MAX:
        return Given(
            error=f"What you wrote for “Other” must be {OTHER_MAX} characters or fewer",
            other=other,
            raw=chosen,
        )
    if question.has_other and OTHER in chosen:
        if not other:
            return Given(error="You chose “Other”: say what you mean in the box", raw=chosen)
        return Given(value=value, other=other, raw=chosen)
    return Given(value=value, raw=chosen)


_NUMBER = re.compile(r"-?[0-9]+")


def _read_number(question: Question, text: str) -> Given:
    if not text:
        return Given()
    plain = text.replace(",", "").replace(" ", "").replace("\u2212", "-")
    if not _NUMBER.fullmatch(plain):
        return Given(error="Enter a whole number, like 3 or 12", raw=text)
    number = int(plain)
    low = question.min_value if question.min_value is not None else -NUMBER_LIMIT
    high = question.max_value if question.max_value is not None else NUMBER_LIMIT
    if number < low or number > high:
        return Given(error=f"Enter a whole number from {low:,} to {high:,}", raw=text)
    return Given(value=number, raw=text)


def _read_date(name: str, form: Mapping) -> Given:
    parts = [clean_text(form.get(f"{name}-{part}")) for part in ("day", "month", "year")]
    raw = "-".join(reversed(parts)) if any(parts) else None
    if not any(parts):
        return Given()
    if not all(parts):
        missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
        return Given(error=f"The date must include a {' and '.join(missing)}", raw=raw)
    if not all(p.isascii() and p.isdigit() for p in parts):
        return Given(error="Enter the date in numbers, like 27 3 2025", raw=raw)
    day, month, year = (int(p) for p in parts)
    if not 1900 <= year <= 2100:
        return Given(error="Enter a year with 4 numbers, like 2025", raw=raw)
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return Given(error="Enter a real date, like 27 3 2025", raw=raw)
    return Given(value=value.isoformat(), raw=value.isoformat())


def _read_ranking(question: Question, name: str, form: Mapping, keys: list[str]) -> Given:
    places = [clean_text(form.get(f"{name}-{n}")) for n in range(1, len(keys) + 1)]
    chosen = [p for p in places if p]
    if not chosen:
        return Given()
    if any(p not in keys for p in chosen):
        return Given(error="Choose from the options listed", raw=places)
    if len(set(chosen)) != len(chosen):
        return Given(error="Use each option once", raw=places)
    if len(chosen) != len(keys) or not all(places):
        return Given(error=f"Put all {len(keys)} options in order", raw=places)
    return Given(value=chosen, raw=chosen)


def _blank_message(question: Question) -> str:
    kind = question.kind
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return "Choose at least one answer"
    if kind.is_choice:
        return "Choose an answer"
    if kind is QuestionKind.NUMBER:
        return "Enter a number"
    if kind is QuestionKind.DATE:
        return "Enter a date"
    if kind is QuestionKind.RANKING:
        return "Put the options in order"
    return "Enter your answer"


def read_page(
    questions: list[Question],
    page: list[Question],
    form: Mapping,
    stored: Mapping[int, object],
    *,
    required: bool,
) -> tuple[dict[int, Given], list[Question]]:
    """Read the answers to the questions on one page.

    Returns what was sent for every question on the page and the page's questions that are
    shown given those answers and the stored ones: answers to the others are dropped, and
    only shown questions are required.
    """
    given = {q.id: read_answer(q, form) for q in page}
    values = dict(stored)
    for qid, g in given.items():
        values[qid] = g.value
    shown_ids = {q.id for q in shown_questions(questions, values)}
    shown = [q for q in page if q.id in shown_ids]
    for question in page:
        if question.id not in shown_ids:
            given[question.id] = Given()
    for question in shown:
        g = given[question.id]
        if required and g.error is None and g.blank and question.is_required:
            g.error = _blank_message(question)
    return given, shown


class AnswerForm(BaseForm):
    """The CSRF token and submission key; the questions' fields are read by `answering`.

    `website` is a honeypot: hidden from sight, skipped by the keyboard, and labelled so that
    screen reader users are told to leave it empty. Automated form-fillers fill it in; a
    response sent with it filled is kept but quarantined, and the sender is told nothing
    different."""

    website = StringField(HONEYPOT_LABEL)

    @property
    def is_honeypot_filled(self) -> bool:
        return bool((self.website.data or "").strip())


class ConfirmEmailForm(BaseForm):
    """The email address a response is confirmed from."""

    email = TextField(
        "Email address",
        description="We will send a link to it. Your response counts once you follow the link.",
        validators=[DataRequired("Enter your email address"), email_address],
    )


class ContactForm(BaseForm):
    """Correcting the address kept with a typed-in response (`contacts.change_contact` checks
    it with the same rules as when it was typed in)."""

    email = TextField("Their email address")
    agreed = BooleanField("They agreed to be told what happened to their feedback")
