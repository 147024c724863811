"""The download form: the file holds names but no email addresses unless the organiser asks for
them and says why."""

from __future__ import annotations

from wtforms import BooleanField
from wtforms.validators import ValidationError

from forum.web.forms import BaseForm, LongTextField, MaxLength

REASON_MAX = 500


class ExportForm(BaseForm):
    include_emails = BooleanField("Include people's email addresses")
    reason = LongTextField(
        "Why do you need their email addresses?",
        description=(
            "For example, to send a follow-up that people asked for. Your reason is kept with "
            "the record of this download."
        ),
        validators=[MaxLength(REASON_MAX, "Your reason")],
    )

    def validate_reason(self, field) -> None:
        if self.include_emails.data and not (field.data or "").strip():
            raise ValidationError("Say why you need the email addresses")

    @property
    def reason_given(self) -> str:
        """The reason, when email addresses were asked for (otherwise nothing is kept)."""
        return (self.reason.data or "").strip() if self.include_emails.data else ""
