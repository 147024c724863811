"""The grant monitoring return: the figures a forum's national funder asks for each year, in
the funder's order, from one data file (`grant_return.toml` beside this module, or the file
the setting `GRANT_RETURN_FILE` names). Each field is the funder's question and either the
name of a figure of the annual report (`reports.figures`) or words the organisers type in.

The file is checked whole when it is read: a field naming a figure the report does not have,
a missing question, or a key used twice is a `GrantReturnError` that says which field, so a
mistake in an adjusted copy is found at once rather than on the organisers' page.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

#: the file this package ships, used when no other is configured
DEFAULT_FILE = Path(__file__).with_name("grant_return.toml")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: names every form already has (forum/web/forms.py BaseForm), so no field may take them
_RESERVED = frozenset({"csrf_token", "submission_key", "row_version", "meta"})

#: every figure name a field may ask for (the names `figures.year_of` gives), kept here so
#: a file can be checked without reading any data
FIGURE_NAMES = frozenset(
    {
        "members",
        "respondents",
        "feedback_items",
        "heard_online",
        "heard_paper",
        "heard_phone",
        "heard_event",
        "heard_came",
        "heard_total",
        "reach_families",
        "reach_children",
        "consultations_opened",
        "consultations_closed",
        "themes",
        "themes_answered",
        "decisions",
        "decisions_adopted",
        "decisions_partly_adopted",
        "decisions_not_adopted",
        "decisions_under_consideration",
        "take_up_percent",
        "examples_of_impact",
        "commitments_delivered",
        "commitments_in_progress",
        "commitments_not_started",
        "commitments_dropped",
        "responses_on_time",
        "responses_late",
        "responses_overdue",
        "responses_waiting",
        "median_days_to_respond",
        "decisions_disputed",
        "events_held",
        "event_attendance",
        "meetings_attended",
        "actions_agreed",
        "actions_done",
        "partners_worked_with",
    }
)


class GrantReturnError(ValueError):
    """The grant return's file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Field:
    key: str
    question: str
    #: the figure it is answered with; None for words the organisers type
    figure: str | None
    hint: str = ""

    @property
    def is_words(self) -> bool:
        return self.figure is None


@dataclass(frozen=True)
class Form:
    title: str
    funder: str
    fields: tuple[Field, ...]

    @property
    def word_fields(self) -> list[Field]:
        return [f for f in self.fields if f.is_words]


def parse(text: str, *, source: str = "the grant return file") -> Form:
    """The form described by `text` (TOML), checked whole."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GrantReturnError(f"{source} is not valid TOML: {exc}") from None
    raw = data.get("field")
    if not isinstance(raw, list) or not raw:
        raise GrantReturnError(f"{source} has no [[field]] entries")
    fields: list[Field] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        where = f"{source}, field {number}"
        if not isinstance(entry, dict):
            raise GrantReturnError(f"{where} is not a table")
        key = entry.get("key")
        if not isinstance(key, str) or not _KEY.match(key) or key in _RESERVED:
            raise GrantReturnError(
                f"{where}: key must be lower-case letters, digits and underscores, and not one "
                "of csrf_token, submission_key, row_version or meta"
            )
        where = f"{source}, field {number} ({key})"
        if key in seen:
            raise GrantReturnError(f"{where}: the key is used twice")
        seen.add(key)
        question = entry.get("question")
        if not isinstance(question, str) or not question.strip():
            raise GrantReturnError(f"{where}: give the funder's question")
        figure, words = entry.get("figure"), entry.get("words", False)
        if (figure is None) == (words is not True):
            raise GrantReturnError(f"{where}: give either a figure or words = true, not both")
        if figure is not None and figure not in FIGURE_NAMES:
            raise GrantReturnError(
                f"{where}: there is no figure called “{figure}” (docs/reports.md lists them)"
            )
        hint = entry.get("hint", "")
        if not isinstance(hint, str):
            raise GrantReturnError(f"{where}: the hint must be text")
        fields.append(Field(key, question.strip(), figure, hint.strip()))
    title = data.get("title", "Grant monitoring return")
    funder = data.get("funder", "")
    if not isinstance(title, str) or not isinstance(funder, str):
        raise GrantReturnError(f"{source}: title and funder must be text")
    return Form(title, funder, tuple(fields))


def load(path: str | Path | None = None) -> Form:
    """The form from `path`, or from the configured file, or the one this package ships."""
    if path is None:
        path = current_app.config.get("GRANT_RETURN_FILE") or DEFAULT_FILE
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GrantReturnError(f"The grant return file {path} cannot be read: {exc}") from None
    return parse(text, source=str(path.name))


@dataclass(frozen=True)
class Answer:
    field: Field
    #: the figure's words, or the organisers' typed answer ("" when not written yet)
    answer: str
    #: the figure's published number, for the CSV (None for words and withheld figures)
    value: int | float | None
    url: str


def answers(form: Form, year, words: dict[str, str]) -> list[Answer]:
    """Each field of the form answered from the year's figures or the organisers' words."""
    out = []
    for f in form.fields:
        if f.figure is None:
            out.append(Answer(f, words.get(f.key, ""), None, ""))
            continue
        figure = year.figures.get(f.figure)
        if figure is None:  # a figure this area does not show (reach not published)
            out.append(Answer(f, "not published by the forum", None, ""))
            continue
        out.append(Answer(f, figure.shown, figure.value, figure.url))
    return out
