"""The organisers' own part of an annual report: their words (a foreword, highlights, next
year's priorities), which sections appear, whether it is published, and the words they type
for the grant monitoring return. Everything else in the report is worked out from the
platform's data when it is shown (`reports.figures`), so it is never out of date."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from sqlalchemy import JSON, Date, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, utcnow
from forum.reports.periods import Period

#: the longest foreword, highlights or priorities, in characters
WORDS_MAX = 10_000
#: the longest answer an organiser types for one question of the grant return
GRANT_WORDS_MAX = 4_000


class AnnualReport(db.Model):
    """One area's annual report for one period (a financial year, or dates the organisers
    chose)."""

    __tablename__ = "annual_reports"
    __table_args__ = (
        UniqueConstraint("area_id", "starts_on", "ends_on", name="uq_annual_reports_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; the edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: the first and last days the report covers, both included (London dates)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    #: the organisers' words, Markdown (cleaned when shown, forum/web/text.py)
    foreword: Mapped[str] = mapped_column(Text, default="")
    highlights: Mapped[str] = mapped_column(Text, default="")
    priorities: Mapped[str] = mapped_column(Text, default="")
    #: the keys of the generated sections the organisers chose to leave out (`SECTIONS`);
    #: a section added to the platform later appears until they leave it out
    hidden_sections: Mapped[list] = mapped_column(JSON, default=list)
    #: {field key: words} typed for the grant return's "words" questions
    grant_words: Mapped[dict] = mapped_column(JSON, default=dict)
    #: when it was published to everyone who may see the area; null while it is a draft
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    area = relationship("Area")

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def shows(self, section: str) -> bool:
        return section not in (self.hidden_sections or [])

    def _url(self, endpoint: str, **values) -> str:
        return url_for(
            f"reports.{endpoint}", area_slug=self.area.slug, period=self.period.slug, **values
        )

    @property
    def url(self) -> str:
        """The report page (public once published; a preview for organisers before)."""
        return self._url("report")

    @property
    def edit_url(self) -> str:
        return self._url("edit")
