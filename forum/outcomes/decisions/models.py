"""Decisions ("we did"): partners' answers to themes, and their links to commitments in the
local plan."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow
from forum.outcomes.themes.models import Theme
from forum.web.time import LONDON


class Outcome(enum.StrEnum):
    ADOPTED = "adopted"
    PARTLY_ADOPTED = "partly_adopted"
    NOT_ADOPTED = "not_adopted"
    UNDER_CONSIDERATION = "under_consideration"

    @property
    def label(self) -> str:
        return {
            "adopted": "Adopted",
            "partly_adopted": "Partly adopted",
            "not_adopted": "Not adopted",
            "under_consideration": "Under consideration",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "adopted": "govuk-tag--green",
            "partly_adopted": "govuk-tag--turquoise",
            "not_adopted": "govuk-tag--red",
            "under_consideration": "govuk-tag--yellow",
        }[self.value]

    @property
    def is_taken_up(self) -> bool:
        return self in (Outcome.ADOPTED, Outcome.PARTLY_ADOPTED)


class ForumView(enum.StrEnum):
    """The forum's view of a partner's answer, shown publicly beside it."""

    PENDING = "pending"
    AGREED = "agreed"
    DISPUTED = "disputed"

    @property
    def label(self) -> str:
        return {"pending": "Not reviewed yet", "agreed": "Agreed", "disputed": "Disputed"}[
            self.value
        ]


class Decision(db.Model):
    """The "we did" part: one partner organisation's answer to a theme, one per partner."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("theme_id", "partner_id", name="uq_decisions_theme_partner"),
        Index("ix_decisions_area_outcome", "area_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="RESTRICT"), index=True
    )
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, 24))
    #: what the partner did or will do, in plain words
    explanation: Mapped[str] = mapped_column(Text)
    #: why not (required when not adopted)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: when an answer "under consideration" will be decided
    decide_by: Mapped[date | None] = mapped_column(Date)
    forum_view: Mapped[ForumView] = mapped_column(
        str_enum(ForumView, 16), default=ForumView.PENDING
    )
    #: the forum's comment on its view (required when disputed; shown publicly)
    forum_comment: Mapped[str] = mapped_column(Text, default="")
    forum_view_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    forum_view_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: set when the forum publishes it
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    theme: Mapped[Theme] = relationship(back_populates="decisions")
    partner = relationship("PartnerOrganisation")
    links: Mapped[list[DecisionCommitment]] = relationship(
        back_populates="decision", order_by="DecisionCommitment.id", cascade="all, delete-orphan"
    )

    def days_overdue(self, now: datetime | None = None) -> int | None:
        """Days past its decide-by day while still under consideration (the day itself is not
        late), counted in London; else None."""
        if self.outcome is not Outcome.UNDER_CONSIDERATION or self.decide_by is None:
            return None
        days = ((now or utcnow()).astimezone(LONDON).date() - self.decide_by).days
        return days if days > 0 else None

    @property
    def is_changed_since_published(self) -> bool:
        """The partner changed its answer after the forum published it."""
        return (
            self.published_at is not None
            and self.updated_at is not None
            and self.updated_at > self.published_at
        )


class DecisionCommitment(db.Model):
    """A decision's link to a commitment in the local plan. Linking never changes the
    commitment's status."""

    __tablename__ = "decision_commitments"
    __table_args__ = (
        UniqueConstraint("decision_id", "commitment_id", name="uq_decision_commitments_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    decision: Mapped[Decision] = relationship(back_populates="links")
    commitment = relationship("Commitment")
