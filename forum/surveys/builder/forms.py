"""Survey builder forms.

A question's form depends on its kind, on its current options (one box each, so a label can be
reworded without its key changing) and on the earlier choice questions it could depend on
(one group of answers each): `question_form()` builds the form class for that question.
"""

from __future__ import annotations

import re

from flask_wtf.file import FileField
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.surveys.builder.importing import PASTE_KINDS
from forum.surveys.builder.sections import TITLE_MAX
from forum.surveys.builder.services import (
    HINT_MAX,
    INTRO_MAX,
    LONG_TEXT_LIMITS,
    NUMBER_LIMIT,
    NUMBER_MAX,
    OPTION_MAX,
    PROMPT_MAX,
    SCALE_LABEL_MAX,
    WORD_LIMITS,
    QuestionSpec,
)
from forum.surveys.models import (
    CONSENT_PROMPT,
    LONG_TEXT_MAX,
    Numbering,
    Question,
    QuestionKind,
    Section,
    SurveyLayout,
)
from forum.web.forms import BaseForm, LongTextField, MaxLength, TextField

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


class YesNoField(RadioField):
    def __init__(self, label, *, required: str, **kwargs):
        super().__init__(label, choices=YES_NO, validators=[InputRequired(required)], **kwargs)

    @property
    def is_yes(self) -> bool:
        return self.data == "yes"


class AnswerChoices(SelectMultipleField):
    """Checkboxes for some of an earlier question's answers."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        known = {str(choice.value) for choice in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError("Choose from the answers listed")


_WHOLE = re.compile(r"^[-−]?\d{1,10}$")


class WholeNumberField(TextField):
    """A whole number typed in a box; `number` is the int, or None when left blank."""

    def __init__(self, label, *, what: str, **kwargs):
        super().__init__(label, **kwargs)
        self.what = what

    @property
    def number(self) -> int | None:
        value = (self.data or "").replace("−", "-").replace(",", "")
        return int(value) if _WHOLE.match(value) else None

    def pre_validate(self, form):
        value = (self.data or "").replace(",", "")
        if value and not _WHOLE.match(value):
            raise ValidationError(f"{self.what} must be a whole number, like 10")
        if self.number is not None and abs(self.number) > NUMBER_LIMIT:
            raise ValidationError(
                f"{self.what} must be between -{NUMBER_LIMIT:,} and {NUMBER_LIMIT:,}"
            )


class SettingsForm(BaseForm):
    is_anonymous = RadioField(
        "Is the survey anonymous?",
        choices=YES_NO,
        validators=[InputRequired("Choose whether the survey is anonymous")],
    )
    layout = RadioField(
        "How are the questions shown?",
        choices=[SelectChoice(layout.value, layout.label) for layout in SurveyLayout],
        validators=[InputRequired("Choose how the questions are shown")],
    )
    numbering = RadioField(
        "How are the questions numbered?",
        choices=[SelectChoice(n.value, n.label) for n in Numbering],
        validators=[Optional()],
    )
    allow_edit_after_submit = YesNoField(
        "Can people change their answers after sending them?",
        description="Until the consultation closes.",
        required="Choose whether people can change their answers after sending them",
    )
    requires_confirmed_email = RadioField(
        "Must people without an account confirm an email address for their response to count?",
        choices=YES_NO,
        default="no",
        description="For surveys anyone can answer. Each address counts once.",
    )
    shares_answers_with_partners = RadioField(
        "Share written answers with partners?",
        choices=YES_NO,
        default="no",
    )
    intro = LongTextField(
        "Introduction (optional)",
        description="Shown before the first question: what the survey is for, how long it "
        "takes, and what happens to the answers.",
        validators=[Optional(), MaxLength(INTRO_MAX, "The introduction")],
    )

    CONFIRMED_EMAIL_HINTS = {
        "yes": "After sending their answers, people without an account are asked for an email "
        "address and sent a link. Their response counts once they follow it, and only one "
        "response counts for each address. Signed-in people count at once. We keep only a "
        "scrambled code made from the address (a keyed hash), never the address, and delete "
        "the codes when the consultation closes.",
        "no": "Responses count when they are sent. The forum's other protections still apply: "
        "limits on how many responses one device or network can send, and quarantine.",
    }
    NUMBERING_HINTS = {
        "automatic": "Questions are numbered 1, 2, 3 in order, counting on through the sections.",
        "own": "You give each question its number on its own form, for example “1.” or “3a”, "
        "so they match the document people are answering. A question without one is shown "
        "without a number.",
        "none": "Questions are shown by their words alone, on every page and in the results "
        "and downloads.",
    }
    SHARING_HINTS = {
        "yes": "Responders of the area's partner organisations (the council, health) can read, "
        "on the results page, the written answers of people who agreed to be quoted without "
        "their name. They never see the words of people who said not to quote them, or who "
        "sent them, or any names.",
        "no": "Responders see only the figures, the themes you build and their quotes from "
        "people who agreed to be quoted. Only the forum's organisers read the written answers.",
    }

    ANONYMITY_HINTS = {
        "yes": "Answers are kept without the person's name or account. Nobody, organisers "
        "included, can see who gave them.",
        "no": "Organisers can see who gave each answer. Nothing is shown publicly with a name.",
    }


class CopyForm(BaseForm):
    source = RadioField(
        "Which consultation's survey do you want to copy?",
        validators=[InputRequired("Choose the consultation to copy the survey from")],
    )

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source.choices = [
            SelectChoice(str(c.id), f"{c.title} ({count} question{'' if count == 1 else 's'})")
            for c, count in sources
        ]


class SectionForm(BaseForm):
    number = TextField(
        "Number (optional)",
        description="For example, Chapter 2 or B, as in the document people are answering. "
        "Shown before the title.",
        validators=[Optional(), MaxLength(NUMBER_MAX, "The number")],
    )
    title = TextField(
        "Title",
        description="For example, Getting support early.",
        validators=[DataRequired("Enter the section's title"), MaxLength(TITLE_MAX, "The title")],
    )
    intro = LongTextField(
        "Introduction (optional)",
        description="Shown under the heading, before the section's questions.",
        validators=[Optional(), MaxLength(INTRO_MAX, "The introduction")],
    )


class SectionChoice(SelectField):
    def pre_validate(self, form):
        if self.data and self.data not in {str(c.value) for c in self.choices}:
            raise ValidationError(
                "That section was deleted or moved meanwhile. Choose one of the sections listed"
            )


class KindForm(BaseForm):
    """Choosing the kind of a new question: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    kind = RadioField(
        "What kind of question is it?",
        choices=[SelectChoice(k.value, k.label) for k in QuestionKind],
        validators=[InputRequired("Choose the kind of question")],
    )
    HINTS = {k.value: k.description for k in QuestionKind}


