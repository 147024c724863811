"""The family profile's forms: every question optional, each a set of radios with "prefer not
to say"; an answer not on the list (a stale page, a script) is refused beside the question.
Impossible combinations (an age with a school phase it cannot have) are the service's to
refuse, with the same kind of message."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from forum.members.models import (
    POPULATION_CHILDREN_MAX,
    AgeBand,
    Ethnicity,
    Need,
    ParentAge,
    Phase,
    Setting,
    Support,
    YesNo,
)
from forum.members.population import children_of
from forum.web.forms import BaseForm, Choice, DateField, MaxLength, TextField


class Answer(RadioField):
    """An optional question answered from an enum's values and labels."""

    def __init__(self, label=None, validators=None, *, kind, what: str, **kwargs):
        kwargs.setdefault("choices", [SelectChoice(m.value, m.label) for m in kind])
        super().__init__(label, validators or [Optional()], **kwargs)
        self.what = what

    def process_formdata(self, valuelist):
        # A form sent without this question answered clears it (the saved answer filled
        # the page, not this submission).
        self.data = valuelist[0] if valuelist else None

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        if self.data not in {c.value for c in self.choices}:
            raise ValidationError(f"Choose {self.what} from the list")

    @property
    def answer(self) -> str | None:
        return self.data or None


class ProfileForm(BaseForm):
    consent = BooleanField()
    parent_age = Answer("Your age", kind=ParentAge, what="your age")
    ethnicity = Answer(
        "Your ethnic group",
        kind=Ethnicity,
        what="an ethnic group",
        description="The groups of the 2021 census.",
    )
    young_carer = Answer(
        "Are you a young carer (under 25)?", kind=YesNo, what="an answer about caring"
    )
    disabled = Answer(
        "Are you disabled, or do you have a long-term health condition?",
        kind=YesNo,
        what="an answer about disability",
    )

    def answers(self) -> dict:
        return {
            name: getattr(self, name).answer
            for name in ("parent_age", "ethnicity", "young_carer", "disabled")
        }


class ChildForm(BaseForm):
    age_band = Answer("How old are they?", kind=AgeBand, what="an age")
    phase = Answer("Which stage of education are they at?", kind=Phase, what="a stage")
    need = Answer(
        "What is their main type of need?",
        kind=Need,
        what="a type of need",
        description="The categories schools and councils use. Choose the one that fits best.",
    )
    support = Answer("What support do they have?", kind=Support, what="the support")
    setting = Answer("Where do they learn?", kind=Setting, what="where they learn")
    locality = Choice("Where do you live? (optional)", what="a locality", choices=[], default="")

    def __init__(self, *args, localities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locality.choices = [SelectChoice("", "Choose a place (optional)")] + [
            SelectChoice(str(loc.id), loc.name) for loc in localities
        ]

    @property
    def locality_id(self) -> int | None:
        raw = self.locality.data
        return int(raw) if raw and str(raw).isdigit() else None

    def answers(self) -> dict:
        return {
            name: getattr(self, name).answer
            for name in ("age_band", "phase", "need", "support", "setting")
        }

    @classmethod
    def data_of(cls, child) -> dict:
        data = {
            name: getattr(child, name).value if getattr(child, name) else None
            for name in ("age_band", "phase", "need", "support", "setting")
        }
        data["locality"] = str(child.locality_id) if child.locality_id else ""
        return data


class LocalityForm(BaseForm):
    name = TextField("Name of the locality", description="For example, a town or district.")


class PopulationForm(BaseForm):
    file = FileField("CSV file of figures")
    source = TextField(
        "Where the figures come from",
        description="For example, “Department for Education, Special educational needs in "
        "England, June 2025”. It is shown beside every figure taken from them.",
        validators=[
            DataRequired("Say where the figures come from"),
            MaxLength(200, "Where the figures come from"),
        ],
    )
    as_of = DateField(
        "The date the figures describe",
        what="The date the figures describe",
        description="For example, the census day: 16 1 2025",
    )

    def validate_as_of(self, field):
        if field.data is None and not field.errors:
            raise ValidationError("Enter the date the figures describe")


class ReachPublishingForm(BaseForm):
    published = RadioField(
        "Who can see this report?",
        choices=[
            SelectChoice("no", "The forum's organisers only"),
            SelectChoice("yes", "Everyone: it is published on the forum's pages"),
        ],
        validators=[InputRequired("Choose who can see the report")],
    )


class DfeFiguresForm(BaseForm):
    """Figures taken from one of DfE's files: placed on the server for every area (`installed`,
    its choices set by the view) or uploaded."""

    installed = Answer("Which file?", kind=(), what="a file")
    file = FileField("DfE's CSV file")
    local_authority = TextField(
        "Local authority",
        description="As DfE names it, for example “Leeds”, or its code, such as E08000035.",
        validators=[
            DataRequired("Enter the local authority, as DfE names it or by its code"),
            MaxLength(120, "The local authority"),
        ],
    )


class ForgetFiguresForm(BaseForm):
    question = Choice("Question", what="a question", choices=[])


class CountField(TextField):
    """A number of children typed in: blank for "no figure", else a whole number (commas
    and spaces allowed) up to `CHILDREN_MAX`."""

    @property
    def _digits(self) -> str:
        return (self.data or "").replace(",", "").replace(" ", "")

    @property
    def count(self) -> int | None:
        return children_of(self._digits) if self._digits else None

    def pre_validate(self, form):
        if self._digits and children_of(self._digits) is None:
            raise ValidationError(
                f"Enter the number of children for “{self.label.text}” as a whole number from "
                f"0 to {POPULATION_CHILDREN_MAX:,}, or leave it empty"
            )


class QuestionFiguresForm(BaseForm):
    """The area's figures for one question, typed in: a box per answer (`counts`, added by
    `figures_form`), where they come from and the date they describe."""

    source = PopulationForm.source
    as_of = PopulationForm.as_of
    validate_as_of = PopulationForm.validate_as_of

    def count_fields(self) -> list[CountField]:
        return [field for field in self if isinstance(field, CountField)]

    def counts(self) -> dict[str, int]:
        return {
            field.name.removeprefix("n_"): field.count
            for field in self.count_fields()
            if field.count is not None
        }

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        boxes = self.count_fields()
        if ok and boxes and not self.counts():
            boxes[0].errors = ["Enter at least one number of children"]
            return False
        return ok


def figures_form(answers: list[tuple[str, str]], **kwargs) -> QuestionFiguresForm:
    """A `QuestionFiguresForm` with a box for each (answer, label)."""

    class Form(QuestionFiguresForm):
        pass

    for value, label in answers:
        setattr(Form, f"n_{value}", CountField(label))
    return Form(**kwargs)
