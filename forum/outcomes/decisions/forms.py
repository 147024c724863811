"""Forms for answering a theme and reviewing an answer."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.outcomes.decisions.models import ForumView, Outcome
from forum.outcomes.decisions.services import (
    COMMENT_MAX,
    COMMITMENT_TITLE_MAX,
    EXPLANATION_MAX,
    REASON_MAX,
)
from forum.web.forms import BaseForm, DateField, LongTextField, MaxLength, TextField


def _as_id(value) -> int:
    """A row id from the form, or 0 for anything else (too long for the database, signs,
    spaces)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


class CommitmentChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # Unknown ids (another area's, or a commitment removed meanwhile) are refused by the
        # service with a message, not silently dropped.
        pass


class AnswerForm(BaseForm):
    outcome = RadioField(
        "What will your organisation do?",
        choices=[SelectChoice(o.value, o.label) for o in Outcome],
        validators=[InputRequired("Choose what your organisation will do")],
    )
    explanation = LongTextField(
        "Explain in plain words",
        description="What you will do, or have done, and when. Parents and carers will read "
        "this, so avoid jargon and abbreviations.",
        validators=[
            InputRequired("Explain in plain words what you will do"),
            MaxLength(EXPLANATION_MAX, "The explanation"),
        ],
    )
    reason = LongTextField(
        "If it is not being adopted, why not?",
        description="Shown publicly beside your answer.",
        validators=[Optional(), MaxLength(REASON_MAX, "The reason")],
    )
    decide_by = DateField(
        "If it is under consideration, when will you decide?",
        what="The date to decide by",
        description="For example, 27 3 2027. If you have not decided by then, the page will "
        "say the decision is overdue.",
    )
    commitments = CommitmentChoices("Commitments", coerce=str, validators=[Optional()])
    new_title = TextField(
        "Title of the new commitment (optional)",
        description="Fill this in to add a commitment for your organisation to the local plan.",
        validators=[Optional(), MaxLength(COMMITMENT_TITLE_MAX, "The commitment's title")],
    )
    new_priority = SelectField("Plan priority", choices=[], validators=[Optional()])
    new_due = DateField(
        "Due date (optional)",
        what="The due date",
        description="For example, 31 7 2027.",
    )

    def __init__(self, *args, commitments=(), priorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.commitments.choices = [SelectChoice(str(c.id), c.title) for c in commitments]
        self.new_priority.choices = [SelectChoice("", "Choose a priority")] + [
            SelectChoice(str(p.id), p.label) for p in priorities
        ]

    @property
    def chosen_outcome(self) -> Outcome | None:
        try:
            return Outcome(self.outcome.data)
        except ValueError:
            return None

    @property
    def commitment_ids(self) -> list[int]:
        # Anything that is not a plausible id is passed on as 0, which no commitment has, so
        # the service says the choice was not found rather than dropping it silently.
        return [_as_id(v) for v in self.commitments.data or []]

    @property
    def new_priority_id(self) -> int | None:
        return _as_id(self.new_priority.data) or None

    def validate_reason(self, field):
        if self.chosen_outcome is Outcome.NOT_ADOPTED and not (field.data or "").strip():
            raise ValidationError("Say why this is not being adopted")

    def validate_decide_by(self, field):
        if (
            self.chosen_outcome is Outcome.UNDER_CONSIDERATION
            and field.data is None
            and not field.process_errors
        ):
            raise ValidationError("Enter the date you will decide by")

    def validate_new_priority(self, field):
        if (self.new_title.data or "").strip() and self.new_priority_id is None:
            raise ValidationError("Choose the plan priority the new commitment is under")


class ReviewForm(BaseForm):
    forum_view = RadioField(
        "What does the forum think of this answer?",
        choices=[
            SelectChoice(ForumView.AGREED.value, "The forum agrees"),
            SelectChoice(ForumView.DISPUTED.value, "The forum disputes it"),
        ],
        validators=[InputRequired("Choose whether the forum agrees or disputes this")],
    )
    comment = LongTextField(
        "Comment",
        description="Shown publicly beside the answer once published. Needed if you dispute it.",
        validators=[Optional(), MaxLength(COMMENT_MAX, "The comment")],
    )

    def validate_comment(self, field):
        if self.forum_view.data == ForumView.DISPUTED.value and not (field.data or "").strip():
            raise ValidationError("Say why the forum disputes this answer")
