"""Local plan and priority models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, utcnow


class LocalPlan(db.Model):
    __tablename__ = "local_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area = relationship("Area")
    priorities: Mapped[list[Priority]] = relationship(
        back_populates="plan", order_by="Priority.position"
    )


class Priority(db.Model):
    __tablename__ = "priorities"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_priorities_plan_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("local_plans.id", ondelete="CASCADE"))
    #: denormalised from the plan so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: short label shown before the title, e.g. "P3"
    code: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: order within the plan, from 1
    position: Mapped[int] = mapped_column(default=1)

    plan: Mapped[LocalPlan] = relationship(back_populates="priorities")

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"
