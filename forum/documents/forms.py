"""Forms for adding, relabelling and moving documents, asking for another format and
answering a request."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from forum.accounts.forms import email_address
from forum.documents.models import DocumentFormat
from forum.web.forms import BaseForm, Choice, LongTextField, MaxLength, TextField

FORMATS = [SelectChoice(f.value, f.label) for f in DocumentFormat]
#: what people can ask for (a "full document" is the page itself)
ASKABLE = [c for c in FORMATS if c.value != DocumentFormat.FULL.value]


class _Label:
    format = Choice(
        "Which version is it?",
        choices=FORMATS,
        what="which version it is",
        validators=[InputRequired("Choose which version it is")],
    )
    language = TextField(
        "Which language?",
        description="Only for another language, for example Polish or Urdu.",
        validators=[Optional(), MaxLength(60, "The language")],
    )


class UploadForm(_Label, BaseForm):
    file = FileField("File")
    title = TextField(
        "Title (optional)",
        description="Leave blank to use the file’s name.",
        validators=[Optional(), MaxLength(200, "The title")],
    )


class LinkForm(_Label, BaseForm):
    link_url = TextField(
        "Link",
        description="The full address, starting https://, for example a BSL video on YouTube.",
        validators=[DataRequired("Enter the link, starting https://"), MaxLength(500, "The link")],
    )
    title = TextField(
        "Title",
        description="For example, “BSL video of the consultation”.",
        validators=[DataRequired("Enter a title"), MaxLength(200, "The title")],
    )


class RelabelForm(_Label, BaseForm):
    title = TextField(
        "Title", validators=[DataRequired("Enter a title"), MaxLength(200, "The title")]
    )


class MoveForm(BaseForm):
    position = TextField("Move to position", validators=[DataRequired("Enter a position, like 1")])


class AskForm(BaseForm):
    format = Choice(
        "Which format do you need?",
        choices=ASKABLE,
        what="the format you need",
        validators=[InputRequired("Choose the format you need")],
    )
    language = TextField(
        "Which language?",
        description="Only if you chose another language.",
        validators=[Optional(), MaxLength(60, "The language")],
    )
    note = LongTextField(
        "Anything else we should know (optional)",
        description="For example, the size of print you need. Do not include anything about "
        "your child’s needs or health.",
        validators=[Optional(), MaxLength(1000, "Your note")],
    )
    email = TextField(
        "Your email address",
        description="So the forum can send it to you or reply.",
        validators=[Optional(), email_address],
    )


class AnswerForm(BaseForm):
    answer = LongTextField(
        "Your answer",
        description="It is emailed to the person who asked, for example with a link to the new "
        "version or when to expect it.",
        validators=[DataRequired("Write a short answer"), MaxLength(2000, "The answer")],
    )
