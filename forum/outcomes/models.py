"""The outcome ledger: themes ("you said") built from a consultation's feedback, the evidence
behind them, partners' decisions ("we did") and the commitments those decisions link to.

Every link records who made it and when; removals are recorded in the audit log.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow

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
        back_populates="theme", order_by="Decision.id", cascade="all, delete-orphan"
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

    @property
    def label(self) -> str:
        return {
            "code": "Answers tagged",
            "answer": "Answer",
            "question": "Question results",
            "post": "Discussion post",
        }[self.value]


class Evidence(db.Model):
    """One link from a theme to the feedback behind it. Exactly one of code, answer, question
    or post is set, as `kind` says."""

    __tablename__ = "theme_evidence"
    __table_args__ = (
        Index("ix_theme_evidence_theme", "theme_id", "kind"),
        Index("ix_theme_evidence_answer", "answer_id"),
        Index("ix_theme_evidence_post", "post_id"),
        Index("ix_theme_evidence_code", "code_id"),
        Index("ix_theme_evidence_question", "question_id"),
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
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    theme: Mapped[Theme] = relationship(back_populates="evidence")
    code = relationship("Code")
    answer = relationship("Answer")
    question = relationship("Question")
    post = relationship("Post")
    added_by = relationship("User", foreign_keys=[added_by_id])


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
