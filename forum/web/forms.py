"""Form fields that clean their input, and shared validators.

`TextField` and `LongTextField` run every value through `clean_text`, so no view or service
handles raw input. Every form carries a CSRF token (Flask-WTF) and a one-time submission key
that catches a double submit of the same form.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from forum.web import submissions
from forum.web.text import clean_text
from forum.web.time import LONDON


class TextField(StringField):
    data: str | None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = clean_text(self.data)


class LongTextField(TextAreaField):
    data: str | None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = clean_text(self.data, multiline=True)


class SecretField(PasswordField):
    """Passwords are taken exactly as typed, but never with control characters."""

    data: str | None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data and any(ord(c) < 32 for c in self.data):
            self.data = "\x00invalid"


class Choice(SelectField):
    """A select whose refusal of a value not on the list says what to do."""

    def __init__(self, label=None, validators=None, *, what: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.what = what

    def pre_validate(self, form):
        if self.choices is not None and str(self.data) not in {
            str(c.value if isinstance(c, SelectChoice) else c[0]) for c in self.choices
        }:
            raise ValidationError(f"Choose {self.what} from the list")


class MaxLength:
    """Like WTForms' Length(max=) but with a message that says how much to remove."""

    def __init__(self, limit: int, what: str):
        self.limit = limit
        self.what = what

    def __call__(self, form, field):
        value = field.data or ""
        if len(value) > self.limit:
            raise ValidationError(f"{self.what} must be {self.limit:,} characters or fewer")


class BaseForm(FlaskForm):
    """A form that knows when it is sent a second time, and which version of a row it edits.

    Each rendered form carries a random `submission_key`. The view claims it in the same
    transaction as the change (`claim()`, then `mark_done(url)` before committing; `accept()`
    does both); if the same form arrives again (a double click, the back button, a refresh,
    or several copies at once), `already_done()` or `claim()` gives the url the first one
    went to, so the view can send the person there instead of doing the work twice. The
    record is in the database (`forum/web/submissions.py`), so it holds across processes.

    An edit form also carries `row_version`, the version of the row it was filled from
    (`forum/web/versions.py`), so a save over someone else's newer change is caught.
    """

    submission_key = HiddenField()
    row_version = HiddenField()
    #: the other person's saved values, (label, value, differs) rows, after a stale edit
    theirs: list[tuple[str, str, bool]] | None = None
    stale_message: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.submission_key.data = secrets.token_urlsafe(12)

    def already_done(self) -> str | None:
        if not self.is_submitted():
            return None
        return submissions.done_url(self.submission_key.data)

    def claim(self) -> submissions.Lost | None:
        """Claim this submission in the current transaction (see `submissions.claim`)."""
        return submissions.claim(self.submission_key.data)

    def mark_done(self, url: str) -> None:
        """Record where this submission went: after `claim()`, in the current transaction,
        which the view then commits; without a claim, committed here (see `submissions.finish`)."""
        submissions.finish(self.submission_key.data, url)

    def errors_for_summary(self) -> list[dict]:
        """(text, href) pairs for the GOV.UK error summary, in field order."""
        items = []
        for field in self:
            anchor = getattr(field, "summary_anchor", field.id)
            for error in field.errors:
                items.append({"text": error, "href": f"#{anchor}"})
        for error in self.form_errors:
            anchor = "#their-version" if self.theirs and error == self.stale_message else None
            items.append({"text": error, "href": anchor or "#main-content"})
        return items


class ActionForm(BaseForm):
    """A form with only a button, for actions such as "confirm my email" or "sign out"."""


_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


class _BoxesField(Field):
    """A value typed in several boxes, sent as `<name>-<part>` for each of `PARTS` (the GOV.UK
    date pattern). `what` names it in messages ("The due date")."""

    PARTS: tuple[str, ...] = ()

    def __init__(self, label=None, validators=None, *, what: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.what = what
        self.parts = dict.fromkeys(self.PARTS, "")
        self.summary_anchor = f"{self.id}-day"

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.raw_data = []
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in self.PARTS):
            self.parts = {
                p: clean_text(formdata.get(f"{self.name}-{p}", ""))[:20] for p in self.PARTS
            }
            self.raw_data = list(self.parts.values())
            try:
                self.data = self._parse()
            except ValueError as exc:
                self.data = None
                self.process_errors.append(str(exc))
            return
        value = data if data is not None and data is not unset_value else self.default
        self._show(value() if callable(value) else value)

    def _parse(self):
        """The value typed in `parts`; ValueError with the message to show when it is wrong."""
        raise NotImplementedError

    def _show(self, value) -> None:
        """Fill `data` and `parts` from a stored value (or the default)."""
        raise NotImplementedError

    def _check_date_boxes(self, day: str, month: str, year: str) -> None:
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValueError(f"{self.what} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValueError(f"{self.what} must be a real date, like 27 3 2027")

    def _check_year(self, year: str) -> None:
        if not 2000 <= int(year) <= 2100:
            raise ValueError(f"{self.what} must be between the years 2000 and 2100")


class LondonDateTimeField(_BoxesField):
    """A date in three boxes (day, month, year) and a time (HH:MM), as people in England read
    them; `data` is an aware UTC datetime, or None when all is blank.

    Sent as `<name>-day`, `<name>-month`, `<name>-year` and `<name>-time`.
    """

    PARTS = ("day", "month", "year", "time")

    def __init__(self, label=None, validators=None, *, default_time: str = "09:00", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.default_time = default_time

    def _show(self, value) -> None:
        self.data = value
        if isinstance(value, datetime):
            local = value.astimezone(LONDON)
            self.parts = {
                "day": str(local.day),
                "month": str(local.month),
                "year": str(local.year),
                "time": local.strftime("%H:%M"),
            }
        else:
            self.parts = {"day": "", "month": "", "year": "", "time": self.default_time}

    def _parse(self) -> datetime | None:
        day, month, year, time = (self.parts[p] for p in self.PARTS)
        if not (day or month or year):
            return None
        self._check_date_boxes(day, month, year)
        found = _TIME.match(time or self.default_time)
        if not found:
            raise ValueError(
                f"Enter the time for the {self.what.lower()} as hours and minutes, like 17:30"
            )
        hour, minute = int(found.group(1)), int(found.group(2))
        self._check_year(year)
        try:
            local = datetime(int(year), int(month), int(day), hour, minute, tzinfo=LONDON)
        except ValueError:
            raise ValueError(f"{self.what} must be a real date and time") from None
        return local.astimezone(UTC)


class DateField(_BoxesField):
    """A date in three boxes (day, month, year); `data` is a `date`, or None when all three are
    blank. Sent as `<name>-day`, `<name>-month`, `<name>-year`; shown with the `date` macro in
    components/forms.html."""

    PARTS = ("day", "month", "year")

    def _show(self, value) -> None:
        self.data = value if isinstance(value, date) else None
        if isinstance(value, date):
            self.parts = {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        else:
            self.parts = dict.fromkeys(self.PARTS, "")

    def _parse(self) -> date | None:
        day, month, year = (self.parts[p].strip() for p in self.PARTS)
        if not (day or month or year):
            return None
        self._check_date_boxes(day, month, year)
        self._check_year(year)
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{self.what} must be a real date, like 27 3 2027") from None
