"""The forms of the inspection evidence pack: the window to preview, and a new share."""

from __future__ import annotations

from wtforms.validators import DataRequired

from forum.web.forms import BaseForm, DateField, MaxLength, TextField


class WindowForm(BaseForm):
    """The inspection window, sent with GET: previewing changes nothing, so it carries no
    CSRF token (the view makes it with `meta={"csrf": False}`). Empty, impossible, future,
    reversed and over-long windows are refused beside their field (`periods.checked`)."""

    start = DateField(
        "Start of the inspection window",
        what="The start of the window",
        description="For example, 1 4 2025",
    )
    end = DateField(
        "End of the inspection window",
        what="The end of the window",
        description="For example, 31 3 2026",
    )


class ShareForm(WindowForm):
    """A share of the pack for one window with a named partner, until a day of the
    organiser's choosing."""

    partner_name = TextField(
        "Who is it for?",
        description="A role, not a family: for example, “the council’s SEND lead” or "
        "“the lead inspector”.",
        validators=[DataRequired("Enter who the link is for"), MaxLength(120, "Who it is for")],
    )
    organisation = TextField(
        "Their organisation",
        description="For example, “Northshire Council” or “Ofsted and CQC”.",
        validators=[
            DataRequired("Enter their organisation"),
            MaxLength(160, "The organisation"),
        ],
    )
    expires_on = DateField(
        "The link works until",
        what="The last day the link works",
        description="8 weeks from today unless you choose another day; at most 6 months.",
    )
