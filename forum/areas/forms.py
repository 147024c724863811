"""Area forms."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, Field, RadioField, SelectChoice, SelectField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Optional,
    StopValidation,
    ValidationError,
)

from forum.accounts.forms import email_address
from forum.areas.invitations import NAME_MAX
from forum.areas.models import PartnerKind, Role
from forum.areas.renewal import DAY_CHOICES
from forum.areas.services import REASON_MAX, SLUG, brand_colour_problem
from forum.web.forms import BaseForm, LongTextField, MaxLength, TextField


def _colour(form, field):
    field.data = (field.data or "").strip().lower()
    problem = brand_colour_problem(field.data)
    if problem:
        raise ValidationError(problem)


def _slug(form, field):
    field.data = (field.data or "").strip().lower()
    if not SLUG.match(field.data):
        raise ValidationError(
            "The web address can only use lowercase letters, numbers and single hyphens, "
            "like north-shire"
        )


class JoinForm(BaseForm):
    note = LongTextField(
        "Anything you would like the organisers to know (optional)",
        description="For example, which part of the area you live in. Please do not include "
        "details about your child's needs or health.",
        validators=[Optional(), MaxLength(500, "Your note")],
    )
    #: unticked unless the person ticks it: newsletters need their opt-in
    wants_newsletters = BooleanField("Send me the forum's newsletters", default=False)


#: more than a page of requests (50) is never sent by the page itself
MOST_AT_ONCE = 100


class _RequestIds(Field):
    """The ticked requests: whole numbers only, a few at most, each once."""

    def process_formdata(self, valuelist):
        self.data = []
        for value in valuelist:
            value = value.strip()
            if not (value.isascii() and value.isdigit()) or len(value) > 12:
                self.data = None
                return
            if int(value) not in self.data:
                self.data.append(int(value))

    def pre_validate(self, form):
        if self.data is None:
            raise StopValidation("Choose requests from the list")
        if not self.data:
            raise StopValidation("Select at least one request")
        if len(self.data) > MOST_AT_ONCE:
            raise StopValidation(f"Select at most {MOST_AT_ONCE} requests at a time")


class RequestsForm(BaseForm):
    """Approve or decline the ticked requests: the page's two buttons send `decision`."""

    requests = _RequestIds("Requests to join")
    decision = RadioField(
        "What to do",
        choices=[
            SelectChoice("approve", "Approve selected"),
            SelectChoice("decline", "Decline selected"),
        ],
        validate_choice=False,
        validators=[
            InputRequired("Choose Approve selected or Decline selected"),
            AnyOf(("approve", "decline"), "Choose Approve selected or Decline selected"),
        ],
    )


class AreaProfileForm(BaseForm):
    forum_name = TextField(
        "Forum name",
        validators=[DataRequired("Enter the forum's name"), MaxLength(120, "The forum's name")],
    )
    forum_description = LongTextField(
        "About the forum",
        description="A few sentences shown on the area's home page.",
        validators=[Optional(), MaxLength(2000, "The description")],
    )
    brand_colour = TextField(
        "Brand colour",
        description="A hex code like #1d70b8. White text must be readable on it.",
        validators=[DataRequired("Enter a brand colour"), _colour],
    )


class NewAreaForm(AreaProfileForm):
    name = TextField(
        "Local area name",
        description="The local authority area, for example Northshire.",
        validators=[DataRequired("Enter the area's name"), MaxLength(120, "The area's name")],
    )
    slug = TextField(
        "Web address",
        description="Used in links, for example northshire. Lowercase letters, numbers and "
        "hyphens.",
        validators=[DataRequired("Enter a web address"), MaxLength(60, "The web address"), _slug],
    )

    field_order = ("name", "slug", "forum_name", "forum_description", "brand_colour")

    def __iter__(self):
        ordered = [self._fields[name] for name in self.field_order]
        rest = [f for n, f in self._fields.items() if n not in self.field_order]
        return iter(ordered + rest)


class PartnerForm(BaseForm):
    name = TextField(
        "Organisation name",
        validators=[
            DataRequired("Enter the organisation's name"),
            MaxLength(160, "The organisation's name"),
        ],
    )
    kind = RadioField(
        "What kind of organisation is it?",
        choices=[SelectChoice(k.value, k.label) for k in PartnerKind],
        validators=[InputRequired("Choose what kind of organisation it is")],
    )


ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]
ROLE_HINTS = {
    Role.MEMBER.value: "Takes part in consultations, surveys and discussions.",
    Role.ORGANISER.value: "Runs the forum here: approves members, runs consultations.",
    Role.RESPONDER.value: "Answers for a partner organisation and updates commitments.",
}


class _RoleFields(BaseForm):
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[InputRequired("Choose a role")])
    partner_id = SelectField("Organisation they respond for", coerce=str, validators=[Optional()])

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_id.choices = [SelectChoice("", "Choose an organisation")] + [
            SelectChoice(str(p.id), p.name) for p in partners
        ]

    def validate_partner_id(self, field):
        if self.role.data == Role.RESPONDER.value and not field.data:
            raise ValidationError("Choose the organisation this responder speaks for")

    @property
    def partner_value(self) -> int | None:
        return int(self.partner_id.data) if (self.partner_id.data or "").isdigit() else None


class RoleForm(_RoleFields):
    pass


class AppointForm(_RoleFields):
    email = TextField(
        "Their email address",
        description="They need a Coproduce account already.",
        validators=[DataRequired("Enter their email address"), email_address],
    )
    field_order = ("email", "role", "partner_id")

    def __iter__(self):
        ordered = [self._fields[name] for name in self.field_order]
        rest = [f for n, f in self._fields.items() if n not in self.field_order]
        return iter(ordered + rest)


class InviteForm(BaseForm):
    """Invite one person by email."""

    email = TextField(
        "Email address",
        description="We will email them a link to join. They are not a member until they accept.",
        validators=[DataRequired("Enter their email address"), email_address],
    )
    name = TextField(
        "Their name (optional)",
        description="Used to greet them in the email.",
        validators=[Optional(), MaxLength(NAME_MAX, "Their name")],
    )


class InviteListForm(BaseForm):
    """Invite everyone on a CSV list (checked whole first)."""

    file = FileField("CSV file")


class RemoveForm(BaseForm):
    reason = LongTextField(
        "Why are you removing them?",
        description="Only the forum's organisers see this. The person is told they have been "
        "removed, not why.",
        validators=[
            DataRequired("Enter why you are removing them"),
            MaxLength(REASON_MAX, "The reason"),
        ],
    )


class RenewalForm(BaseForm):
    is_renewal_on = BooleanField("Ask members once a year to confirm they want to stay")
    renewal_days = RadioField(
        "How long do members have to answer?",
        description="Members who do not answer in time stop getting the forum's emails for "
        "members. They can renew from their account at any time.",
        choices=[SelectChoice(str(days), f"{days} days") for days in DAY_CHOICES],
        validators=[InputRequired("Choose how long members have to answer")],
    )
