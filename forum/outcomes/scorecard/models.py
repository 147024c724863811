"""Stored scorecard figures: the two counts that would otherwise read every answer, response
and post on each page — distinct people who took part and feedback items — kept per area,
plan, top-level priority and consultation.

They are worked out by `scorecard.services.refresh_figures` (the `flask outcomes
refresh-figures` command, run on a schedule, and after a consultation's response is
published). Everything else on those pages is counted live from small tables.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow


class FigureScope(enum.StrEnum):
    AREA = "area"
    PLAN = "plan"
    #: a top-level priority, its sub-priorities included
    PRIORITY = "priority"
    CONSULTATION = "consultation"


class StoredFigures(db.Model):
    __tablename__ = "scorecard_figures"
    __table_args__ = (
        UniqueConstraint("scope", "subject_id", name="uq_scorecard_figures_scope_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    scope: Mapped[FigureScope] = mapped_column(str_enum(FigureScope, 16))
    #: the id of the area, plan, priority or consultation that `scope` names
    subject_id: Mapped[int]
    #: distinct people who took part (exact: suppression happens when shown)
    participants: Mapped[int] = mapped_column(default=0)
    #: answers in submitted responses plus visible posts
    items: Mapped[int] = mapped_column(default=0)
    #: of those, the people and items vouched for (`Response.vouched`, accounts, posts): a
    #: published figure needs 5 of them (`forum.disclosure`)
    vouched_participants: Mapped[int] = mapped_column(default=0)
    vouched_items: Mapped[int] = mapped_column(default=0)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
