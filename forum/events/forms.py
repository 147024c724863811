"""Event forms."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, SelectMultipleField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.accounts.forms import email_address
from forum.consultations.models import Audience
from forum.events.models import (
    ADULTS_MAX,
    CAPACITY_MAX,
    ITEM_MAX,
    KEEP_NEEDS_DAYS,
    PEOPLE_MAX,
    AccessChoice,
    NoteVisibility,
)
from forum.events.services import KEEP_DAYS_MAX, KEEP_DAYS_MIN
from forum.web.forms import (
    BaseForm,
    Choice,
    DateField,
    LondonDateTimeField,
    LongTextField,
    MaxLength,
    TextField,
)


class Ticks(SelectMultipleField):
    """Checkboxes; a value not on the list (a stale page, a script) is left out, not shown as
    an error."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        pass

    @property
    def chosen(self) -> set[str]:
        known = {str(c.value if isinstance(c, SelectChoice) else c[0]) for c in self.choices or []}
        return {str(v) for v in self.data or []} & known


class WholeNumber:
    """Blank, or a whole number from `low` to `high`, with a message that says which."""

    def __init__(self, low: int, high: int, what: str):
        self.low, self.high, self.what = low, high, what

    def __call__(self, form, field):
        text = (field.data or "").strip().replace(",", "")
        if not text:
            return
        if not text.isdigit() or not self.low <= int(text) <= self.high:
            raise ValidationError(
                f"{self.what} must be a whole number from {self.low} to {self.high:,}"
            )


def whole(field) -> int | None:
    text = (field.data or "").strip().replace(",", "")
    return int(text) if text.isdigit() else None


def _moment(label: str, what: str, default_time: str) -> LondonDateTimeField:
    def required(form, field):
        if field.data is None and not field.process_errors:
            raise ValidationError(f"Enter the {what.lower()}")

    return LondonDateTimeField(
        label,
        what=what,
        default_time=default_time,
        description=f"For example, 27 3 2027. Time in UK time, like {default_time}.",
        validators=[required],
    )


HOW = [SelectChoice("in_person", "In person"), SelectChoice("online", "Online")]
FEATURES = [
    SelectChoice("has_step_free_access", "Step-free access"),
    SelectChoice("has_parking", "Parking"),
    SelectChoice("has_quiet_room", "A quiet room"),
    SelectChoice("has_hearing_loop", "A hearing loop"),
]
YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No, anyone can come")]


