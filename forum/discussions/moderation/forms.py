"""Moderation forms: reporting a post, and the organisers' hide, lock and suspend forms."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectChoice
from wtforms.validators import DataRequired, InputRequired

from forum.discussions.models import ReportReason
from forum.discussions.moderation.services import REASON_MAX
from forum.web.forms import BaseForm, LongTextField, MaxLength

#: how long an organiser can stop someone posting
SUSPEND_DAYS = {"1": "1 day", "7": "7 days", "30": "30 days"}


class ReportForm(BaseForm):
    reason = RadioField(
        "Why are you reporting this post?",
        choices=[SelectChoice(r.value, r.label) for r in ReportReason],
        validators=[InputRequired("Choose why you are reporting this post")],
    )
    detail = LongTextField(
        "Anything else the organisers should know (optional)",
        description="Do not include anyone's personal details.",
        validators=[MaxLength(REASON_MAX, "What you tell us")],
    )


class RowForm(BaseForm):
    #: the page to go back to without JavaScript (checked with `safe_next`)
    next = HiddenField()


class HideForm(RowForm):
    why = LongTextField(
        "Why are you hiding it?",
        description="Everyone sees this in place of the post, and its author is emailed it.",
        validators=[
            DataRequired("Say why the post is hidden: its author is told"),
            MaxLength(REASON_MAX, "The reason"),
        ],
    )


class LockForm(RowForm):
    why = LongTextField(
        "Why are you locking it? (optional)",
        validators=[MaxLength(REASON_MAX, "The reason")],
    )


class SuspendForm(RowForm):
    days = RadioField(
        "Stop them posting for",
        choices=[SelectChoice(k, v) for k, v in SUSPEND_DAYS.items()],
        validators=[InputRequired("Choose how long")],
    )
    why = LongTextField(
        "Why?",
        description="They are emailed this.",
        validators=[
            DataRequired("Say why: the member is told"),
            MaxLength(REASON_MAX, "The reason"),
        ],
    )
