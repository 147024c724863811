"""Consultation forms."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, SelectMultipleField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.consultations.models import Audience, ConsultationKind
from forum.web.forms import BaseForm, LondonDateTimeField, LongTextField, MaxLength, TextField


class PriorityChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # Unknown ids (another area's, or stale) are dropped by the view, not shown as errors.
        pass


def required_date(what: str):
    def check(form, field):
        if field.data is None and not field.process_errors:
            raise ValidationError(f"Enter the {what}")

    return check


def _required_moment(
    label: str, name: str, default_time: str, *, example: str | None = None
) -> LondonDateTimeField:
    """A required date and time; `name` ("opening date") is used in its messages."""
    hint = f"Time in UK time, like {default_time}."
    return LondonDateTimeField(
        label,
        what=name[0].upper() + name[1:],
        default_time=default_time,
        description=f"For example, {example}. {hint}" if example else hint,
        validators=[required_date(name)],
    )


class ConsultationForm(BaseForm):
    title = TextField(
        "Title",
        description="A short question or topic, like “Mental health support in schools”.",
        validators=[DataRequired("Enter a title"), MaxLength(160, "The title")],
    )
    summary = LongTextField(
        "Summary",
        description="Two or three sentences: what you are asking and why it matters.",
        validators=[DataRequired("Enter a summary"), MaxLength(1000, "The summary")],
    )
    easy_read_summary = LongTextField(
        "Easy read summary (optional)",
        description="Short sentences and everyday words. One idea in each sentence.",
        validators=[Optional(), MaxLength(1000, "The easy read summary")],
    )
    body = LongTextField(
        "More detail (optional)",
        description="You can use **bold**, lists starting with -, and links.",
        validators=[Optional(), MaxLength(20000, "The detail")],
    )
    audience = RadioField(
        "Who can take part?",
        choices=[SelectChoice(a.value, a.label) for a in Audience],
        default=Audience.PUBLIC.value,
        validators=[InputRequired("Choose who can take part")],
    )
    kind = RadioField(
        "What kind of consultation is it?",
        choices=[
            SelectChoice(ConsultationKind.STANDARD.value, ConsultationKind.STANDARD.label),
            SelectChoice(ConsultationKind.LOCAL_OFFER.value, ConsultationKind.LOCAL_OFFER.label),
        ],
        default=ConsultationKind.STANDARD.value,
        # Not sent by older pages and scripts: the stored (or default) kind is kept.
        validators=[Optional()],
    )
    opens_at = _required_moment("Opens", "opening date", "09:00", example="27 3 2027")
    closes_at = _required_moment("Closes", "closing date", "23:59", example="30 4 2027")
    response_due_at = LondonDateTimeField(
        "Response due (optional)",
        what="Response due date",
        default_time="17:00",
        description="When partners should say what they will do. Leave blank for 12 weeks "
        "after it closes: the date then moves if it is extended or closed early.",
    )
    priorities = PriorityChoices(
        "Which priorities of the local plan is this about?", coerce=str, validators=[Optional()]
    )

    def __init__(self, *args, plan_priorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities.choices = [SelectChoice(str(p.id), p.label) for p in plan_priorities]

    @property
    def priority_ids(self) -> list[int]:
        return [int(v) for v in self.priorities.data or [] if str(v).isdigit()]

    def validate_closes_at(self, field):
        if (
            "opens_at" in self
            and field.data
            and self.opens_at.data
            and (field.data <= self.opens_at.data)
        ):
            raise ValidationError("The closing date must be after the opening date")

    def validate_response_due_at(self, field):
        if (
            "closes_at" in self
            and field.data
            and self.closes_at.data
            and (field.data < self.closes_at.data)
        ):
            raise ValidationError("The response due date must be on or after the closing date")


REASON_HINT = (
    "Shown on the consultation page and in the email to people who have not answered yet. "
    "Finish the sentence “We are giving more time because …”, for example: the easy read "
    "version came late."
)


class ExtendForm(BaseForm):
    closes_at = _required_moment("New closing date", "new closing date", "23:59")
    reason = LongTextField(
        "Why are you giving more time?",
        description=REASON_HINT,
        validators=[
            DataRequired("Say why you are giving more time"),
            MaxLength(500, "The reason"),
        ],
    )


class CloseEarlyForm(BaseForm):
    reason = LongTextField(
        "Why is it closing early?",
        description="This is shown on the consultation page.",
        validators=[
            DataRequired("Say why the consultation is closing early"),
            MaxLength(500, "The reason"),
        ],
    )