class EventForm(BaseForm):
    title = TextField(
        "Title",
        description="For example, “Coffee morning: starting secondary school”.",
        validators=[DataRequired("Enter a title"), MaxLength(160, "The title")],
    )
    description = LongTextField(
        "What is it about? (optional)",
        description="You can use **bold**, lists starting with -, and links.",
        validators=[Optional(), MaxLength(10000, "The description")],
    )
    starts_at = _moment("Starts", "Start", "10:00")
    ends_at = _moment("Ends", "End", "12:00")
    how = Ticks("How can people take part?", choices=HOW, default=["in_person"])
    address = LongTextField(
        "Address (if in person)",
        description="Where to come, with the postcode.",
        validators=[Optional(), MaxLength(1000, "The address")],
    )
    features = Ticks("What does the venue have? (if in person)", choices=FEATURES)
    accessibility_notes = LongTextField(
        "Anything else about access (optional)",
        description="For example, the nearest bus stop, or which entrance has the ramp.",
        validators=[Optional(), MaxLength(2000, "The access information")],
    )
    online_link = TextField(
        "Link to join online (if online)",
        description="Only people with a place, and the forum's organisers, see it.",
        validators=[Optional(), MaxLength(500, "The link to join online")],
    )
    needs_registration = RadioField(
        "Do people need to register?",
        choices=YES_NO,
        default="yes",
        validators=[InputRequired("Say whether people need to register")],
    )
    capacity = TextField(
        "Number of places",
        description=f"Adults, from 1 to {CAPACITY_MAX:,}. Needed when people register; when "
        "they do not, leave it blank or give the size of the room.",
        validators=[WholeNumber(1, CAPACITY_MAX, "The number of places")],
    )
    audience = RadioField(
        "Who can come?",
        choices=[SelectChoice(a.value, a.label) for a in Audience],
        default=Audience.PUBLIC.value,
        validators=[InputRequired("Choose who can come")],
    )
    keep_needs_days = TextField(
        "Days to keep access and dietary needs after the event",
        description=f"What people tell you about their needs is erased this many days after "
        f"the event ends: {KEEP_NEEDS_DAYS} unless you choose otherwise.",
        default=str(KEEP_NEEDS_DAYS),
        validators=[
            DataRequired("Enter the number of days"),
            WholeNumber(KEEP_DAYS_MIN, KEEP_DAYS_MAX, "The number of days"),
        ],
    )
    consultation_id = Choice(
        "Linked consultation (optional)", what="a consultation", validators=[Optional()]
    )
    priorities = Ticks("Which priorities of the local plan is it about? (optional)")

    def __init__(self, *args, consultations=(), plan_priorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation_id.choices = [SelectChoice("", "None")] + [
            SelectChoice(str(c.id), c.title) for c in consultations
        ]
        self.priorities.choices = [SelectChoice(str(p.id), p.label) for p in plan_priorities]

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError("The end must be after the start")

    @property
    def priority_ids(self) -> set[int]:
        return {int(v) for v in self.priorities.chosen}

    @property
    def consultation_value(self) -> int | None:
        value = self.consultation_id.data or ""
        return int(value) if str(value).isdigit() else None

    def fields(self) -> dict:
        """What the services take, from a valid form."""
        how, features = self.how.chosen, self.features.chosen
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "starts_at": self.starts_at.data,
            "ends_at": self.ends_at.data,
            "is_in_person": "in_person" in how,
            "address": self.address.data or "",
            "has_step_free_access": "has_step_free_access" in features,
            "has_parking": "has_parking" in features,
            "has_quiet_room": "has_quiet_room" in features,
            "has_hearing_loop": "has_hearing_loop" in features,
            "accessibility_notes": self.accessibility_notes.data or "",
            "is_online": "online" in how,
            "online_link": self.online_link.data or "",
            "needs_registration": self.needs_registration.data == "yes",
            "capacity": whole(self.capacity),
            "audience": Audience(self.audience.data),
            "keep_needs_days": whole(self.keep_needs_days) or KEEP_NEEDS_DAYS,
        }

    @classmethod
    def data_of(cls, event) -> dict:
        """An event as the form's starting values."""
        return {
            "title": event.title,
            "description": event.description,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "how": [
                v
                for v, on in (("in_person", event.is_in_person), ("online", event.is_online))
                if on
            ],
            "address": event.address,
            "features": [c.value for c in FEATURES if getattr(event, c.value)],
            "accessibility_notes": event.accessibility_notes,
            "online_link": event.online_link,
            "needs_registration": "yes" if event.needs_registration else "no",
            "capacity": str(event.capacity) if event.capacity is not None else "",
            "audience": event.audience.value,
            "keep_needs_days": str(event.keep_needs_days),
            "consultation_id": str(event.consultation_id or ""),
            "priorities": [str(p.id) for p in event.priorities],
        }


class CancelForm(BaseForm):
    reason = LongTextField(
        "Why is it cancelled?",
        description="Shown on the event page and in the email to everyone registered.",
        validators=[DataRequired("Say why it is cancelled"), MaxLength(1000, "The reason")],
    )


ACCESS = [SelectChoice(c.value, c.label) for c in AccessChoice]


