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


_SEEN_KEY = "seen_submissions"


class BaseForm(FlaskForm):
    """A form whose `submission_key` lets a view spot the same form posted twice."""

    submission_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.submission_key.data = secrets.token_urlsafe(12)

    def is_repeat(self) -> bool:
        """True if this exact form was already accepted once in this session."""
        key = self.submission_key.data
        return bool(key) and key in session.get(_SEEN_KEY, [])

    def mark_done(self) -> None:
        key = self.submission_key.data
        if not key:
            return
        seen = [k for k in session.get(_SEEN_KEY, []) if k != key][-19:]
        session[_SEEN_KEY] = [*seen, key]

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