class QuestionForm(BaseForm):
    number = TextField(
        "Number (optional)",
        description="Its number in the document people are answering, for example 1. or 3a.",
        validators=[Optional(), MaxLength(NUMBER_MAX, "The number")],
    )
    section = SectionChoice("Section", validators=[Optional()])
    prompt = TextField(
        "Question",
        description="Ask one thing, in everyday words.",
        validators=[DataRequired("Enter the question"), MaxLength(PROMPT_MAX, "The question")],
    )
    hint = LongTextField(
        "Hint (optional)",
        description="Shown under the question, to help people answer.",
        validators=[Optional(), MaxLength(HINT_MAX, "The hint")],
    )
    options = LongTextField(
        "Options",
        description="Write each option on its own line.",
        validators=[Optional(), MaxLength(OPTION_MAX * 40, "The options")],
    )
    has_other = YesNoField(
        "Add an “Other, please specify” answer?",
        required="Choose whether to add an “Other” answer",
    )
    scale_low_label = TextField(
        "Words for 1, the lowest point",
        description="For example, Very dissatisfied.",
        validators=[
            DataRequired("Enter the words for 1, the lowest point"),
            MaxLength(SCALE_LABEL_MAX, "The words for 1"),
        ],
    )
    scale_high_label = TextField(
        "Words for 5, the highest point",
        description="For example, Very satisfied.",
        validators=[
            DataRequired("Enter the words for 5, the highest point"),
            MaxLength(SCALE_LABEL_MAX, "The words for 5"),
        ],
    )
    min_value = WholeNumberField("Lowest number allowed (optional)", what="The lowest number")
    max_value = WholeNumberField("Highest number allowed (optional)", what="The highest number")
    max_words = WholeNumberField(
        "Most words allowed (optional)",
        what="The most words allowed",
        description="For example, 250. People see a count of words as they type, and answers "
        "with more are not accepted.",
    )
    max_length = WholeNumberField(
        "Most characters allowed",
        what="The most characters allowed",
        description=f"People see a count as they type. {LONG_TEXT_MAX:,} is about a page. You "
        "can leave it empty when you set a word limit.",
    )
    is_required = YesNoField(
        "Must people answer it?", required="Choose whether people must answer the question"
    )

    #: set by `question_form()`: the kind, the earlier questions it may depend on, and the
    #: question's current options
    kind: QuestionKind
    sources: tuple[Question, ...] = ()
    existing: tuple[dict, ...] = ()
    sections: tuple[Section, ...] = ()

    def __iter__(self):
        order = [
            "section",
            "number",
            "prompt",
            "hint",
            *(f"option_{o['value']}" for o in self.existing),
            "options",
            "has_other",
            "scale_low_label",
            "scale_high_label",
            "min_value",
            "max_value",
            "max_words",
            "max_length",
            "is_required",
            *(f"show_if_{q.id}" for q in self.sources),
        ]
        fields = [self._fields[name] for name in order if name in self._fields]
        rest = [f for f in self._fields.values() if f not in fields]
        return iter(fields + rest)

    @property
    def option_fields(self):
        return [self[f"option_{o['value']}"] for o in self.existing]

    @property
    def new_option_labels(self) -> list[str]:
        if "options" not in self:
            return []
        return [line.strip() for line in (self.options.data or "").split("\n") if line.strip()]

    def validate_options(self, field):
        for line in self.new_option_labels:
            if len(line) > OPTION_MAX:
                raise ValidationError(
                    f"Each option must be {OPTION_MAX} characters or fewer; one has {len(line):,}"
                )
        kept = [f for f in self.option_fields if (f.data or "").strip()]
        if len(kept) + len(self.new_option_labels) < 2:
            raise ValidationError("Give at least 2 options, each on its own line")

    def validate_max_length(self, field):
        low, high = LONG_TEXT_LIMITS
        if field.number is not None and not low <= field.number <= high:
            raise ValidationError(f"The most characters allowed must be between {low} and {high:,}")
        if not (field.data or "").strip() and self._word_limit() is None:
            raise ValidationError("Enter the most characters people can write, or the most words")

    def _word_limit(self) -> int | None:
        return self.max_words.number if "max_words" in self else None

    def validate_max_words(self, field):
        low, high = WORD_LIMITS
        if field.number is not None and not low <= field.number <= high:
            raise ValidationError(f"The most words allowed must be between {low} and {high:,}")

    def validate_max_value(self, field):
        low = self.min_value.number if "min_value" in self else None
        if low is not None and field.number is not None and field.number < low:
            raise ValidationError("The highest number must not be less than the lowest")

    @property
    def condition_fields(self):
        return [self[f"show_if_{q.id}"] for q in self.sources]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        ticked = [field for field in self.condition_fields if field.data]
        if len(ticked) > 1:
            ticked[1].errors = [
                *ticked[1].errors,
                "Choose answers to one earlier question only: a question can depend on one "
                "other question",
            ]
            valid = False
        return valid

    @property
    def source(self) -> Question | None:
        """The earlier question whose answers were ticked, if any."""
        for question in self.sources:
            if self[f"show_if_{question.id}"].data:
                return question
        return None

    def spec(self) -> QuestionSpec:
        """What the organiser asked for, for the services to check and save."""

        options = [(o["value"], self[f"option_{o['value']}"].data or "") for o in self.existing]
        section = None
        if "section" in self and self.section.data:
            section = next((s for s in self.sections if str(s.id) == self.section.data), None)
        options += [(None, label) for label in self.new_option_labels]
        source = self.source
        return QuestionSpec(
            kind=self.kind,
            prompt=self.prompt.data or "",
            hint=self.hint.data or "",
            is_required=self.is_required.is_yes,
            options=options,
            has_other="has_other" in self and self.has_other.is_yes,
            scale_low_label=self.scale_low_label.data if "scale_low_label" in self else "",
            scale_high_label=self.scale_high_label.data if "scale_high_label" in self else "",
            min_value=self.min_value.number if "min_value" in self else None,
            max_value=self.max_value.number if "max_value" in self else None,
            max_length=self.max_length.number if "max_length" in self else None,
            max_words=self._word_limit(),
            show_if_question=source,
            show_if_values=tuple(self[f"show_if_{source.id}"].data or ()) if source else (),
            section=section,
            # Left out (not numbering their own way): the question keeps the number it has.
            number=(self.number.data or "") if "number" in self else None,
        )


