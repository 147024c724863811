"""Recording, changing and removing a national body's decision on a theme."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.national_outcomes.models import NationalOutcome
from forum.outcomes.national_outcomes.queries import get_for

BODY_MAX = 200
DECISION_MAX = 5_000
LINK_MAX = 500


class NationalOutcomeError(Refused):
    """A national outcome that cannot be saved as given; safe to show."""


def check_link(value: str) -> str:
    """An https address, or blank."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > LINK_MAX:
        raise NationalOutcomeError(f"The link must be {LINK_MAX} characters or fewer", "link")
    parts = urlsplit(value)
    if (
        parts.scheme.lower() != "https"
        or not parts.netloc
        or any(c.isspace() or ord(c) < 32 for c in value)
    ):
        raise NationalOutcomeError("The link must be a web address starting with https://", "link")
    return value


def save_national_outcome(
    theme, *, body_name: str, decision: str, decided_on: date | None, link: str, actor
) -> NationalOutcome:
    """Record the theme's national outcome, or change the one recorded."""
    if not body_name:
        raise NationalOutcomeError("Enter who made the decision", "body_name")
    if len(body_name) > BODY_MAX:
        raise NationalOutcomeError(f"The name must be {BODY_MAX} characters or fewer", "body_name")
    if not decision:
        raise NationalOutcomeError("Say what they decided", "decision")
    if len(decision) > DECISION_MAX:
        raise NationalOutcomeError(
            f"What they decided must be {DECISION_MAX:,} characters or fewer", "decision"
        )
    if decided_on is None:
        raise NationalOutcomeError("Enter the date of the decision", "decided_on")
    if decided_on > utcnow().date():
        raise NationalOutcomeError(
            "The date of the decision must be today or in the past", "decided_on"
        )
    link = check_link(link)
    outcome = get_for(theme)
    created = outcome is None
    if outcome is None:
        outcome = NationalOutcome(theme_id=theme.id, area_id=theme.area_id)
        db.session.add(outcome)
    outcome.body_name = body_name
    outcome.decision = decision
    outcome.decided_on = decided_on
    outcome.link = link
    outcome.updated_by_id = actor.id
    db.session.flush()
    record(
        "theme.national_outcome_recorded" if created else "theme.national_outcome_changed",
        theme,
        actor=actor,
        area=theme.consultation.area,
    )
    return outcome


def remove_national_outcome(theme, *, actor) -> bool:
    """Remove the theme's national outcome; False when there was none (already removed)."""
    outcome = get_for(theme)
    if outcome is None:
        return False
    db.session.delete(outcome)
    db.session.flush()
    record("theme.national_outcome_removed", theme, actor=actor, area=theme.consultation.area)
    return True
