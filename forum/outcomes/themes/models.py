"""Themes ("you said") built from a consultation's feedback, and the evidence behind them.

Every link records who added it and when; removals are recorded in the audit log.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask import url_for
from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from forum.outcomes.decisions.models import Decision

theme_priorities = Table(
    "theme_priorities",
    db.metadata,
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Column("priority_id", ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True),
)


class Theme(db.Model):
    """The "you said" part: an organiser's summary of many feedback items from one consultation."""

    __tablename__ = "themes"
    __table_args__ = (Index("ix_themes_consultation", "consultation_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    #: plain words, shown publicly once published
    summary: Mapped[str] = mapped_column(Text, default="")
    #: order on the consultation's page, from 1
    position: Mapped[int] = mapped_column(default=1)
    #: set when the forum publishes the consultation's response with this theme in it
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    consultation = relationship("Consultation")
    priorities = relationship("Priority", secondary=theme_priorities, order_by="Priority.code")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="theme", order_by="Evidence.id", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[Decision]] = relationship(
        "Decision", back_populates="theme", order_by="Decision.id", cascade="all, delete-orphan"
    )

    @property
    def url(self) -> str:
        """The theme's staff page."""
        return self.manage_url("theme")

    def manage_url(self, action: str, **values) -> str:
        """One of the theme's staff pages: `theme_edit`, `theme_evidence`, `theme_move`…"""
        c = self.consultation
        return url_for(
            f"outcomes.{action}", area_slug=c.area.slug, slug=c.slug, theme_id=self.id, **values
        )


class EvidenceKind(enum.StrEnum):
    #: every written answer tagged with a survey code (the coding tool's tags)
    CODE = "code"
    #: one written answer
    ANSWER = "answer"
    #: a choice question's results; with `option_key`, the people who chose that option
    QUESTION = "question"
    #: one discussion post
    POST = "post"
    #: one point families raised at an event (its notes)
    EVENT_ITEM = "event_item"
    #: one action agreed at an event
    EVENT_ACTION = "event_action"

    @property
    def label(self) -> str:
        return {
            "code": "Answers tagged",
            "answer": "Answer",
            "question": "Question results",
            "post": "Discussion post",
            "event_item": "Raised at an event",
            "event_action": "Action agreed at an event",
        }[self.value]


class Evidence(db.Model):
    """One link from a theme to the feedback behind it. Exactly one of code, answer, question,
    post, event item or event action is set, as `kind` says."""

    __tablename__ = "theme_evidence"
    __table_args__ = (
        Index("ix_theme_evidence_theme", "theme_id", "kind"),
        Index("ix_theme_evidence_answer", "answer_id"),
        Index("ix_theme_evidence_post", "post_id"),
        Index("ix_theme_evidence_code", "code_id"),
        Index("ix_theme_evidence_question", "question_id"),
        Index("ix_theme_evidence_event_item", "event_item_id"),
        Index("ix_theme_evidence_event_action", "event_action_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(str_enum(EvidenceKind, 16))
    code_id: Mapped[int | None] = mapped_column(ForeignKey("survey_codes.id", ondelete="CASCADE"))
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_answers.id", ondelete="CASCADE")
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE")
    )
    #: with a question: one option's key (null means the whole question)
    option_key: Mapped[str | None] = mapped_column(String(40))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    event_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_note_items.id", ondelete="CASCADE")
    )
    event_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_note_actions.id", ondelete="CASCADE")
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    theme: Mapped[Theme] = relationship(back_populates="evidence")
    code = relationship("Code")
    answer = relationship("Answer")
    question = relationship("Question")
    post = relationship("Post")
    event_item = relationship("NoteItem")
    event_action = relationship("NoteAction")
    added_by = relationship("User", foreign_keys=[added_by_id])


class ThemeQuote(db.Model):
    """A written answer the organisers chose to quote on a theme, and the words to publish:
    the whole answer, or an excerpt of it with any identifying detail replaced by
    "[name removed]" or "[redacted]" (`themes.quoting`).

    Once a theme has chosen quotes, only they are published for it. Where the words are an
    excerpt (`is_excerpt`), the full answer is never published anywhere, on this theme or any
    other. The quote is shown only while the person still agrees to be quoted, the answer still
    counts and is still behind the theme, and the excerpt is still part of the answer."""

    __tablename__ = "theme_quotes"
    __table_args__ = (
        UniqueConstraint("theme_id", "answer_id", name="uq_theme_quotes_theme_answer"),
        Index("ix_theme_quotes_answer", "answer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("survey_answers.id", ondelete="CASCADE"))
    #: the words published: the answer, or a part of it with spans replaced by a marker
    text: Mapped[str] = mapped_column(Text)
    #: the words are not the whole answer (cut down, or with something redacted)
    is_excerpt: Mapped[bool] = mapped_column(default=False)
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
