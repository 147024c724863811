"""Forms for meetings, their actions, and turning an action into a commitment."""

from __future__ import annotations

from wtforms import BooleanField, SelectChoice, SelectMultipleField
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.representation import services
from forum.web.forms import BaseForm, Choice, DateField, LongTextField, MaxLength, TextField


class Ticks(SelectMultipleField):
    """Checkboxes whose values are row ids; ids that are not offered (another area's, or
    gone since the page was shown) are left out by the view rather than shown as errors."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        pass

    @property
    def ids(self) -> list[int]:
        offered = {
            str(c.value if isinstance(c, SelectChoice) else c[0]) for c in self.choices or ()
        }
        return [int(v) for v in self.data or () if str(v) in offered and str(v).isdigit()]


#: the public switches, as the form's checkbox values
PUBLIC_PARTS = [
    SelectChoice("meeting", "The meeting: its name, the organisation and the date"),
    SelectChoice("raised", "What the forum raised: the summary, themes and priorities"),
    SelectChoice("agreed", "What was agreed: the actions and whether they are done"),
]


def required_date(what: str):
    def check(form, field):
        if field.data is None and not field.process_errors:
            raise ValidationError(f"Enter {what}")

    return check


class MeetingForm(BaseForm):
    name = TextField(
        "Name of the meeting",
        description="For example, “SEND Partnership Board” or “Autism pathway working group”.",
        validators=[DataRequired("Enter the name of the meeting"), MaxLength(200, "The name")],
    )
    partner_id = Choice("Whose meeting was it?", what="an organisation", choices=[], default="")
    partner_name = TextField(
        "If it is not on the list, the organisation’s name",
        description="For example, a school trust or a charity.",
        validators=[Optional(), MaxLength(160, "The organisation’s name")],
    )
    held_on = DateField(
        "Date of the meeting",
        what="The date of the meeting",
        description="For example, 14 11 2026",
        validators=[required_date("the date of the meeting")],
    )
    members = Ticks("Members of the forum who went", choices=[])
    other_people = LongTextField(
        "Other people who went for the forum (optional)",
        description="People without an account here: one name on each line.",
        validators=[Optional(), MaxLength(4000, "The names")],
    )
    themes = Ticks("Themes raised (what parents said)", choices=[])
    priorities = Ticks("Plan priorities raised", choices=[])
    summary = LongTextField(
        "What the forum raised (optional)",
        description="Plain words for parents and carers. Do not name children or families. "
        "You can use **bold**, lists starting with - and links.",
        validators=[Optional(), MaxLength(10000, "The summary")],
    )
    public = Ticks(
        "What is public on “Where we represented you”",
        description="Nothing is public until you tick the meeting. Who went is never public.",
        choices=PUBLIC_PARTS,
    )

    def __init__(self, *args, partners=(), members=(), themes=(), priorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_id.choices = [
            SelectChoice("", "Another organisation (type its name below)")
        ] + [SelectChoice(str(p.id), p.name) for p in partners]
        self.members.choices = [SelectChoice(str(i), name) for i, name in members]
        self.themes.choices = [SelectChoice(str(i), label) for i, label in themes]
        self.priorities.choices = [SelectChoice(str(i), label) for i, label in priorities]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.partner_id.data and not self.partner_name.data and not self.partner_name.errors:
            self.partner_name.errors = [
                *self.partner_name.errors,
                "Choose the organisation, or type its name if it is not on the list",
            ]
            return False
        return valid

    @property
    def partner_value(self) -> int | None:
        value = str(self.partner_id.data or "")
        return int(value) if value.isdigit() else None

    @property
    def people_names(self) -> list[str]:
        return [line for line in (self.other_people.data or "").splitlines() if line.strip()]

    @property
    def public_parts(self) -> set[str]:
        return {str(v) for v in self.public.data or ()}


class AgreedActionForm(BaseForm):
    text = LongTextField(
        "What was agreed",
        description="One action, like “The council will publish the new short breaks statement”.",
        validators=[
            DataRequired("Enter what was agreed"),
            MaxLength(services.ACTION_MAX, "What was agreed"),
        ],
    )
    owner = TextField(
        "Who owns it (optional)",
        description="For example, “Council SEND team” or “The forum”.",
        validators=[Optional(), MaxLength(services.OWNER_MAX, "Who owns it")],
    )
    due_on = DateField(
        "Due date (optional)", what="The due date", description="For example, 31 3 2027"
    )
    is_done = BooleanField("It is done")

    def action_fields(self) -> dict:
        """What `services.add_action` and `update_action` take from the form."""
        return {
            "text": self.text.data or "",
            "owner": self.owner.data or "",
            "due_on": self.due_on.data,
            "is_done": bool(self.is_done.data),
        }


class CommitmentForm(BaseForm):
    priority_id = Choice("Which priority of the plan is it under?", what="a priority", choices=[])
    partner_id = Choice("Which organisation owns it?", what="an organisation", choices=[])

    def __init__(self, *args, priorities=(), partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.priority_id.choices = [SelectChoice("", "Choose a priority")] + [
            SelectChoice(str(i), label) for i, label in priorities
        ]
        self.partner_id.choices = [SelectChoice("", "Choose an organisation")] + [
            SelectChoice(str(p.id), p.name) for p in partners
        ]

    def validate_priority_id(self, field):
        if not str(field.data or "").isdigit():
            raise ValidationError("Choose the priority the commitment is under")

    def validate_partner_id(self, field):
        if not str(field.data or "").isdigit():
            raise ValidationError("Choose the organisation that owns the commitment")
