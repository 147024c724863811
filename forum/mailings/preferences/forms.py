"""The form of one forum's choices: a set of radios per kind of email."""

from __future__ import annotations

import secrets

from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired, StopValidation

from forum.notifications.topics import SUBSCRIBER_TOPICS, Frequency, Topic
from forum.web.forms import BaseForm

FREQUENCY_CHOICES = [SelectChoice(f.value, f.label) for f in Frequency]


class FrequencyField(RadioField):
    """One kind of email's radios; anything but one of the options gets the same plain
    message (WTForms would say "Not a valid choice")."""

    def __init__(self, topic: Topic, **kwargs):
        self.message = f"Choose how often you want {topic.label.lower()} emails"
        super().__init__(
            topic.label,
            description=topic.hint,
            choices=FREQUENCY_CHOICES,
            validators=[InputRequired(self.message)],
            **kwargs,
        )

    def pre_validate(self, form):
        if self.data not in {f.value for f in Frequency}:
            raise StopValidation(self.message)


def _radios(topic: Topic) -> FrequencyField:
    return FrequencyField(topic)


class _ChoicesForm(BaseForm):
    topics: tuple[Topic, ...] = ()

    @classmethod
    def filled(cls, chosen: dict[Topic, Frequency], **kwargs):
        """The form showing `chosen` (for a GET: nothing is read from the request)."""
        form = cls(formdata=None, data={t.value: chosen[t].value for t in cls.topics}, **kwargs)
        if not form.submission_key.data:  # shown again beside another form that was sent
            form.submission_key.data = secrets.token_urlsafe(12)
        return form

    def topic_fields(self):
        return [(topic, self[topic.value]) for topic in self.topics]

    def wanted(self) -> dict[Topic, Frequency]:
        return {topic: Frequency(self[topic.value].data) for topic in self.topics}


class MemberChoicesForm(_ChoicesForm):
    """An account's choices for one forum (on a page of several: give each a `prefix`)."""

    topics = tuple(Topic)


class SubscriberChoicesForm(_ChoicesForm):
    """A public subscriber's choices: the public kinds only."""

    topics = SUBSCRIBER_TOPICS


for _form, _topics in (
    (MemberChoicesForm, tuple(Topic)),
    (SubscriberChoicesForm, SUBSCRIBER_TOPICS),
):
    for _topic in _topics:
        setattr(_form, _topic.value, _radios(_topic))
