"""Stale edits: a save over someone else's newer change is caught, not silently lost.

Each row an edit form changes has an integer `version`. Most tables make it SQLAlchemy's
`version_id_col`, so every change to the row through the ORM moves it on, whoever made it
(see `versioned()`); a table that changes for reasons nobody edits (a person's account is
touched at every sign-in) keeps a plain column that `saved()` moves on after an edit form.

The edit page carries the version it was filled from in the hidden `row_version` field
(`carry`). On POST, `check` compares it with the row as it is now: when they differ, the form
is shown again with what the person typed still in it, a message saying someone else changed
the thing, and the other person's saved values beside theirs (`BaseForm.theirs`, shown by the
error summary in templates/components/forms.html). The field then carries the new version, so
saving again keeps what the person now has in the form. A POST without the field (an older
page, a script) is accepted as before; a value that is not a whole number is said as an error,
never a 500.
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime

from sqlalchemy import inspect
from wtforms import FileField, HiddenField, PasswordField, SubmitField

from forum.web.time import london

STALE = (
    "Someone else changed {what} while you were editing it. Their version is shown below; "
    "check it, then save again."
)
UNREADABLE = (
    "We could not tell which version of {what} this form was filled in from. The saved "
    "version is shown below; check it, then save again."
)
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")
#: form fields that are never shown as part of "their version"
_NOT_SHOWN = (HiddenField, PasswordField, FileField, SubmitField)


def version_of(row) -> int:
    """The row's version now; a row not yet saved (a default settings row) is version 0."""
    return getattr(row, "version", None) or 0


def carry(form, row, *, always: bool = False) -> None:
    """Put the row's version in the form the page shows: on a GET, or `always` for an edit
    form shown beside another form that was posted (the forum settings page's partner form)."""
    if always or not form.is_submitted():
        form.row_version.data = str(version_of(row))


def check(form, row, *, what: str) -> bool:
    """True when the POSTed form was filled from the row's current version (or says nothing
    about versions). Otherwise the form is marked as stale and shows the saved values; False.
    Call it after `validate()`, which would clear the form's errors."""
    if not form.is_submitted():
        return True
    sent = form.row_version.data
    if sent is None or sent == "":
        return True
    if _WHOLE_NUMBER.match(sent) and int(sent) == version_of(row):
        return True
    template = STALE if _WHOLE_NUMBER.match(sent) else UNREADABLE
    refuse(form, row, template.format(what=what))
    return False


def refuse(form, row, message: str) -> None:
    """Show the form again as stale: `message` in the error summary, the row's saved values
    beside the person's, and the current version in the form so the next save goes through."""
    form.stale_message = message
    if message not in form.form_errors:
        form.form_errors.append(message)
    form.theirs = their_values(form, row)
    form.row_version.data = str(version_of(row))


def saved(row) -> None:
    """After an edit form changed `row`: move a plain version column on (a `version_id_col`
    moves itself when the row is written)."""
    mapper = inspect(type(row))
    if mapper.version_id_col is None and hasattr(row, "version"):
        row.version = version_of(row) + 1


def their_values(form, row) -> list[tuple[str, str, bool]]:
    """(label, saved value, differs from what was typed) for each field of `form` that `row`
    has an attribute for, in form order."""
    rows = []
    for field in form:
        if isinstance(field, _NOT_SHOWN) or field.name in ("csrf_token",):
            continue
        if not hasattr(row, field.name):
            continue
        theirs = shown(field, getattr(row, field.name))
        rows.append((str(field.label.text), theirs, theirs != shown(field, field.data)))
    return rows


def shown(field, value) -> str:
    """A stored or typed value as a person reads it on the page."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, list | tuple | set):
        return ", ".join(shown(field, v) for v in value) or "Nothing chosen"
    if value is None or value == "":
        return _choice_labels(field).get("") or "Not given"
    if isinstance(value, bool):
        yes_no = "yes" if value else "no"
        return _choice_labels(field).get(yes_no, yes_no.capitalize())
    if hasattr(value, "id") and not isinstance(value, int | str):
        value = value.id  # a row chosen from a list (a priority), named by its label there
    if isinstance(value, datetime):
        return london(value)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    labels = _choice_labels(field)
    text = str(value)
    return labels.get(text, text)


def _choice_labels(field) -> dict[str, str]:
    if not getattr(field, "choices", None) or not hasattr(field, "iter_choices"):
        return {}
    return {str(choice[0]): str(choice[1]) for choice in field.iter_choices()}
