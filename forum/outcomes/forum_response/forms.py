"""Forms for the forum's response."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import DataRequired, Optional, ValidationError

from forum.outcomes.forum_response.models import Stage
from forum.outcomes.forum_response.services import (
    BODY_NAME_MAX,
    COMMENT_MAX,
    PART_MAX,
    REFERENCE_MAX,
)
from forum.web.forms import BaseForm, DateField, LongTextField, MaxLength, TextField


class PartForm(BaseForm):
    body = LongTextField(
        "The forum’s answer",
        description="Plain words. You can use **bold**, lists and links written as "
        "[words](https://…). Do not name anyone or describe a child.",
        validators=[Optional(), MaxLength(PART_MAX, "The answer")],
    )


class CommentForm(BaseForm):
    body = LongTextField(
        "Your comment",
        description="Only members of the forum and its organisers can read it. Do not name "
        "anyone or describe a child.",
        validators=[DataRequired("Write your comment"), MaxLength(COMMENT_MAX, "Your comment")],
    )


class StageForm(BaseForm):
    stage = HiddenField()

    def validate_stage(self, field):
        if field.data not in {s.value for s in Stage}:
            raise ValidationError("Choose what to do with the response")

    @property
    def chosen(self) -> Stage:
        return Stage(self.stage.data)


class SubmittedForm(BaseForm):
    submitted_to = TextField(
        "Who was it sent to?",
        description="For example, Department for Education.",
        validators=[
            DataRequired("Enter who the response was sent to"),
            MaxLength(BODY_NAME_MAX, "The name"),
        ],
    )
    submitted_on = DateField(
        "When was it sent?", what="The date it was sent", description="For example, 27 3 2027"
    )
    submitted_reference = TextField(
        "Their reference (optional)",
        validators=[Optional(), MaxLength(REFERENCE_MAX, "The reference")],
    )

    def validate_submitted_on(self, field):
        if field.data is None and not field.errors:
            raise ValidationError("Enter the date it was sent")
