"""Consultation models."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import url_for
from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow


class Audience(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"

    @property
    def label(self) -> str:
        return "Anyone" if self is Audience.PUBLIC else "Members of the forum"


class ConsultationKind(enum.StrEnum):
    STANDARD = "standard"
    #: SEND Regulations 2014, regulation 56: comments on the council's Local Offer, published
    #: at least yearly with the council's response and actions, so no one can be identified
    LOCAL_OFFER = "local_offer"

    @property
    def label(self) -> str:
        return "Consultation" if self is ConsultationKind.STANDARD else "Local Offer feedback"


class ConsultationState(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    RESPONDED = "responded"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "scheduled": "Opens soon",
            "open": "Open",
            "closed": "Closed",
            "responded": "Responded",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "draft": "govuk-tag--grey",
            "scheduled": "govuk-tag--yellow",
            "open": "govuk-tag--green",
            "closed": "govuk-tag--blue",
            "responded": "govuk-tag--purple",
        }[self.value]


consultation_priorities = Table(
    "consultation_priorities",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("priority_id", ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True),
)


class Consultation(db.Model):
    __tablename__ = "consultations"
    __table_args__ = (
        UniqueConstraint("area_id", "slug", name="uq_consultations_area_slug"),
        Index("ix_consultations_area_dates", "area_id", "opens_at", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    #: unique within the area; used in URLs
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: short sentences in plain words, shown beside the summary; optional
    easy_read_summary: Mapped[str] = mapped_column(Text, default="")
    #: markdown, shown through the one sanitiser
    body: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[Audience] = mapped_column(str_enum(Audience, 16), default=Audience.PUBLIC)
    kind: Mapped[ConsultationKind] = mapped_column(
        str_enum(ConsultationKind, 16), default=ConsultationKind.STANDARD
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: when the forum expects partners' response; 12 weeks after closing unless set
    response_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: null while a draft; set when an organiser publishes it
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: set when the forum marks that partners have responded
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: why it was closed before its closing date (shown publicly)
    closed_early_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    area = relationship("Area")
    priorities = relationship(
        "Priority", secondary=consultation_priorities, order_by="Priority.position"
    )

    def state_at(self, now: datetime) -> ConsultationState:
        if self.published_at is None:
            return ConsultationState.DRAFT
        if self.responded_at is not None:
            return ConsultationState.RESPONDED
        if now < self.opens_at:
            return ConsultationState.SCHEDULED
        if now < self.closes_at:
            return ConsultationState.OPEN
        return ConsultationState.CLOSED

    @property
    def state(self) -> ConsultationState:
        return self.state_at(utcnow())

    @property
    def url(self) -> str:
        return url_for("consultations.show", area_slug=self.area.slug, slug=self.slug)

    def manage_url(self, action: str) -> str:
        return url_for(f"consultations.{action}", area_slug=self.area.slug, slug=self.slug)
