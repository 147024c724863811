"""Events an area's forum runs (coffee mornings, workshops, drop-ins, online sessions) and the
registrations people make for them.

An event's lifecycle is stored as `status` (draft, published, cancelled) with
`is_registration_open` beside it; "happened" is read from the clock (`Event.has_happened`),
never stored. Places are counted in `Event.places_taken`, which only a conditional UPDATE
moves (`services.take_places`), so the database refuses to go over capacity however many
people register at once. Notes about what was heard at an event (`EventNote`, with its
items and actions) hang off `Event.id`.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import (
    CheckConstraint,
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

from forum.consultations.models import Audience
from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow

#: the most places an event may offer
CAPACITY_MAX = 5000
#: the most adults one registration may bring
ADULTS_MAX = 10
#: access needs and dietary needs are erased this many days after an event unless the
#: organiser chose another number (shown on the event form)
KEEP_NEEDS_DAYS = 30


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "published": "Published", "cancelled": "Cancelled"}[self.value]


class AccessChoice(enum.StrEnum):
    """The access needs a forum most often has to arrange for; free text covers the rest."""

    BSL = "bsl"
    WHEELCHAIR = "wheelchair"
    QUIET_SPACE = "quiet_space"
    CHILDCARE = "childcare"

    @property
    def label(self) -> str:
        return {
            "bsl": "A British Sign Language (BSL) interpreter",
            "wheelchair": "Wheelchair access",
            "quiet_space": "A quiet space",
            "childcare": "Childcare",
        }[self.value]


class RegistrationStatus(enum.StrEnum):
    #: given with an email address and not yet confirmed from the link sent to it: holds no
    #: place until it is confirmed (`services.UNCONFIRMED_HELD`)
    UNCONFIRMED = "unconfirmed"
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            "unconfirmed": "Email not confirmed yet",
            "confirmed": "Place booked",
            "waiting": "On the waiting list",
            "cancelled": "Cancelled",
        }[self.value]


event_priorities = Table(
    "event_priorities",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("priority_id", ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            f"capacity IS NULL OR (capacity >= 1 AND capacity <= {CAPACITY_MAX})", name="capacity"
        ),
        CheckConstraint(
            "capacity IS NULL OR places_taken <= capacity", name="places_within_capacity"
        ),
        CheckConstraint("places_taken >= 0", name="places_taken"),
        CheckConstraint("is_in_person OR is_online", name="in_person_or_online"),
        CheckConstraint("keep_needs_days >= 1 AND keep_needs_days <= 365", name="keep_needs_days"),
        Index("ix_events_area_starts", "area_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row through the ORM; an edit form carries it to catch
    #: a stale save (forum/web/versions.py). Taking places is a plain UPDATE that leaves it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(160))
    #: markdown subset, rendered with the `markdown` filter
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    is_in_person: Mapped[bool] = mapped_column(default=True)
    address: Mapped[str] = mapped_column(Text, default="")
    has_step_free_access: Mapped[bool] = mapped_column(default=False)
    has_parking: Mapped[bool] = mapped_column(default=False)
    has_quiet_room: Mapped[bool] = mapped_column(default=False)
    has_hearing_loop: Mapped[bool] = mapped_column(default=False)
    #: anything else about getting there and getting in, in the organiser's words
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    is_online: Mapped[bool] = mapped_column(default=False)
    #: shown only to people with a place and to the area's organisers
    online_link: Mapped[str] = mapped_column(String(500), default="")

    #: without registration anyone may come; capacity is then optional and only informative
    needs_registration: Mapped[bool] = mapped_column(default=True)
    #: places (adults) in total; required when registration is needed
    capacity: Mapped[int | None] = mapped_column()
    #: places held by confirmed registrations; moved only by conditional UPDATEs
    places_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    audience: Mapped[Audience] = mapped_column(str_enum(Audience, 16), default=Audience.PUBLIC)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[EventStatus] = mapped_column(
        str_enum(EventStatus, 16), default=EventStatus.DRAFT
    )
    is_registration_open: Mapped[bool] = mapped_column(default=True)
    #: why it was cancelled, in the organiser's words (shown on the page and in the email)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    #: access and dietary needs are erased this many days after the event ends
    keep_needs_days: Mapped[int] = mapped_column(default=KEEP_NEEDS_DAYS)
    #: when they were erased (a `retention_purges` purge); null until then
    needs_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    area = relationship("Area")
    consultation = relationship("Consultation")
    priorities = relationship("Priority", secondary=event_priorities, order_by="Priority.position")

    @property
    def url(self) -> str:
        return url_for("events.show", area_slug=self.area.slug, event_id=self.id)

    @property
    def manage_url(self) -> str:
        return url_for("events.manage", area_slug=self.area.slug, event_id=self.id)

    @property
    def is_draft(self) -> bool:
        return self.status is EventStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status is EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.starts_at

    def has_happened(self, now: datetime | None = None) -> bool:
        """Over, and not cancelled: read from the clock, never stored."""
        return not self.is_cancelled and (now or utcnow()) >= self.ends_at

    def takes_registrations(self, now: datetime | None = None) -> bool:
        """Published, registration needed and open, and not started yet."""
        return (
            self.is_published
            and self.needs_registration
            and self.is_registration_open
            and not self.has_started(now)
        )

    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.places_taken, 0)

    @property
    def needs_erased_after(self) -> datetime:
        """When access and dietary needs given for this event are erased."""
        return self.ends_at + timedelta(days=self.keep_needs_days)

    def stage(self, now: datetime | None = None) -> tuple[str, str]:
        """(label, GOV.UK tag class) for where the event is now."""
        if self.is_cancelled:
            return "Cancelled", "govuk-tag--red"
        if self.is_draft:
            return "Draft", "govuk-tag--grey"
        if self.has_happened(now):
            return "Happened", "govuk-tag--blue"
        if self.has_started(now):
            return "Happening now", "govuk-tag--green"
        if self.needs_registration and not self.is_registration_open:
            return "Registration closed", "govuk-tag--yellow"
        if self.needs_registration:
            return "Registration open", "govuk-tag--green"
        return "Coming up", "govuk-tag--green"

    @property
    def access_features(self) -> list[str]:
        return [
            text
            for has, text in (
                (self.has_step_free_access, "Step-free access"),
                (self.has_parking, "Parking"),
                (self.has_quiet_room, "A quiet room"),
                (self.has_hearing_loop, "A hearing loop"),
            )
            if has
        ]


class Registration(db.Model):
    """One person's (or one email address's) registration for an event, with the adults coming
    and what they need. Access and dietary needs are health data: only the area's organisers
    see them, and they are erased `Event.keep_needs_days` after the event."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_event_registrations_event_user"),
        UniqueConstraint("event_id", "email", name="uq_event_registrations_event_email"),
        CheckConstraint(f"adults >= 1 AND adults <= {ADULTS_MAX}", name="adults"),
        CheckConstraint("user_id IS NOT NULL OR email IS NOT NULL", name="someone"),
        Index("ix_event_registrations_event_status", "event_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: denormalised from the event so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: the account that registered; null for a registration made with an email address
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: the address of someone without an account (null when `user_id` is set)
    email: Mapped[str | None] = mapped_column(String(254))
    #: the name to put on the list (a registration by email has no account to take it from)
    name: Mapped[str] = mapped_column(String(120), default="")
    adults: Mapped[int] = mapped_column(default=1)
    #: comma-separated `AccessChoice` values
    access_choices: Mapped[str] = mapped_column(String(100), default="")
    access_needs: Mapped[str] = mapped_column(Text, default="")
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus, 16), default=RegistrationStatus.CONFIRMED
    )
    #: places this registration holds now (its adults while confirmed, else 0)
    places: Mapped[int] = mapped_column(default=0)
    #: marked by an organiser on the day: None until marked
    attended: Mapped[bool | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when it joined the waiting list; the list is in this order (then id)
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when the reminder the day before was sent (or kept for a digest); null until then
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    user = relationship("User")

    @property
    def choices(self) -> list[AccessChoice]:
        return [AccessChoice(v) for v in self.access_choices.split(",") if v]

    @property
    def address(self) -> str:
        return self.user.email if self.user_id is not None else (self.email or "")

    @property
    def is_active(self) -> bool:
        return self.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


# --- what was heard ----------------------------------------------------------------------------

#: the longest point in "what families raised", and the most people one point may count
ITEM_MAX, PEOPLE_MAX = 500, 1000


class NoteVisibility(enum.StrEnum):
    """Who may read an event's notes (the whole note: summary, items and actions)."""

    PUBLIC = "public"
    MEMBERS = "members"
    ORGANISERS = "organisers"

    @property
    def label(self) -> str:
        return {
            "public": "Anyone who can see the event",
            "members": "Members of the forum",
            "organisers": "The forum's organisers only",
        }[self.value]


class EventNote(db.Model):
    """What was heard at an event, written by the area's organisers once it has started: a
    summary, the points families raised (`NoteItem`) and the actions agreed (`NoteAction`).
    One per event."""

    __tablename__ = "event_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change through the ORM; the notes form carries it (stale saves)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[NoteVisibility] = mapped_column(
        str_enum(NoteVisibility, 16), default=NoteVisibility.ORGANISERS
    )
    #: the organiser who wrote them; kept without their name when their account is deleted
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    items: Mapped[list[NoteItem]] = relationship(
        back_populates="note", order_by="NoteItem.id", cascade="all, delete-orphan"
    )
    actions: Mapped[list[NoteAction]] = relationship(
        back_populates="note", order_by="NoteAction.id", cascade="all, delete-orphan"
    )


