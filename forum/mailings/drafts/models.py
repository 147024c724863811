"""The record of a reminder about unsent answers, one per person and consultation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models import UTCDateTime, utcnow


class DraftReminder(db.Model):
    """Inserted before the email is queued, in the same transaction: unique, so however many
    workers run the job, a person hears once about a consultation."""

    __tablename__ = "draft_reminders"
    __table_args__ = (
        UniqueConstraint("consultation_id", "user_id", name="uq_draft_reminders_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
