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
        description="Members, visitors and partners’ responders always see counts rounded to "
        "the nearest 5, with groups of fewer than 5 people not shown, and never what people "
        "wrote.",
        choices=[SelectChoice(v.value, v.label) for v in ResultsVisibility],
    )
