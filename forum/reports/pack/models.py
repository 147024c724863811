"""The shares of an area's inspection evidence pack, and each time a share's link was opened."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, utcnow
from forum.reports.periods import Period
from forum.web.time import LONDON


class PackShare(db.Model):
    """The pack of one inspection window, shared by the forum's organisers with a named partner
    through a link that works without signing in, until it expires or is revoked. The link's
    token is never stored: only its SHA-256, so the database alone cannot open a pack."""

    __tablename__ = "pack_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: who it is for, in the organiser's words ("the council's SEND lead"); a role, not a family
    partner_name: Mapped[str] = mapped_column(String(120))
    #: their organisation ("Ofsted and CQC inspectors")
    organisation: Mapped[str] = mapped_column(String(160))
    #: the inspection window the pack covers, both days included (London dates)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    #: SHA-256 (hex) of the link's random token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the link stops working at this moment (the end of the chosen day in London)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the organiser who made it; null once their account is deleted
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    area = relationship("Area")
    created_by = relationship("User", foreign_keys=[created_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)

    @property
    def last_day(self) -> date:
        """The last day the link works, in London (it stops at the end of that day)."""
        return (self.expires_at - timedelta(microseconds=1)).astimezone(LONDON).date()

    @property
    def last_day_name(self) -> str:
        return f"{self.last_day.day} {self.last_day:%B %Y}"

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def works(self, now: datetime) -> bool:
        """Whether the link opens the pack at `now`."""
        return self.revoked_at is None and not self.is_expired(now)

    def state(self, now: datetime) -> str:
        """ "revoked", "expired" or "active"."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired(now) else "active"

    @property
    def url(self) -> str:
        """The organisers' page of this share (never the link itself: that holds the token)."""
        return url_for("reports.pack_share", area_slug=self.area.slug, share_id=self.id)


class PackView(db.Model):
    """One opening of a share's link: when, and which share. Nothing about who opened it (no
    address, no browser): the share names who it was given to."""

    __tablename__ = "pack_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    share_id: Mapped[int] = mapped_column(
        ForeignKey("pack_shares.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
