"""Discussion forms: boards, threads, posts and the area's setting for new members."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from forum.discussions.models import Visibility
from forum.discussions.services import BODY_MAX, DESCRIPTION_MAX, NAME_MAX, TITLE_MAX
from forum.web.forms import BaseForm, LongTextField, MaxLength, TextField

POST_HINT = (
    "You can use **bold**, *italic*, lists starting with -, and quotes starting with >. "
    "Do not include names, phone numbers, email addresses or NHS numbers."
)


def _body(label: str = "Your post"):
    return LongTextField(
        label,
        description=POST_HINT,
        validators=[DataRequired(f"Write {label.lower()}"), MaxLength(BODY_MAX, label)],
    )


class ThreadForm(BaseForm):
    title = TextField(
        "Title",
        description="A few words that tell people what the thread is about.",
        validators=[DataRequired("Enter a title"), MaxLength(TITLE_MAX, "The title")],
    )
    body = _body()


class ReplyForm(BaseForm):
    body = _body("Your reply")
    #: the post being quoted, checked by the view (it must be in the same thread)
    quotes_id = HiddenField()


class EditPostForm(BaseForm):
    body = _body()


class BoardForm(BaseForm):
    name = TextField(
        "Name",
        description="For example “Getting support at school”.",
        validators=[DataRequired("Enter a name for the board"), MaxLength(NAME_MAX, "The name")],
    )
    description = LongTextField(
        "Description (optional)",
        description="One or two sentences about what people talk about here.",
        validators=[Optional(), MaxLength(DESCRIPTION_MAX, "The description")],
    )
    visibility = RadioField(
        "Who can read it?",
        choices=[SelectChoice(v.value, v.label) for v in Visibility],
        default=Visibility.MEMBERS.value,
        validators=[InputRequired("Choose who can read the board")],
    )


def _zero_to_twenty(form, field):
    value = field.data or ""
    if not (value.isdigit() and len(value) <= 2 and int(value) <= 20):
        raise ValidationError("Enter a number from 0 to 20, like 3")


class SettingsForm(BaseForm):
    approve_first_posts = TextField(
        "How many of a new member's first posts need an organiser's approval?",
        description="Enter 0 if new members' posts can appear straight away. At most 20.",
        validators=[DataRequired("Enter a number from 0 to 20"), _zero_to_twenty],
    )
