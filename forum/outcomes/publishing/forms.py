"""The form for publishing the response."""

from __future__ import annotations

from forum.web.forms import BaseForm


class PublishForm(BaseForm):
    """Only a button: the confirmation page lists what will be published."""
