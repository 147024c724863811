"""Dates: stored in UTC, shown in Europe/London."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london(value: datetime | None, fmt: str = "%-d %B %Y at %-I:%M%p") -> str:
    if value is None:
        return ""
    text = value.astimezone(LONDON).strftime(fmt)
    return text.replace("AM", "am").replace("PM", "pm")


def time_until(value: datetime, now: datetime | None = None) -> str:
    """Plain words for how long until `value`: "3 days", "5 hours", "less than an hour"."""
    from forum.models import utcnow

    seconds = (value - (now or utcnow())).total_seconds()
    if seconds <= 0:
        return "no time"
    days, hours = int(seconds // 86400), int(seconds // 3600)
    if days >= 2:
        return f"{days} days"
    if hours >= 2:
        return f"{hours} hours"
    if hours == 1 or days == 1:
        return f"{max(hours, 1)} hour{'s' if hours > 1 else ''}"
    return "less than an hour"


def iso_date(value: str | None) -> str:
    """An ISO date as people read it: "2025-03-27" → "27 March 2025"."""
    if not value:
        return ""
    try:
        return date.fromisoformat(value).strftime("%-d %B %Y")
    except (TypeError, ValueError):
        return str(value)
