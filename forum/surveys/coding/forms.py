"""What the organiser sends: a code's name, and the coding list's search, filter and cursor."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import HiddenField
from wtforms.validators import DataRequired

from forum.surveys.coding.queries import UNCODED, AnswerFilter, CodeCount
from forum.surveys.coding.services import CODE_NAME_MAX
from forum.web.forms import BaseForm, MaxLength, TextField
from forum.web.text import clean_text

#: the longest search term kept from the address
SEARCH_MAX = 100


def parse_filter(args, codes: Iterable[CodeCount]) -> AnswerFilter:
    """Read `?q=` and `?code=` from the address; anything unknown is ignored, never an error."""
    search = clean_text(args.get("q", ""))[:SEARCH_MAX]
    raw = args.get("code", "")
    code: int | str | None = None
    if raw == UNCODED:
        code = UNCODED
    elif raw.isdigit() and int(raw) in {c.id for c in codes}:
        code = int(raw)
    return AnswerFilter(search=search, code=code)


def parse_after(args) -> int | None:
    """The keyset cursor `?after=<answer id>`: a positive whole number, or None."""
    raw = args.get("after", "")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 19 else None


class CodeForm(BaseForm):
    name = TextField(
        "Add a code",
        validators=[
            DataRequired("Enter a code, for example “waiting times”"),
            MaxLength(CODE_NAME_MAX, "A code"),
        ],
    )
    #: the page to go back to without JavaScript (checked with `safe_next`)
    next = HiddenField()