def question_form(
    kind: QuestionKind,
    *,
    question: Question | None = None,
    sources=(),
    data=None,
    sections=(),
    numbering: Numbering = Numbering.AUTOMATIC,
) -> QuestionForm:
    """The form for a question of `kind`: a new one, or `question` (perhaps changing kind).
    `sources` are the earlier choice questions it may depend on (named by `numbering`),
    `sections` the survey's sections to choose from; the own-number box is there only when
    the survey uses its own numbers."""
    existing = list(question.options or []) if question and kind.has_options else []
    fields = {}
    for number, option in enumerate(existing, start=1):
        fields[f"option_{option['value']}"] = TextField(
            f"Option {number}", validators=[MaxLength(OPTION_MAX, f"Option {number}")]
        )
    for source in sources:
        fields[f"show_if_{source.id}"] = AnswerChoices(
            source.numbered_prompt(numbering),
            choices=[SelectChoice(c["value"], c["label"]) for c in source.choices],
            validators=[Optional()],
        )
    form_class = type("QuestionForm", (QuestionForm,), fields)
    form = form_class(data=data)
    form.kind = kind
    form.sources = tuple(sources)
    form.existing = tuple(existing)
    form.sections = tuple(sections)
    if sections:
        form.section.choices = [SelectChoice("", "Before the first section")] + [
            SelectChoice(str(s.id), s.heading) for s in sections
        ]
    if question is not None and existing:
        form.options.label.text = "More options (optional)"
    unused = set()
    if not sections:
        unused.add("section")
    if numbering is not Numbering.OWN:
        unused.add("number")
    if not kind.has_options:
        unused.add("options")
    if not kind.can_have_other:
        unused.add("has_other")
    if kind is not QuestionKind.SCALE:
        unused |= {"scale_low_label", "scale_high_label"}
    if kind is not QuestionKind.NUMBER:
        unused |= {"min_value", "max_value"}
    if kind is not QuestionKind.LONG_TEXT:
        unused.add("max_length")
    if kind not in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        unused.add("max_words")
    for name in unused:
        delattr(form, name)
    if question is not None:
        # Several questions' forms can be open on the builder at once; ids must not clash.
        for each in form:
            each.id = f"q{question.id}-{each.name}"
    return form


