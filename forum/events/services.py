"""Writing events and moving them through their lifecycle.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. A move that does not make sense (publishing a cancelled event, an end before its
start) raises `EventError`, whose message is safe to show beside the field it names.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.audit.services import record
from forum.consultations.models import Audience
from forum.errors import Refused
from forum.events.models import (
    CAPACITY_MAX,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import queue_email
from forum.web.time import london
from forum.web.urls import absolute

#: the longest link to join online
LINK_MAX = 500
#: the shortest and longest time access needs may be kept after an event, in days
KEEP_DAYS_MIN, KEEP_DAYS_MAX = 1, 365


class EventError(Refused):
    """An event rule was broken; the message is safe to show."""


def check_link(value: str) -> str:
    """An http or https address with a host, or blank."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > LINK_MAX:
        raise EventError(
            f"The link to join online must be {LINK_MAX} characters or fewer", field="online_link"
        )
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
        raise EventError(
            "The link to join online must be a web address starting with https://",
            field="online_link",
        )
    return value


def _check(fields: dict, *, now: datetime, event: Event | None = None) -> dict:
    """The rules every save follows; returns the fields as they are to be stored."""
    starts_at, ends_at = fields["starts_at"], fields["ends_at"]
    start_moved = event is None or starts_at != event.starts_at
    if start_moved and starts_at <= now:
        raise EventError("The start must be in the future", field="starts_at")
    if ends_at <= starts_at:
        raise EventError("The end must be after the start", field="ends_at")
    if not (fields["is_in_person"] or fields["is_online"]):
        raise EventError("Choose whether people come in person, join online, or both", field="how")
    if fields["is_in_person"] and not fields["address"].strip():
        raise EventError("Enter the address for people coming in person", field="address")
    fields["online_link"] = check_link(fields["online_link"])
    if fields["is_online"] and not fields["online_link"]:
        raise EventError("Enter the link to join online", field="online_link")
    capacity = fields["capacity"]
    if capacity is not None and not 1 <= capacity <= CAPACITY_MAX:
        raise EventError(
            f"The number of places must be from 1 to {CAPACITY_MAX:,}", field="capacity"
        )
    if fields["needs_registration"] and capacity is None:
        raise EventError(
            "Enter the number of places, or say that people do not need to register",
            field="capacity",
        )
    if event is not None and capacity is not None and capacity < event.places_taken:
        booked = "1 place is" if event.places_taken == 1 else f"{event.places_taken} places are"
        raise EventError(
            f"{booked} already booked, so there must be at least {event.places_taken} places",
            field="capacity",
        )
    if not KEEP_DAYS_MIN <= fields["keep_needs_days"] <= KEEP_DAYS_MAX:
        raise EventError(
            f"The number of days must be from {KEEP_DAYS_MIN} to {KEEP_DAYS_MAX}",
            field="keep_needs_days",
        )
    if not fields["is_in_person"]:
        fields["address"] = ""
    if not fields["is_online"]:
        fields["online_link"] = ""
    return fields


def _links(event: Event, consultation, priorities) -> None:
    if consultation is not None and consultation.area_id != event.area_id:
        consultation = None  # another area's: never linked, whatever the form sent
    event.consultation = consultation
    event.consultation_id = consultation.id if consultation is not None else None
    event.priorities = [p for p in priorities if p.area_id == event.area_id]


def create_event(
    area,
    *,
    title: str,
    description: str = "",
    starts_at: datetime,
    ends_at: datetime,
    is_in_person: bool = True,
    address: str = "",
    has_step_free_access: bool = False,
    has_parking: bool = False,
    has_quiet_room: bool = False,
    has_hearing_loop: bool = False,
    accessibility_notes: str = "",
    is_online: bool = False,
    online_link: str = "",
    needs_registration: bool = True,
    capacity: int | None = None,
    audience: Audience = Audience.PUBLIC,
    keep_needs_days: int = 30,
    consultation=None,
    priorities=(),
    actor,
    now: datetime | None = None,
) -> Event:
    """A new draft: nobody but the area's organisers sees it until it is published."""
    fields = _check(
        {
            "title": title,
            "description": description,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "is_in_person": is_in_person,
            "address": address,
            "has_step_free_access": has_step_free_access,
            "has_parking": has_parking,
            "has_quiet_room": has_quiet_room,
            "has_hearing_loop": has_hearing_loop,
            "accessibility_notes": accessibility_notes,
            "is_online": is_online,
            "online_link": online_link,
            "needs_registration": needs_registration,
            "capacity": capacity,
            "audience": audience,
            "keep_needs_days": keep_needs_days,
        },
        now=now or utcnow(),
    )
    event = Event(area_id=area.id, area=area, created_by_id=getattr(actor, "id", None), **fields)
    _links(event, consultation, priorities)
    db.session.add(event)
    db.session.flush()
    record("event.created", event, actor=actor, area=area)
    return event


