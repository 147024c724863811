"""The forum's response document, its parts and members' comments on the shared draft."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask import url_for
from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow


class Stage(enum.StrEnum):
    #: only the organisers see it
    DRAFT = "draft"
    #: the area's members may read it and comment on each part
    SHARED = "shared"
    #: no more changes; ready to publish
    FINAL = "final"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "shared": "Shared with members",
            "final": "Final",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "draft": "govuk-tag--grey",
            "shared": "govuk-tag--blue",
            "final": "govuk-tag--green",
        }[self.value]


class ForumResponse(db.Model):
    """One consultation's collective response, written by the forum's organisers."""

    __tablename__ = "forum_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), unique=True
    )
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, 16), default=Stage.DRAFT)
    #: set when the organisers publish it on the consultation page (only once final)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: who it was sent to ("Department for Education"), shown publicly once published
    submitted_to: Mapped[str] = mapped_column(String(200), default="", server_default="")
    submitted_on: Mapped[date | None] = mapped_column(Date)
    #: the body's reference for the submission, if it gave one
    submitted_reference: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    consultation = relationship("Consultation")
    parts: Mapped[list[ResponsePart]] = relationship(
        back_populates="response", order_by="ResponsePart.id", cascade="all, delete-orphan"
    )

    def page_url(self, endpoint: str = "forum_response", **values) -> str:
        c = self.consultation
        return url_for(f"outcomes.{endpoint}", area_slug=c.area.slug, slug=c.slug, **values)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_submitted(self) -> bool:
        return bool(self.submitted_to) and self.submitted_on is not None


#: the slots of a response that are not a question or a section
INTRO = "intro"
CONCLUSION = "conclusion"


def question_slot(question_id: int) -> str:
    return f"q{question_id}"


def section_slot(section_id: int) -> str:
    return f"s{section_id}"


class ResponsePart(db.Model):
    """One part of the response: the introduction, the conclusion, or the forum's answer to a
    question (or to a section, when the survey has sections). Saved one at a time."""

    __tablename__ = "forum_response_parts"
    __table_args__ = (UniqueConstraint("response_id", "slot", name="uq_forum_response_parts_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    response_id: Mapped[int] = mapped_column(ForeignKey("forum_responses.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: "intro", "conclusion", "q<question id>" or "s<section id>"
    slot: Mapped[str] = mapped_column(String(24))
    #: the forum's words, in the markdown subset posts use (`forum.web.text.render_markdown`)
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    response: Mapped[ForumResponse] = relationship(back_populates="parts")


class ResponseComment(db.Model):
    """A member's comment on one part of the shared draft. Seen by the area's members and
    organisers only; the person's own words, so in "download my data" and deleted with the
    account."""

    __tablename__ = "forum_response_comments"
    __table_args__ = (Index("ix_forum_response_comments_part", "part_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("forum_response_parts.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: hidden by an organiser (moderation): kept, but shown to nobody but organisers
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    part: Mapped[ResponsePart] = relationship()
    author = relationship("User", foreign_keys=[author_id])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