class NoteItem(db.Model):
    """One point families raised, in the organiser's words, with how many people raised it
    when the organiser knows."""

    __tablename__ = "event_note_items"
    __table_args__ = (
        CheckConstraint(
            f"people IS NULL OR (people >= 1 AND people <= {PEOPLE_MAX})", name="people"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("event_notes.id", ondelete="CASCADE"), index=True
    )
    #: denormalised so the theme picker lists an area's items with one filter
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(ITEM_MAX))
    people: Mapped[int | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    note: Mapped[EventNote] = relationship(back_populates="items")
    #: the survey codes the point is tagged with (those of the linked consultation's survey)
    codes = relationship("Code", secondary="event_note_item_codes", order_by="Code.name")


class NoteItemCode(db.Model):
    """A survey code on one point families raised: the same codes organisers tag written
    answers with, from the survey of the consultation the event is linked to. A theme with
    that code as evidence counts the point too."""

    __tablename__ = "event_note_item_codes"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("event_note_items.id", ondelete="CASCADE"), primary_key=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("survey_codes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    tagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    tagged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NoteAction(db.Model):
    """An action agreed at the event: what, who owns it (a name or an organisation, as typed),
    when it is due, and whether it is done."""

    __tablename__ = "event_note_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("event_notes.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    is_done: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    note: Mapped[EventNote] = relationship(back_populates="actions")
