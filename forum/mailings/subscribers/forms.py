"""Subscribing with an email address."""

from __future__ import annotations

from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import DataRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.accounts.forms import email_address
from forum.notifications.topics import SUBSCRIBER_TOPICS, Topic
from forum.web.forms import BaseForm, TextField


class TopicChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        if any(value not in {t.value for t in SUBSCRIBER_TOPICS} for value in self.data or ()):
            raise ValidationError("Choose from the kinds of email listed")


def _not_too_long(form, field):
    # checked before the format, so a very long address is told the right thing
    if len(field.data or "") > 254:
        raise ValidationError("Email address must be 254 characters or fewer")


class SubscribeForm(BaseForm):
    email = TextField(
        "Email address",
        validators=[
            DataRequired("Enter your email address"),
            _not_too_long,
            email_address,
        ],
    )
    topics = TopicChoices(
        "What would you like emails about?",
        description="Select all that apply.",
        choices=[SelectChoice(t.value, t.label) for t in SUBSCRIBER_TOPICS],
        validators=[DataRequired("Choose at least one kind of email")],
    )

    def chosen(self) -> list[Topic]:
        return [Topic(value) for value in self.topics.data or ()]
