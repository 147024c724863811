"""Area, partner organisation and membership models."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import url_for
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
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
    #: once a year each member is asked to confirm they want to stay (forum/areas/renewal.py)
    is_renewal_on: Mapped[bool] = mapped_column(default=False, server_default="0")
    #: days a member has to answer the yearly question before their membership lapses
    renewal_days: Mapped[int] = mapped_column(default=30, server_default="30")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partners: Mapped[list[PartnerOrganisation]] = relationship(
        back_populates="area", order_by="PartnerOrganisation.name"
    )

    @property
    def url(self) -> str:
        return url_for("areas.home", area_slug=self.slug)

    def __repr__(self) -> str:
        return f"<Area {self.slug}>"


class AreaDataVersion(db.Model):
    """A token that changes whenever anything of the area's changes: kept fragments of its pages
    are found by it, so a change is shown on the next page made (forum/areas/data_versions.py).

    A new random number each time, never a count: a database restored from a backup, or a test's
    rolled-back world, can never bring back a token that once named other data."""

    __tablename__ = "area_data_versions"

    area_id: Mapped[int] = mapped_column(
        ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[int] = mapped_column(BigInteger)


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
    #: did not answer the yearly renewal question in time; can renew from their account
    LAPSED = "lapsed"
    #: left the forum themselves
    LEFT = "left"
    #: removed by an organiser, with a reason kept for organisers (`removal_reason`)
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return {
            "pending": "Waiting for approval",
            "active": "Member",
            "declined": "Not approved",
            "lapsed": "Lapsed",
            "left": "Left",
            "removed": "Removed",
        }[self.value]


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
    #: why an organiser removed the person (status REMOVED); shown to organisers only
    removal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: when they left, were removed or lapsed
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the start of the current membership year: joined, or last confirmed they want to stay
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when the yearly renewal question was sent; null when none is waiting for an answer
    renewal_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the membership lapses at this time unless the person answers
    renewal_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: when the reminder before `renewal_due_at` was sent
    renewal_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    area: Mapped[Area] = relationship()
    user = relationship("User", back_populates="memberships", foreign_keys=[user_id])
    partner: Mapped[PartnerOrganisation | None] = relationship()
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def is_active(self) -> bool:
        return self.status is MembershipStatus.ACTIVE


class InvitationStatus(enum.StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    #: never stored: a sent invitation whose `expires_at` has passed (`Invitation.state`)
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Invitation(db.Model):
    """An organiser's invitation to one email address to join the forum. Nobody is a member
    until someone follows the emailed link and accepts, signed in (forum/areas/invitations.py).
    A table of its own rather than a membership status: the invited person may have no
    account, and a membership row needs one."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: lower case; never in a URL or a log line (the link carries a signed token)
    email: Mapped[str] = mapped_column(String(254), index=True)
    #: the name the organiser gave, if any; shown to organisers
    name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    status: Mapped[InvitationStatus] = mapped_column(
        str_enum(InvitationStatus), default=InvitationStatus.SENT
    )
    #: SHA-256 of the random part of the latest link; sending again makes a new one, so only
    #: the latest email's link works
    nonce_hash: Mapped[str] = mapped_column(String(64))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: how many times the email has been sent (limited: `invitations.MOST_SENDS`)
    sends: Mapped[int] = mapped_column(default=1, server_default="1")
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    area: Mapped[Area] = relationship()
    invited_by = relationship("User", foreign_keys=[invited_by_id])
    accepted_by = relationship("User", foreign_keys=[accepted_by_id])

    def state(self, now: datetime) -> InvitationStatus:
        if self.status is InvitationStatus.SENT and self.expires_at <= now:
            return InvitationStatus.EXPIRED
        return self.status
