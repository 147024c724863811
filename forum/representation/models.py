"""The representation log: meetings where the forum sat at a partner's table, who went, what
was raised and what was agreed.

A meeting carries three public switches, chosen by the organisers per meeting: the meeting
itself (name, organisation, date), what was raised (the summary, themes and priorities) and
what was agreed (the actions). Nothing is public until the first is on.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, utcnow

meeting_themes = Table(
    "representation_meeting_themes",
    db.metadata,
    Column(
        "meeting_id", ForeignKey("representation_meetings.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)

meeting_priorities = Table(
    "representation_meeting_priorities",
    db.metadata,
    Column(
        "meeting_id", ForeignKey("representation_meetings.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("priority_id", ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True),
)


class Meeting(db.Model):
    """One meeting with a partner organisation that the forum attended."""

    __tablename__ = "representation_meetings"
    __table_args__ = (Index("ix_representation_meetings_area_held", "area_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    #: the meeting's name, e.g. "SEND Partnership Board"
    name: Mapped[str] = mapped_column(String(200))
    #: one of the area's partner organisations; null when `partner_name` names another one
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="SET NULL"), index=True
    )
    #: an organisation that is not one of the area's partners (a school trust, a charity)
    partner_name: Mapped[str] = mapped_column(String(160), default="")
    held_on: Mapped[date] = mapped_column(Date)
    #: what the forum raised, in plain words (markdown subset)
    summary: Mapped[str] = mapped_column(Text, default="")
    #: the meeting (name, organisation, date) is on the public page
    is_public: Mapped[bool] = mapped_column(default=False)
    #: what was raised (summary, themes, priorities) is public too, when the meeting is
    is_raised_public: Mapped[bool] = mapped_column(default=False)
    #: what was agreed (the actions and their status) is public too, when the meeting is
    is_agreed_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    area = relationship("Area")
    partner = relationship("PartnerOrganisation")
    representatives: Mapped[list[Representative]] = relationship(
        back_populates="meeting", order_by="Representative.id", cascade="all, delete-orphan"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="meeting", order_by="Action.position", cascade="all, delete-orphan"
    )
    themes = relationship("Theme", secondary=meeting_themes, order_by="Theme.title")
    priorities = relationship("Priority", secondary=meeting_priorities, order_by="Priority.code")

    @property
    def organisation(self) -> str:
        """The organisation's name, whichever way it was given."""
        return self.partner.name if self.partner is not None else self.partner_name

    @property
    def shows_raised(self) -> bool:
        return self.is_public and self.is_raised_public

    @property
    def shows_agreed(self) -> bool:
        return self.is_public and self.is_agreed_public

    @property
    def url(self) -> str:
        """The organisers' page of the meeting."""
        return url_for("representation.meeting", area_slug=self.area.slug, meeting_id=self.id)

    @property
    def public_url(self) -> str:
        """The public page at this meeting's month and entry."""
        return url_for(
            "representation.public",
            area_slug=self.area.slug,
            month=f"{self.held_on:%Y-%m}",
            _anchor=f"meeting-{self.id}",
        )


class Representative(db.Model):
    """Someone who represented the forum at a meeting: one of the area's members, or a name
    typed for someone without an account."""

    __tablename__ = "representation_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("representation_meetings.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    #: the member; null for a typed name, and after the member deleted their account
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: the typed name of someone without an account
    name: Mapped[str] = mapped_column(String(120), default="")
    #: the member deleted their account: shown as "a former member"
    is_former_member: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="representatives")
    user = relationship("User")

    @property
    def shown_name(self) -> str:
        if self.user is not None:
            return self.user.display_name
        if self.is_former_member:
            return "A former member"
        return self.name


class Action(db.Model):
    """Something agreed at a meeting: what, who owns it, by when, and whether it is done. It can
    become a commitment in the area's plan, and keeps the link."""

    __tablename__ = "representation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("representation_meetings.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: what was agreed
    text: Mapped[str] = mapped_column(String(500))
    #: who owns it, in the meeting's words ("Council SEND team", "The forum")
    owner: Mapped[str] = mapped_column(String(160), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    is_done: Mapped[bool] = mapped_column(default=False)
    #: order within the meeting, from 1
    position: Mapped[int] = mapped_column(default=1)
    #: the plan commitment it became; deleting the commitment leaves the action without it
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitments.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="actions")
    commitment = relationship("Commitment")
