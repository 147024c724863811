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
    #: when the forum expects partners' response: 12 weeks after the actual close (it moves
    #: when the consultation is extended, closed early or its dates are edited) unless the
    #: organiser chose a date (`response_due_is_custom`)
    response_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the organiser chose `response_due_at`; otherwise it follows the closing date
    response_due_is_custom: Mapped[bool] = mapped_column(default=False)
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


class DateField(enum.StrEnum):
    """Which of a consultation's dates a `DateChange` moved."""

    OPENS = "opens_at"
    CLOSES = "closes_at"
    RESPONSE_DUE = "response_due_at"

    @property
    def label(self) -> str:
        return {
            "opens_at": "Opening date",
            "closes_at": "Closing date",
            "response_due_at": "Response due",
        }[self.value]


class DateChangeKind(enum.StrEnum):
    """Why a date moved: the organiser's move that changed it."""

    EDITED = "edited"
    OPENED_EARLY = "opened_early"
    EXTENDED = "extended"
    REOPENED = "reopened"
    CLOSED_EARLY = "closed_early"
    #: the response due date followed a new closing date (it was not chosen by the organiser)
    FOLLOWED = "followed"

    @property
    def label(self) -> str:
        return {
            "edited": "Dates edited",
            "opened_early": "Opened early",
            "extended": "Extended",
            "reopened": "Reopened",
            "closed_early": "Closed early",
            "followed": "Response due date moved with the closing date",
        }[self.value]

    @property
    def is_public(self) -> bool:
        """Shown to everyone on the consultation page, not only to organisers."""
        return self in (
            DateChangeKind.EXTENDED,
            DateChangeKind.REOPENED,
            DateChangeKind.CLOSED_EARLY,
            DateChangeKind.OPENED_EARLY,
        )


class DateChange(db.Model):
    """One change of one of a consultation's dates: what moved, from and to, why and who. The
    consultation page shows extensions, reopenings and early opening and closing publicly;
    organisers see every row."""

    __tablename__ = "consultation_date_changes"
    __table_args__ = (
        Index("ix_consultation_date_changes_consultation", "consultation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    field: Mapped[DateField] = mapped_column(str_enum(DateField, 16))
    kind: Mapped[DateChangeKind] = mapped_column(str_enum(DateChangeKind, 16))
    from_at: Mapped[datetime] = mapped_column(UTCDateTime())
    to_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the organiser's reason in plain words, shown publicly for the public kinds
    reason: Mapped[str] = mapped_column(Text, default="")
    #: the organiser who made the change; null once their account is deleted
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def because(self) -> str:
        """The reason as the end of a sentence ("the easy read version came late.")."""
        return because(self.reason)


def because(reason: str) -> str:
    """An organiser's reason, ready to follow "because": a leading "because" they typed is not
    doubled, and the sentence ends with a full stop."""
    text = reason.strip()
    first, _, rest = text.partition(" ")
    if first.lower() == "because" and rest:
        text = rest.strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text
