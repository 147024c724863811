"""The one-page form's questions as someone with nothing saved sees them, made once per worker
for each version of the survey.

Most of the answer page's time went on rendering the questions with the GOV.UK macros (radios,
checkboxes, selects, each a generic macro called per option), and for everyone who has saved
nothing yet that HTML is the same: it depends only on the survey's questions and sections. So
it is kept in this process, keyed by a digest of every column of the survey's questions and
sections and of the survey's numbering, layout and version: any edit (also a bulk change of
positions, which moves no version) makes a new key, and an old copy is never shown. Nothing
about the person is in it: no answers, no error, no CSRF token or submission key (those are
outside the block, in the page).

Each worker keeps its own copies (`LIMIT` surveys at most, least recently used dropped); nothing
is shared between processes, so several app servers need nothing more.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence

from flask import render_template
from markupsafe import Markup
from sqlalchemy import inspect

from forum.surveys.models import Question, Section, Survey

#: surveys whose blank questions one worker keeps
LIMIT = 64
TEMPLATE = "surveys/answer/_questions.html"

_kept: OrderedDict[str, Markup] = OrderedDict()
_lock = threading.Lock()


def _columns(model) -> list[str]:
    return [attr.key for attr in inspect(model).column_attrs]


_QUESTION_COLUMNS = _columns(Question)
_SECTION_COLUMNS = _columns(Section)


def key_of(survey: Survey, questions: Sequence[Question], sections: Sequence[Section]) -> str:
    """A digest of everything the blank questions are made from."""
    parts: list[object] = [survey.id, survey.version, survey.numbering, survey.layout]
    parts += [tuple(getattr(q, c) for c in _QUESTION_COLUMNS) for q in questions]
    parts += [tuple(getattr(s, c) for c in _SECTION_COLUMNS) for s in sections]
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def blank_questions(
    survey: Survey,
    questions: Sequence[Question],
    sections: Sequence[Section],
    groups,
    by_id: dict,
) -> Markup:
    """The questions of `groups` (as `sectioned` gives them) with no answers and no errors."""
    key = key_of(survey, questions, sections)
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            return html
    made = render_template(TEMPLATE, groups=groups, by_id=by_id, given={}, errors={})
    html = Markup(made)  # noqa: S704 - an autoescaped template's output
    with _lock:
        _kept[key] = html
        while len(_kept) > LIMIT:
            _kept.popitem(last=False)
    return html


def forget() -> None:
    """Drop every kept copy (for tests)."""
    with _lock:
        _kept.clear()
