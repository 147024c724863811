"""The quoting page's form (one button, to withdraw consent or to give it again), and the
organiser's form for withdrawing it when someone asks by phone, email or letter."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from forum.web.forms import BaseForm, MaxLength, TextField

WITHDRAW = "withdraw"
GIVE = "give"


class QuotingForm(BaseForm):
    choice = HiddenField(validators=[AnyOf([WITHDRAW, GIVE], message="Choose what to do")])


class OnRequestForm(BaseForm):
    reference = TextField(
        "Their reference",
        description="It was shown to them when they sent their answers, for example K7P-3QX-9TD.",
        validators=[
            InputRequired(message="Enter the reference the person gave you"),
            MaxLength(20, "The reference"),
        ],
    )
