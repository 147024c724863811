"""What the forum has told a consultation's audience, and the organiser's reminder settings.

`Announcement` is both the record and the lock: one row per consultation per occasion, unique,
inserted before the emails are queued and in the same transaction, so however many workers
(or a worker and an organiser's button) reach the same moment, the audience hears once.
Neither table holds anything about a person.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models import UTCDateTime, utcnow

#: the reminder goes this many days before closing unless the organiser chooses otherwise
DEFAULT_DAYS_BEFORE = 3
DAYS_BEFORE_MIN, DAYS_BEFORE_MAX = 1, 14


class Occasion:
    """The `occasion` values: what the audience was told. Those that can happen more than once
    in a consultation's life carry the closing date they were about."""

    OPENED = "opened"
    RESPONDED = "responded"

    @staticmethod
    def _at(closes_at: datetime) -> str:
        """The same instant always gives the same text, whatever its time zone."""
        return closes_at.astimezone(UTC).isoformat(timespec="seconds")

    @classmethod
    def reminder(cls, closes_at: datetime) -> str:
        return f"reminder:{cls._at(closes_at)}"

    @classmethod
    def extended(cls, closes_at: datetime) -> str:
        return f"extended:{cls._at(closes_at)}"

    @classmethod
    def closed_early(cls, closes_at: datetime) -> str:
        return f"closed_early:{cls._at(closes_at)}"

    @staticmethod
    def label(occasion: str) -> str:
        kind = occasion.partition(":")[0]
        return {
            "opened": "It opened",
            "reminder": "Reminder before closing",
            "extended": "More time to have your say",
            "closed_early": "It closed early",
            "responded": "The response was published",
        }.get(kind, kind)


class Announcement(db.Model):
    __tablename__ = "consultation_announcements"
    __table_args__ = (
        UniqueConstraint(
            "consultation_id", "occasion", name="uq_consultation_announcements_occasion"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    #: "opened", "responded", "reminder:<closes_at>", "extended:<new closes_at>",
    #: "closed_early:<closes_at>" (`Occasion`)
    occasion: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: how many people it was queued for or put in a digest for (choices made, before the
    #: check at sending)
    recipients: Mapped[int] = mapped_column(default=0)

    @property
    def label(self) -> str:
        return Occasion.label(self.occasion)


class ReminderSettings(db.Model):
    """An organiser's choice about the reminder before a consultation closes. No row means the
    default: on, `DEFAULT_DAYS_BEFORE` days before closing."""

    __tablename__ = "consultation_reminder_settings"
    __table_args__ = (
        CheckConstraint(
            f"days_before BETWEEN {DAYS_BEFORE_MIN} AND {DAYS_BEFORE_MAX}",
            name="reminder_days_in_range",
        ),
    )

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    #: moves on with every change to the row; the form carries it to catch a stale save
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    is_on: Mapped[bool] = mapped_column(default=True)
    days_before: Mapped[int] = mapped_column(default=DEFAULT_DAYS_BEFORE)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
