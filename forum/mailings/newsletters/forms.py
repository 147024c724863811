"""Newsletter forms: writing a message, and choosing when it goes."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired, ValidationError

from forum.mailings.newsletters.models import AudienceKind, Visibility
from forum.web.forms import (
    ActionForm,
    BaseForm,
    LondonDateTimeField,
    LongTextField,
    MaxLength,
    TextField,
)


def _optional_id(value):
    if value in (None, "", "None"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


class NewsletterForm(BaseForm):
    subject = TextField(
        "Subject",
        description="What people see in their inbox, like “Autumn news from the forum”.",
        validators=[DataRequired("Enter a subject"), MaxLength(150, "The subject")],
    )
    body = LongTextField(
        "Message",
        description=(
            "Plain words work best. You can use **bold**, *italics*, lists starting with - "
            "and links written as [words](https://…). Pictures and HTML are not shown."
        ),
        validators=[DataRequired("Enter the message"), MaxLength(20_000, "The message")],
    )
    audience = RadioField(
        "Who should get it?",
        choices=[SelectChoice(kind.value, kind.label) for kind in AudienceKind],
        default=AudienceKind.MEMBERS.value,
        validators=[DataRequired("Choose who should get it")],
    )
    consultation_id = SelectField(
        "Which consultation?",
        description="Only consultations whose survey is not anonymous are listed.",
        coerce=_optional_id,
        validate_choice=False,
    )
    visibility = RadioField(
        "Who can read it in the forum’s archive once it is sent?",
        choices=[SelectChoice(v.value, v.label) for v in (Visibility.MEMBERS, Visibility.PUBLIC)],
        default=Visibility.MEMBERS.value,
        validators=[DataRequired("Choose who can read it in the archive")],
    )

    def __init__(self, *args, consultations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation_id.choices = [SelectChoice("", "Choose a consultation")] + [
            SelectChoice(str(cid), title) for cid, title in consultations
        ]

    def validate_consultation_id(self, field):
        if self.audience.data == AudienceKind.RESPONDERS.value and field.data is None:
            raise ValidationError("Choose the consultation whose responders should get it")


class ScheduleForm(BaseForm):
    when = LondonDateTimeField(
        "When should it go?",
        what="The time to send it",
        default_time="09:00",
        description="For example, 27 3 2027 and 09:00. UK time.",
    )

    def validate_when(self, field):
        if field.data is None and not field.process_errors:
            raise ValidationError("Enter the date to send it")


class SendForm(ActionForm):
    """Send now, send a test, withdraw: a button, the form's key and the version seen."""
