"""Forms of the reports: choosing a period, the organisers' words and sections, and the
words of the grant return."""

from __future__ import annotations

from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.reports.figures import SECTIONS
from forum.reports.models import GRANT_WORDS_MAX, WORDS_MAX
from forum.web.forms import BaseForm, Choice, DateField, LongTextField, MaxLength

#: the choice for dates of the organisers' own, beside the financial years
OWN_DATES = "own"

_WORDS_HINT = (
    "Plain words for parents, carers and partners. Do not name children or families. You can "
    "use **bold**, lists starting with - and links."
)


class PeriodForm(BaseForm):
    which = Choice("Which period is the report for?", what="a period", choices=[])
    start = DateField(
        "The first day of the period",
        what="The first day of the period",
        description="Only for other dates. For example, 1 9 2025",
    )
    end = DateField(
        "The last day of the period",
        what="The last day of the period",
        description="Only for other dates. For example, 31 8 2026",
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.which.choices = [SelectChoice(p.slug, p.name) for p in years] + [
            SelectChoice(OWN_DATES, "Other dates (enter them below)")
        ]

    def validate_which(self, field):
        if not field.data:
            raise ValidationError("Choose the period the report is for")


class Sections(SelectMultipleField):
    """Checkboxes of the report's sections; a value that is not one (a tampered form) is left
    out rather than refused."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        pass


class WordsForm(BaseForm):
    foreword = LongTextField(
        "Foreword (optional)",
        description="A few words from the forum to open the report. " + _WORDS_HINT,
        validators=[Optional(), MaxLength(WORDS_MAX, "The foreword")],
    )
    highlights = LongTextField(
        "Highlights of the year (optional)",
        description=_WORDS_HINT,
        validators=[Optional(), MaxLength(WORDS_MAX, "The highlights")],
    )
    priorities = LongTextField(
        "Our priorities for next year (optional)",
        description=_WORDS_HINT,
        validators=[Optional(), MaxLength(WORDS_MAX, "The priorities")],
    )
    sections = Sections(
        "Which sections appear in the report",
        description="The figures in each are worked out from what the forum has recorded.",
        choices=[SelectChoice(key, heading) for key, heading in SECTIONS],
    )

    @property
    def shown_sections(self) -> list[str]:
        keys = {key for key, _ in SECTIONS}
        return [str(v) for v in self.sections.data or () if str(v) in keys]


def grant_words_form(fields, *args, **kwargs) -> BaseForm:
    """A form with one box for each of the grant return's questions that take words."""

    class GrantWordsForm(BaseForm):
        pass

    for f in fields:
        setattr(
            GrantWordsForm,
            f.key,
            LongTextField(
                f.question,
                description=f.hint or None,
                validators=[Optional(), MaxLength(GRANT_WORDS_MAX, "The answer")],
            ),
        )
    return GrantWordsForm(*args, **kwargs)
