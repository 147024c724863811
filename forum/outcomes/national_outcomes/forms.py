"""The form for a national outcome."""

from __future__ import annotations

from wtforms.validators import DataRequired, Optional, ValidationError

from forum.outcomes.national_outcomes.services import BODY_MAX, DECISION_MAX, LINK_MAX
from forum.web.forms import BaseForm, DateField, LongTextField, MaxLength, TextField


class NationalOutcomeForm(BaseForm):
    body_name = TextField(
        "Who decided?",
        description="The national body, for example Department for Education.",
        validators=[DataRequired("Enter who made the decision"), MaxLength(BODY_MAX, "The name")],
    )
    decision = LongTextField(
        "What did they decide?",
        description="In plain words, about what people said in this theme.",
        validators=[
            DataRequired("Say what they decided"),
            MaxLength(DECISION_MAX, "What they decided"),
        ],
    )
    decided_on = DateField(
        "When did they decide?",
        what="The date of the decision",
        description="For example, 27 3 2027",
    )
    link = TextField(
        "Link to the decision (optional)",
        description="A web address starting with https://, for example the published plan.",
        validators=[Optional(), MaxLength(LINK_MAX, "The link")],
    )

    def validate_decided_on(self, field):
        if field.data is None and not field.errors:
            raise ValidationError("Enter the date of the decision")