class RegistrationForm(BaseForm):
    """The few questions a forum needs to welcome people. Someone without an account also
    gives a name and an email address (`with_address`)."""

    name = TextField(
        "Your name",
        validators=[MaxLength(120, "Your name")],
    )
    email = TextField(
        "Your email address",
        description="We send a link to it: your place is booked once you follow the link.",
        validators=[MaxLength(254, "Your email address")],
    )
    adults = TextField(
        "How many adults are coming, including you?",
        default="1",
        validators=[
            DataRequired("Enter how many adults are coming"),
            WholeNumber(1, ADULTS_MAX, "The number of adults"),
        ],
    )
    access_choices = Ticks(
        "Do you need any of these? (optional)",
        choices=ACCESS,
        description="Only the forum's organisers see what you tell us about your needs, and "
        "it is erased after the event.",
    )
    access_needs = LongTextField(
        "Anything else we can do to help you take part? (optional)",
        validators=[Optional(), MaxLength(1000, "Your access needs")],
    )
    dietary_needs = LongTextField(
        "Dietary needs (optional)",
        description="For example, vegetarian, or a food allergy.",
        validators=[Optional(), MaxLength(500, "Your dietary needs")],
    )

    def __init__(self, *args, with_address: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_address = with_address
        if not with_address:
            del self.name
            del self.email

    def validate_email(self, field):
        if not self.with_address:
            return
        if not (field.data or "").strip():
            raise ValidationError("Enter your email address")
        email_address(self, field)

    def validate_name(self, field):
        if self.with_address and not (field.data or "").strip():
            raise ValidationError("Enter your name")

    def fields(self) -> dict:
        return {
            "name": (self.name.data or "").strip() if self.with_address else "",
            "email": (self.email.data or "").strip().lower() if self.with_address else None,
            "adults": whole(self.adults) or 1,
            "access_choices": [AccessChoice(v) for v in self.access_choices.chosen],
            "access_needs": self.access_needs.data or "",
            "dietary_needs": self.dietary_needs.data or "",
        }


# --- what was heard ----------------------------------------------------------------------------

VISIBILITIES = [SelectChoice(v.value, v.label) for v in NoteVisibility]


class NoteForm(BaseForm):
    summary = LongTextField(
        "Summary (optional)",
        description="How the event went, in a few sentences. You can use **bold**, lists "
        "starting with -, and links.",
        validators=[Optional(), MaxLength(5000, "The summary")],
    )
    visibility = RadioField(
        "Who can read these notes?",
        choices=VISIBILITIES,
        default=NoteVisibility.ORGANISERS.value,
        validators=[InputRequired("Choose who can read these notes")],
    )

    @staticmethod
    def data_of(note) -> dict:
        return {"summary": note.summary, "visibility": note.visibility.value}


class NoteItemForm(BaseForm):
    text = LongTextField(
        "What was raised",
        description="One point, in a sentence or two. Do not name children or describe their "
        "needs.",
        validators=[DataRequired("Enter what was raised"), MaxLength(ITEM_MAX, "What was raised")],
    )
    people = TextField(
        "How many people raised it (optional)",
        description="Only if you know. It counts towards the people behind a theme.",
        validators=[WholeNumber(1, PEOPLE_MAX, "The number of people")],
    )


class NoteItemCodesForm(BaseForm):
    codes = Ticks(
        "Codes for this point",
        description="The codes of the linked consultation's survey. A theme with one of these "
        "codes as evidence counts this point too.",
    )

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.codes.choices = [SelectChoice(str(c.id), c.name) for c in codes]

    @property
    def code_ids(self) -> set[int]:
        return {int(v) for v in self.codes.chosen}


class NoteActionForm(BaseForm):
    what = TextField(
        "What was agreed",
        validators=[DataRequired("Enter what was agreed"), MaxLength(300, "What was agreed")],
    )
    owner = TextField(
        "Who will do it (optional)",
        description="A name, a role or an organisation.",
        validators=[Optional(), MaxLength(120, "Who will do it")],
    )
    due_on = DateField(
        "Due date (optional)", what="The due date", description="For example, 31 3 2027"
    )
