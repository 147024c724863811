"""The reminder settings form."""

from __future__ import annotations

import re

from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired, StopValidation, ValidationError

from forum.mailings.announcements.models import DAYS_BEFORE_MAX, DAYS_BEFORE_MIN
from forum.web.forms import BaseForm, TextField

#: the two choices, worded for a survey that is or is not anonymous
ON_OFF = {
    False: (
        ("on", "Send a reminder to people who have not answered yet"),
        ("off", "Do not send a reminder"),
    ),
    True: (
        ("on", "Send the reminder to everyone, including people who have already answered"),
        ("off", "Do not send a reminder"),
    ),
}

_DIGITS = re.compile(r"^[0-9]{1,6}$")


def _days(form, field) -> None:
    """Needed only when the reminder is on; a whole number in range, in ASCII digits (odd
    Unicode digits are refused with the same message, never a 500)."""
    text = (field.data or "").strip()
    if not text:
        if form.reminder.data == "off":
            field.errors[:] = []
            raise StopValidation()
        raise StopValidation("Enter how many days before it closes")
    if not _DIGITS.match(text) or not DAYS_BEFORE_MIN <= int(text) <= DAYS_BEFORE_MAX:
        raise ValidationError(
            f"The number of days must be a whole number from {DAYS_BEFORE_MIN} to {DAYS_BEFORE_MAX}"
        )


class ReminderForm(BaseForm):
    reminder = RadioField(
        "Reminder before it closes",
        choices=[SelectChoice(value, label) for value, label in ON_OFF[False]],
        validators=[InputRequired("Choose whether to send a reminder")],
    )
    days_before = TextField(
        "How many days before it closes?",
        description=f"A whole number from {DAYS_BEFORE_MIN} to {DAYS_BEFORE_MAX}.",
        validators=[_days],
    )

    def __init__(self, *args, anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reminder.choices = [SelectChoice(value, label) for value, label in ON_OFF[anonymous]]

    def days(self, default: int) -> int:
        """The number of days chosen, or `default` when the reminder is off and none given."""
        text = (self.days_before.data or "").strip()
        return int(text) if text else default
