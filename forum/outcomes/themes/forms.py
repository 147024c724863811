"""Forms for building themes."""

from __future__ import annotations

from wtforms import SelectChoice
from wtforms.validators import DataRequired, Optional

from forum.consultations.forms import PriorityChoices
from forum.outcomes.themes.excerpts import QUOTE_MAX
from forum.outcomes.themes.services import SUMMARY_MAX, TITLE_MAX
from forum.web.forms import BaseForm, LongTextField, MaxLength, TextField


class ThemeForm(BaseForm):
    title = TextField(
        "Title",
        description="What people told you, in a few words, like “Waiting too long for "
        "speech and language therapy”.",
        validators=[DataRequired("Enter a title for the theme"), MaxLength(TITLE_MAX, "The title")],
    )
    summary = LongTextField(
        "Summary",
        description="In plain words: what people said and why it matters. Do not name anyone "
        "or describe a child. Partners answer this, and it is published with their answer.",
        validators=[
            DataRequired("Enter a summary of what people said"),
            MaxLength(SUMMARY_MAX, "The summary"),
        ],
    )
    priorities = PriorityChoices(
        "Which priorities of the local plan is it about? (optional)",
        coerce=str,
        validators=[Optional()],
    )

    def __init__(self, *args, plan_priorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities.choices = [SelectChoice(str(p.id), p.label) for p in plan_priorities]

    @property
    def priority_ids(self) -> list[int]:
        return [
            int(v)
            for v in self.priorities.data or []
            if str(v).isascii() and str(v).isdigit() and len(str(v)) < 19
        ]


class QuoteForm(BaseForm):
    words = LongTextField(
        "The words to publish",
        description="Copy the answer, or only the part you want. To take out a name, a "
        "school or anything else that could identify someone, put “[name removed]” or "
        "“[redacted]” in its place. The words must come from the answer: this is checked.",
        validators=[
            DataRequired("Enter the words to quote"),
            MaxLength(QUOTE_MAX, "A quote"),
        ],
    )
