"""The organisers' form for choosing who sees the results."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice
from wtforms.validators import StopValidation

from forum.surveys.models import ResultsVisibility
from forum.web.forms import BaseForm


class VisibilityField(RadioField):
    """One message for a missing and for an unknown choice, so the summary says it once."""

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise StopValidation("Choose who can see the results")


class PublishForm(BaseForm):
    visibility = VisibilityField(
        "Who can see the results?",
        description="Counts under 5 are always shown as “fewer than 5” to members and "
        "visitors, and they never see what people wrote.",
        choices=[SelectChoice(v.value, v.label) for v in ResultsVisibility],
    )
