"""Forms for plans, priorities, commitments, progress updates and the CSV import."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import RadioField, SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from forum.plans.models import CommitmentStatus, PlanKind
from forum.web.forms import BaseForm, Choice, DateField, LongTextField, MaxLength, TextField


class WholeNumber:
    """A whole number in a range, with a message that says which."""

    def __init__(self, low: int, high: int, what: str):
        self.low, self.high, self.what = low, high, what

    def __call__(self, form, field):
        text = (field.data or "").strip().removesuffix("%").strip()
        if not text.isdigit() or not self.low <= int(text) <= self.high:
            raise ValidationError(
                f"{self.what} must be a whole number from {self.low} to {self.high}"
            )


def number(field) -> int:
    return int((field.data or "").strip().removesuffix("%").strip())


PLAN_KINDS = [SelectChoice(k.value, k.label) for k in PlanKind]
STATUSES = [SelectChoice(s.value, s.label) for s in CommitmentStatus]


class PlanForm(BaseForm):
    title = TextField(
        "Title",
        description="For example, “Local Inclusion Plan 2026 to 2029”.",
        validators=[DataRequired("Enter a title"), MaxLength(200, "The title")],
    )
    kind = RadioField(
        "What kind of plan is it?",
        choices=PLAN_KINDS,
        default=PlanKind.INCLUSION_PLAN.value,
        validators=[InputRequired("Choose what kind of plan it is")],
    )
    summary = LongTextField(
        "Summary (optional)",
        description="A few sentences on what the plan is for. You can use **bold**, lists "
        "starting with - and links.",
        validators=[Optional(), MaxLength(5000, "The summary")],
    )
    starts_on = DateField(
        "Start of the period (optional)", what="The start date", description="For example, 1 4 2026"
    )
    ends_on = DateField(
        "End of the period (optional)", what="The end date", description="For example, 31 3 2029"
    )

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The end of the period must be after its start")


class PriorityForm(BaseForm):
    code = TextField(
        "Reference",
        description="A short reference people can quote, like P3 or P3.1. Each priority in "
        "the plan needs its own.",
        validators=[DataRequired("Enter a reference, like P3"), MaxLength(12, "The reference")],
    )
    title = TextField(
        "Title",
        validators=[DataRequired("Enter a title"), MaxLength(200, "The title")],
    )
    description = LongTextField(
        "Description (optional)",
        validators=[Optional(), MaxLength(5000, "The description")],
    )
    parent_id = Choice(
        "Is it part of another priority?",
        what="a priority",
        description="Choose a priority if this is one of its sub-priorities.",
        choices=[],
        default="",
    )

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = [SelectChoice("", "No, it is a main priority")] + [
            SelectChoice(str(p.id), p.label) for p in parents
        ]

    @property
    def parent_value(self) -> int | None:
        value = self.parent_id.data or ""
        return int(value) if str(value).isdigit() else None


class CommitmentForm(BaseForm):
    partner_id = Choice(
        "Which organisation owns it?", what="an organisation", choices=[], default=""
    )
    title = TextField(
        "What will be done",
        description="One clear promise, like “Every school has a named mental health lead”.",
        validators=[DataRequired("Enter what will be done"), MaxLength(200, "The title")],
    )
    description = LongTextField(
        "More detail (optional)",
        validators=[Optional(), MaxLength(5000, "The detail")],
    )
    due_on = DateField(
        "Due date (optional)", what="The due date", description="For example, 31 3 2027"
    )
    status = Choice(
        "Status",
        what="a status",
        choices=STATUSES,
        default=CommitmentStatus.NOT_STARTED.value,
        validators=[InputRequired("Choose a status")],
    )
    dropped_reason = LongTextField(
        "If it has been dropped, why?",
        description="Needed when the status is “Dropped”. This is shown publicly.",
        validators=[Optional(), MaxLength(2000, "The reason")],
    )
    progress = TextField(
        "Progress, as a percentage",
        description="A whole number from 0 to 100.",
        default="0",
        validators=[WholeNumber(0, 100, "Progress")],
    )
    weight = TextField(
        "Weight",
        description="How big this piece of work is compared with the others under the same "
        "priority, from 1 to 100. Leave it as 1 if they are about the same.",
        default="1",
        validators=[WholeNumber(1, 100, "Weight")],
    )

    def __init__(self, *args, partners=(), fixed_partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_partner is not None:
            # A responder adds and edits only their own organisation's commitments.
            del self.partner_id
            self.fixed_partner = fixed_partner
        else:
            self.fixed_partner = None
            self.partner_id.choices = [SelectChoice("", "Choose an organisation")] + [
                SelectChoice(str(p.id), p.name) for p in partners
            ]

    def validate_partner_id(self, field):
        if not str(field.data or "").isdigit():
            raise ValidationError("Choose the organisation that owns this commitment")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Checked here: the field's Optional() would stop an inline validator on a blank.
        if self.status.data == CommitmentStatus.DROPPED.value and not self.dropped_reason.data:
            self.dropped_reason.errors = [*self.dropped_reason.errors, "Say why it was dropped"]
            return False
        return valid

    @property
    def partner_value(self) -> int | None:
        if "partner_id" not in self:
            return None
        value = self.partner_id.data or ""
        return int(value) if str(value).isdigit() else None


class ProgressUpdateForm(BaseForm):
    text = LongTextField(
        "What has happened?",
        description="Plain words for parents and carers: what was done, what comes next.",
        validators=[DataRequired("Say what has happened"), MaxLength(5000, "The update")],
    )
    evidence_url = TextField(
        "Link to evidence (optional)",
        description="A web address starting with https://, for example a report or minutes.",
        validators=[Optional(), MaxLength(500, "The evidence link")],
    )
    status = Choice("Status now", what="a status", choices=STATUSES, validators=[InputRequired()])
    progress = TextField(
        "Progress now, as a percentage",
        description="A whole number from 0 to 100.",
        validators=[WholeNumber(0, 100, "Progress")],
    )
    dropped_reason = LongTextField(
        "If it has been dropped, why?",
        description="Needed when the status is “Dropped”. This is shown publicly.",
        validators=[Optional(), MaxLength(2000, "The reason")],
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Checked here: the field's Optional() would stop an inline validator on a blank.
        if self.status.data == CommitmentStatus.DROPPED.value and not self.dropped_reason.data:
            self.dropped_reason.errors = [*self.dropped_reason.errors, "Say why it was dropped"]
            return False
        return valid


class ImportForm(BaseForm):
    file = FileField("CSV file")
