"""Form fields that clean their input, and shared validators.

`TextField` and `LongTextField` run every value through `clean_text`, so no view or service
handles raw input. Every form carries a CSRF token (Flask-WTF) and a one-time submission key
that catches a double submit of the same form.
"""

from __future__ import annotations

import secrets

from flask import session
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

from forum.web.text import clean_text


class TextField(StringField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = clean_text(self.data)


class LongTextField(TextAreaField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = clean_text(self.data, multiline=True)


class SecretField(PasswordField):
    """Passwords are taken exactly as typed, but never with control characters."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data and any(ord(c) < 32 for c in self.data):
            self.data = "\x00invalid"


class MaxLength:
    """Like WTForms' Length(max=) but with a message that says how much to remove."""

    def __init__(self, limit: int, what: str):
        self.limit = limit
        self.what = what

    def __call__(self, form, field):
        value = field.data or ""
        if len(value) > self.limit:
            raise ValidationError(f"{self.what} must be {self.limit:,} characters or fewer")


_DONE_KEY = "done_forms"
_REMEMBER = 20


class BaseForm(FlaskForm):
    """A form that knows when it is sent a second time.

    Each rendered form carries a random `submission_key`. After a successful POST the view calls
    `mark_done(url)`; if the same form arrives again (a double click, the back button, a
    refresh), `already_done()` gives that url so the view can send the person there instead
    of doing the work twice or showing a confusing error.
    """

    submission_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.submission_key.data = secrets.token_urlsafe(12)

    def already_done(self) -> str | None:
        key = self.submission_key.data
        if not self.is_submitted() or not key:
            return None
        return dict(session.get(_DONE_KEY, [])).get(key)

    def mark_done(self, url: str) -> None:
        key = self.submission_key.data
        if not key:
            return
        done = [pair for pair in session.get(_DONE_KEY, []) if pair[0] != key][-(_REMEMBER - 1) :]
        session[_DONE_KEY] = [*done, [key, url]]

    def errors_for_summary(self) -> list[dict]:
        """(text, href) pairs for the GOV.UK error summary, in field order."""
        items = []
        for field in self:
            for error in field.errors:
                items.append({"text": error, "href": f"#{field.id}"})
        for error in self.form_errors:
            items.append({"text": error, "href": "#main-content"})
        return items


class ActionForm(BaseForm):
    """A form with only a button, for actions such as "confirm my email" or "sign out"."""
