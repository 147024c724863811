"""Local plans: each area's local inclusion plan or SEND strategy, a tree of priorities, the
commitments partners make under them, and the dated progress updates that form the public
timeline."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask import url_for
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow


class PlanKind(enum.StrEnum):
    INCLUSION_PLAN = "inclusion_plan"
    SEND_STRATEGY = "send_strategy"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "inclusion_plan": "Local inclusion plan",
            "send_strategy": "SEND strategy",
            "other": "Other plan",
        }[self.value]


class LocalPlan(db.Model):
    __tablename__ = "local_plans"
    __table_args__ = (UniqueConstraint("area_id", "slug", name="uq_local_plans_area_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: unique within the area; used in URLs
    slug: Mapped[str] = mapped_column(String(80))
    kind: Mapped[PlanKind] = mapped_column(str_enum(PlanKind, 24), default=PlanKind.INCLUSION_PLAN)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: the period the plan covers, e.g. 2025 to 2028; both optional
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    #: null while organisers prepare it; public from then on
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    area = relationship("Area")
    priorities: Mapped[list[Priority]] = relationship(
        back_populates="plan", order_by="Priority.position"
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def url(self) -> str:
        return url_for("plans.show", area_slug=self.area.slug, plan_slug=self.slug)

    def url_at(self, anchor: str) -> str:
        """The plan page at one of its priorities or commitments (`"priority-3"`)."""
        return f"{self.url}#{anchor}"


class Priority(db.Model):
    __tablename__ = "priorities"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_priorities_plan_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    plan_id: Mapped[int] = mapped_column(ForeignKey("local_plans.id", ondelete="CASCADE"))
    #: denormalised from the plan so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: a sub-priority's parent (one level is usual; the tree allows more)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("priorities.id", ondelete="CASCADE"), index=True
    )
    #: short label shown before the title, e.g. "P3" or "P3.1"; unique within the plan
    code: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: order among its siblings, from 1
    position: Mapped[int] = mapped_column(default=1)

    plan: Mapped[LocalPlan] = relationship(back_populates="priorities")
    parent: Mapped[Priority | None] = relationship(remote_side=[id])

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


class CommitmentStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DELAYED = "delayed"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {
            "not_started": "Not started",
            "on_track": "On track",
            "at_risk": "At risk",
            "delayed": "Delayed",
            "done": "Done",
            "dropped": "Dropped",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "not_started": "govuk-tag--grey",
            "on_track": "govuk-tag--green",
            "at_risk": "govuk-tag--yellow",
            "delayed": "govuk-tag--red",
            "done": "govuk-tag--blue",
            "dropped": "govuk-tag--grey",
        }[self.value]


class Commitment(db.Model):
    """What a partner organisation promises to do under a priority."""

    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        CheckConstraint("weight >= 1", name="weight"),
        Index("ix_commitments_area_status", "area_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("priorities.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    #: the owner; responders edit only their own organisation's commitments
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(
        str_enum(CommitmentStatus, 16), default=CommitmentStatus.NOT_STARTED
    )
    #: why it was dropped (required when status is dropped; shown publicly)
    dropped_reason: Mapped[str] = mapped_column(Text, default="")
    #: 0 to 100
    progress: Mapped[int] = mapped_column(default=0)
    #: its share in the priority's roll-up (a bigger piece of work weighs more); 1 by default
    weight: Mapped[int] = mapped_column(default=1)
    #: order within the priority, from 1
    position: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    priority: Mapped[Priority] = relationship()
    partner = relationship("PartnerOrganisation")
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="commitment", order_by="ProgressUpdate.created_at.desc()"
    )

    @property
    def url(self) -> str:
        plan = self.priority.plan
        return url_for(
            "plans.commitment",
            area_slug=plan.area.slug,
            plan_slug=plan.slug,
            commitment_id=self.id,
        )

    @property
    def public_url(self) -> str | None:
        """Its page for everyone, once its plan is published; None before (it is then shown
        without a link)."""
        return self.url if self.priority.plan.is_published else None


class ProgressUpdate(db.Model):
    """A dated entry on a commitment's public timeline. It may move the status and progress;
    the values before are kept so the timeline reads "from on track to at risk"."""

    __tablename__ = "progress_updates"
    __table_args__ = (Index("ix_progress_updates_commitment", "commitment_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    #: optional http(s) link to evidence (a report, minutes, a published page)
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    status_before: Mapped[CommitmentStatus] = mapped_column(str_enum(CommitmentStatus, 16))
    status_after: Mapped[CommitmentStatus] = mapped_column(str_enum(CommitmentStatus, 16))
    progress_before: Mapped[int] = mapped_column(default=0)
    progress_after: Mapped[int] = mapped_column(default=0)
    #: the organisation the author spoke for (null for the forum's organisers)
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    commitment: Mapped[Commitment] = relationship(back_populates="updates")
    partner = relationship("PartnerOrganisation")
    author = relationship("User", foreign_keys=[created_by_id])