def update_event(
    event: Event, *, consultation=None, priorities=(), actor, now=None, **fields
) -> Event:
    """Change an event's details. A cancelled event is not changed; a start already past
    stays where it is, but may not be moved into the past."""
    if event.is_cancelled:
        raise EventError("This event is cancelled, so it cannot be changed")
    checked = _check(fields, now=now or utcnow(), event=event)
    changed = sorted(name for name, value in checked.items() if getattr(event, name) != value)
    for name, value in checked.items():
        setattr(event, name, value)
    _links(event, consultation, priorities)
    db.session.flush()
    record("event.updated", event, actor=actor, area=event.area, changed=changed)
    return event


def publish(event: Event, *, actor, now: datetime | None = None) -> None:
    """Make a draft visible to its audience (and open for registration, if it needs it)."""
    if not event.is_draft:
        raise EventError("Only a draft can be published: this event is already published")
    if event.has_started(now):
        raise EventError("This event has already started. Change its date before publishing it")
    event.status = EventStatus.PUBLISHED
    event.published_at = now or utcnow()
    db.session.flush()
    record("event.published", event, actor=actor, area=event.area)


def set_registration_open(event: Event, is_open: bool, *, actor, now=None) -> None:
    """Close registration (people already registered keep their places), or open it again."""
    if not event.is_published:
        raise EventError("Registration can only be opened or closed on a published event")
    if not event.needs_registration:
        raise EventError("People do not need to register for this event")
    if event.has_started(now):
        raise EventError("This event has already started")
    if event.is_registration_open == is_open:
        return  # pressed twice, or from two pages: nothing more to do
    event.is_registration_open = is_open
    db.session.flush()
    record(
        "event.registration_opened" if is_open else "event.registration_closed",
        event,
        actor=actor,
        area=event.area,
    )


def registered_people(event: Event) -> list[Registration]:
    """Everyone who holds a place or waits for one (and addresses not yet confirmed, whose
    owners asked for a place), with their accounts, in one statement."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status != RegistrationStatus.CANCELLED,
            )
            .options(selectinload(Registration.user))
            .order_by(Registration.id)
        )
    )


def cancel_event(event: Event, *, reason: str, actor, now: datetime | None = None) -> int:
    """Cancel a published event and tell everyone registered, once: a second press (or a
    second organiser at the same moment) changes nothing and sends nothing. Returns how many
    were told."""
    if event.is_cancelled:
        return 0
    if not event.is_published:
        raise EventError("Only a published event can be cancelled: delete a draft instead")
    if event.has_happened(now):
        raise EventError("This event has already happened, so it cannot be cancelled")
    event.status = EventStatus.CANCELLED
    event.cancel_reason = reason
    event.cancelled_at = now or utcnow()
    event.is_registration_open = False
    db.session.flush()  # the version check makes a second organiser's cancel stale here
    people = registered_people(event)
    for registration in people:
        if registration.status is RegistrationStatus.UNCONFIRMED:
            continue  # never confirmed the address: nothing to tell it
        queue_email(
            registration.address,
            "event_cancelled",
            kind="event_cancelled",
            flush=False,
            area=event.area,
            event=event,
            name=registration.user.display_name if registration.user else registration.name,
            when=london(event.starts_at),
            reason=reason,
            link=absolute(event),
        )
    told = sum(1 for r in people if r.status is not RegistrationStatus.UNCONFIRMED)
    db.session.flush()
    record("event.cancelled", event, actor=actor, area=event.area, told=told)
    return told
