"""Area, partner organisation and membership models."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import url_for
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow


class Area(db.Model):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    #: Used in URLs: /areas/<slug>
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    #: The local area's own name, e.g. "Northshire"
    name: Mapped[str] = mapped_column(String(120))
    forum_name: Mapped[str] = mapped_column(String(120))
    forum_description: Mapped[str] = mapped_column(Text, default="")
    #: "#rrggbb"; checked for 4.5:1 contrast against white header text
    brand_colour: Mapped[str] = mapped_column(String(7), default="#1d70b8")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partners: Mapped[list[PartnerOrganisation]] = relationship(
        back_populates="area", order_by="PartnerOrganisation.name"
    )

    @property
    def url(self) -> str:
        return url_for("areas.home", area_slug=self.slug)

    def __repr__(self) -> str:
        return f"<Area {self.slug}>"


class PartnerKind(enum.StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    HEALTH = "health"
    EDUCATION = "education"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "local_authority": "Local authority",
            "health": "Health (ICB)",
            "education": "Education",
            "other": "Other",
        }[self.value]


class PartnerOrganisation(db.Model):
    __tablename__ = "partner_organisations"
    __table_args__ = (
        UniqueConstraint("area_id", "name", name="uq_partner_organisations_area_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[PartnerKind] = mapped_column(str_enum(PartnerKind))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area: Mapped[Area] = relationship(back_populates="partners")


class Role(enum.StrEnum):
    MEMBER = "member"
    ORGANISER = "organiser"
    RESPONDER = "responder"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class MembershipStatus(enum.StrEnum):
    #: asked to join, waiting for an organiser
    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"


class Membership(db.Model):
    """A person's place in one area. One row per person per area."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("area_id", "user_id", name="uq_memberships_area_user"),
        CheckConstraint(
            "(role = 'responder') = (partner_id IS NOT NULL)", name="responder_has_partner"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(
        str_enum(MembershipStatus), default=MembershipStatus.PENDING
    )
    #: Responders speak for one partner organisation; null for every other role.
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="RESTRICT")
    )
    #: What the person wrote when asking to join (optional, shown to organisers only)
    request_note: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    area: Mapped[Area] = relationship()
    user = relationship("User", back_populates="memberships", foreign_keys=[user_id])
    partner: Mapped[PartnerOrganisation | None] = relationship()
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def is_active(self) -> bool:
        return self.status is MembershipStatus.ACTIVE
