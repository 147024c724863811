"""The exception a service raises when a rule is broken.

Each area names its own (`PlanError`, `ThemeError`, …) so a view can catch only what its
service refuses; they all carry a message that is safe to show, and `field`, the form field it
belongs beside (`forum.web.submit.accept` puts it there; without one it goes at the top)."""

from __future__ import annotations


class Refused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
