"""The quoting page's form: one button, to withdraw consent or to give it again."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf

from forum.web.forms import BaseForm

WITHDRAW = "withdraw"
GIVE = "give"


class QuotingForm(BaseForm):
    choice = HiddenField(validators=[AnyOf([WITHDRAW, GIVE], message="Choose what to do")])
