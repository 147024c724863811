"""The organiser's "where to send paper responses" form."""

from __future__ import annotations

from wtforms.validators import Optional

from forum.web.forms import BaseForm, LongTextField, MaxLength

PAPER_MAX = 1000


class PaperAddressForm(BaseForm):
    paper_responses_to = LongTextField(
        "Where to send paper responses",
        description="Printed at the end of the paper version: a postal address, a place to "
        "hand it in, or an email address for a scan or photo. Leave blank to say “send it to "
        "the forum”.",
        validators=[Optional(), MaxLength(PAPER_MAX, "Where to send paper responses")],
    )
