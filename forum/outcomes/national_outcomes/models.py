"""A national body's decision on a theme."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, utcnow


class NationalOutcome(db.Model):
    """What a national decision maker decided about a theme; one per theme."""

    __tablename__ = "national_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), unique=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: who decided: "Department for Education"
    body_name: Mapped[str] = mapped_column(String(200))
    #: what they decided, in plain words
    decision: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)
    #: where to read it: an https address
    link: Mapped[str] = mapped_column(String(500), default="", server_default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    theme = relationship("Theme")