def question_data(question: Question) -> dict:
    """A form's starting values from a question as it is."""
    data = {
        "prompt": question.prompt,
        "hint": question.hint,
        "is_required": yes_no(question.is_required),
        "has_other": yes_no(question.has_other),
        "scale_low_label": question.scale_low_label,
        "scale_high_label": question.scale_high_label,
        "min_value": "" if question.min_value is None else str(question.min_value),
        "max_value": "" if question.max_value is None else str(question.max_value),
        "max_length": _characters_shown(question),
        "max_words": "" if question.max_words is None else str(question.max_words),
        "section": str(question.section_id or ""),
        "number": question.number,
    }
    for option in question.options or []:
        data[f"option_{option['value']}"] = option["label"]
    if question.show_if_question_id:
        data[f"show_if_{question.show_if_question_id}"] = list(question.show_if_values)
    return data


def like_data(question: Question) -> dict:
    """A new question's starting values for "Add another like this one": the settings of
    `question` (required, limits, options, the words of a scale, "Other", its section) with the
    question's own words, number, hint and show-if condition left for the organiser to write."""
    data = question_data(question)
    for name in [k for k in data if k.startswith(("option_", "show_if_"))]:
        del data[name]
    data["prompt"] = ""
    data["hint"] = ""
    data["number"] = ""
    data["options"] = "\n".join(o["label"] for o in question.options or [])
    return data


def _characters_shown(question: Question) -> str:
    if question.max_length is None:
        # A word limit alone: the box stays empty, as the organiser left it.
        return "" if question.max_words is not None else str(LONG_TEXT_MAX)
    return str(question.max_length)


def new_question_data(kind: QuestionKind, sections=()) -> dict:
    """A new question's starting values: in the last section, if there are any."""
    data = {
        "section": str(sections[-1].id) if sections else "",
        "is_required": "yes",
        "has_other": "no",
        "max_length": str(LONG_TEXT_MAX),
    }
    if kind is QuestionKind.CONSENT:
        data["prompt"] = CONSENT_PROMPT
        data["hint"] = (
            "We will only quote what you write, never your name or anything that could "
            "identify you or your child."
        )
    if kind is QuestionKind.SCALE:
        data["scale_low_label"] = "Very dissatisfied"
        data["scale_high_label"] = "Very satisfied"
    return data


class PasteForm(BaseForm):
    """Questions pasted as a list (`importing.read_paste`). The list is cleaned line by line
    there, so the line numbers in its report are the ones the organiser sees."""

    questions = TextAreaField(
        "Questions",
        description="One question on each line. Start a line with ## to make it a section "
        "heading, like ## Education. A number at the start of a line, like 1. or 3a), is kept "
        "as the question's own number.",
        validators=[DataRequired("Enter the questions, one on each line")],
    )
    kind = RadioField(
        "What kind of questions are they?",
        choices=[SelectChoice(k.value, k.label) for k in PASTE_KINDS],
        default=QuestionKind.LONG_TEXT.value,
        validators=[InputRequired("Choose the kind of questions")],
    )
    max_words = WholeNumberField(
        "Most words allowed in each answer (optional)",
        what="The most words allowed",
        description="For written answers, for example 250. Leave it empty for no word limit.",
    )
    is_required = YesNoField(
        "Must people answer them?",
        required="Choose whether people must answer the questions",
        default="no",
    )

    def validate_max_words(self, field):
        low, high = WORD_LIMITS
        if field.number is not None and not low <= field.number <= high:
            raise ValidationError(f"The most words allowed must be between {low} and {high:,}")


class UploadForm(BaseForm):
    file = FileField("CSV file")
