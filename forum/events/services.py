"""Writing events and moving them through their lifecycle.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. A move that does not make sense (publishing a cancelled event, an end before its
start) raises `EventError`, whose message is safe to show beside the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum.audit.services import record
from forum.consultations.models import Audience
from forum.errors import Refused
from forum.events.calendar import event_ics
from forum.events.models import (
    ADULTS_MAX,
    CAPACITY_MAX,
    ITEM_MAX,
    PEOPLE_MAX,
    AccessChoice,
    Event,
    EventNote,
    EventStatus,
    NoteAction,
    NoteItem,
    NoteItemCode,
    NoteVisibility,
    Registration,
    RegistrationStatus,
)
from forum.events.queries import count_line_links, item_code_choices
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.preferences import Mail, notify
from forum.notifications.services import Attachment, queue_email
from forum.notifications.topics import Topic
from forum.web.time import LONDON, london
from forum.web.urls import absolute, external_url

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


def why_not_deleted(event: Event) -> str | None:
    """Why this event cannot be deleted, in a sentence; None for a draft that can. Only a
    draft that was never published goes: nobody can have registered for it or been emailed
    about it, and it holds no notes of what was heard (their points can be evidence). A
    published event is cancelled instead, so everyone registered is told."""
    if not event.is_draft or event.published_at is not None:
        return (
            "This event has been published, so it cannot be deleted: people may have seen it "
            "or registered. Cancel it instead."
        )
    registered = db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id)
    )
    if registered:
        return "People have registered for this event, so it cannot be deleted."
    if note_of(event) is not None:
        return "This draft has notes on what was heard, so it cannot be deleted."
    return None


def delete_draft(event: Event, *, actor) -> None:
    """Delete a draft that was never published (see `why_not_deleted`), with its links to
    a consultation and priorities. The audit entry keeps its title and date."""
    if (reason := why_not_deleted(event)) is not None:
        raise EventError(reason)
    record(
        "event.deleted",
        event,
        actor=actor,
        area=event.area,
        label=event.title,
        starts_at=event.starts_at.isoformat(),
    )
    db.session.delete(event)
    db.session.flush()


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


# --- registrations -------------------------------------------------------------------------

#: an email address's registration holds no place until it is confirmed from the link sent
#: to it; the link works this long, and the unconfirmed registration is deleted after it
UNCONFIRMED_HELD = timedelta(hours=48)


def take_places(event: Event, places: int) -> bool:
    """Take `places` of the event's capacity, if they are free: one conditional UPDATE, so the
    database refuses to go over capacity however many people register at the same moment (on
    SQLite writers queue; on PostgreSQL the second UPDATE waits for the first and reads the
    row again). An event without a capacity always has room."""
    if event.capacity is None:
        taken = db.session.execute(
            update(Event)
            .where(Event.id == event.id)
            .values(places_taken=Event.places_taken + places)
            .execution_options(synchronize_session=False)
        )
    else:
        taken = db.session.execute(
            update(Event)
            .where(Event.id == event.id, Event.places_taken + places <= Event.capacity)
            .values(places_taken=Event.places_taken + places)
            .execution_options(synchronize_session=False)
        )
    db.session.expire(event, ["places_taken"])
    return cast(CursorResult, taken).rowcount == 1


def release_places(event: Event, places: int) -> None:
    if places:
        db.session.execute(
            update(Event)
            .where(Event.id == event.id)
            .values(places_taken=Event.places_taken - places)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(event, ["places_taken"])


def _refuse_unless_open(event: Event, now: datetime) -> None:
    if event.is_cancelled:
        raise EventError("This event is cancelled, so you cannot register for it")
    if event.has_started(now):
        raise EventError("This event has already started, so registration is closed")
    if not (event.is_published and event.needs_registration):
        raise EventError("This event does not take registrations")
    if not event.is_registration_open:
        raise EventError("Registration for this event is closed")


def _seen_free(event: Event) -> int | None:
    """The places free as last committed (a plain read, which waits for no lock); None for an
    event without a limit. Only a guess at what `take_places` will answer."""
    if event.capacity is None:
        return None
    taken = db.session.scalar(select(Event.places_taken).where(Event.id == event.id))
    return event.capacity - (taken or 0)


def _settle(
    registration: Registration,
    *,
    now: datetime | None,
    audit: Callable[[Registration], object],
) -> None:
    """Give a registration its places, or put it on the waiting list (in the order people
    asked); send the email that says which, and write the audit entry (`audit`).

    Taking places is an UPDATE of the event's row, and on PostgreSQL that row stays locked
    until the transaction ends, so every other registration for the event waits for it. So
    the UPDATE comes last: when places look free, the booking, its email (rendered, with its
    calendar file) and its audit entry are written first, in a savepoint, and the UPDATE
    decides; if it finds no room after all they are rolled back and the person waits. A
    refused UPDATE takes no lock here: one that waited for another registration's lock would
    keep it (PostgreSQL locks the row before it checks the condition again), so it runs in a
    savepoint that is rolled back, and the waiting list is written with no lock held. The
    waiting time is read after that UPDATE, so everyone who waits got their answer after the
    last place went."""
    event = registration.event
    adults = registration.adults
    free = _seen_free(event)
    if free is None or free >= adults:
        savepoint = db.session.begin_nested()
        _book(registration, now or utcnow(), audit)
        if take_places(event, adults):
            savepoint.commit()
            return
        savepoint.rollback()  # full after all: no booking, no email, no entry
    else:
        savepoint = db.session.begin_nested()
        if take_places(event, adults):
            # A place came free since the read, which is rare: booked under the lock.
            savepoint.commit()
            _book(registration, now or utcnow(), audit)
            return
        savepoint.rollback()
    registration.status = RegistrationStatus.WAITING
    registration.places = 0
    registration.waiting_since = now or utcnow()
    db.session.flush()
    _tell(registration, "event_waiting")
    audit(registration)


def _book(registration: Registration, now: datetime, audit) -> None:
    registration.status = RegistrationStatus.CONFIRMED
    registration.places = registration.adults
    registration.confirmed_at = now
    registration.waiting_since = None
    db.session.flush()
    _tell(registration, "event_registered")
    audit(registration)


def _tell(registration: Registration, kind: str, **context) -> None:
    """A transactional email about this registration (never optional: the person asked).
    Its links are secrets, taken out of the stored copy once it is sent. An email saying the
    person has a place carries the event as a calendar file, with the online link."""
    event = registration.event
    attachments = []
    if registration.places:
        attachments.append(
            Attachment("event.ics", "text/calendar", event_ics(event, with_link=True))
        )
    queue_email(
        registration.address,
        kind,
        kind=kind,
        attachments=attachments,
        secrets=[cancel_link(registration), context.get("confirm_link", "")],
        area=event.area,
        event=event,
        registration=registration,
        name=registration.user.display_name if registration.user else registration.name,
        when=london(event.starts_at, "%A %-d %B %Y, %-I:%M%p"),
        link=absolute(event),
        cancel_link=cancel_link(registration),
        **context,
    )


def register(
    event: Event,
    *,
    user=None,
    email: str | None = None,
    name: str = "",
    adults: int = 1,
    access_choices=(),
    access_needs: str = "",
    dietary_needs: str = "",
    actor,
    now: datetime | None = None,
) -> Registration:
    """Register `user` (or, for a public event, someone without an account by `email`).

    A person registers once per event: asking again (a second tab, a double click that got
    past the form's key) gives back the registration they have, and a cancelled one is used
    again. An account gets a place at once if there is room, else the waiting list; an email
    address gets nothing until it is confirmed (`confirm_email`)."""
    _refuse_unless_open(event, now or utcnow())
    if not 1 <= adults <= ADULTS_MAX:
        raise EventError(f"The number of adults must be from 1 to {ADULTS_MAX}", field="adults")
    if user is None and not email:
        raise EventError("Enter your email address", field="email")
    if user is None and event.audience is not Audience.PUBLIC:
        raise EventError("Only members of the forum can register for this event")
    choices = ",".join(c.value for c in AccessChoice if c in set(access_choices))
    fields = {
        "name": name,
        "adults": adults,
        "access_choices": choices,
        "access_needs": access_needs,
        "dietary_needs": dietary_needs,
    }
    found = _existing(event, user=user, email=email)
    if found is not None and found.is_active:
        return found

    def audit(registration: Registration) -> None:
        record(
            "event.registered",
            registration,
            actor=actor,
            area=event.area,
            status=registration.status.value,
        )

    try:
        with db.session.begin_nested():
            registration = found or Registration(
                event=event,
                event_id=event.id,
                area_id=event.area_id,
                user_id=user.id if user is not None else None,
                user=user,
                email=None if user is not None else email,
            )
            for key, value in fields.items():
                setattr(registration, key, value)
            registration.cancelled_at = None
            registration.created_at = now or utcnow()
            registration.status = RegistrationStatus.UNCONFIRMED
            db.session.add(registration)
            db.session.flush()
            if user is not None:
                _settle(registration, now=now, audit=audit)
            else:
                _tell(registration, "event_confirm_email", confirm_link=confirm_link(registration))
                audit(registration)
    except IntegrityError:
        # The same person registered at the same moment in another request: keep theirs.
        found = _existing(event, user=user, email=email)
        if found is None:
            raise
        return found
    return registration


def _existing(event: Event, *, user, email) -> Registration | None:
    where = Registration.user_id == user.id if user is not None else Registration.email == email
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id, where))


def confirm_email(registration: Registration, *, now: datetime | None = None) -> Registration:
    """The address's owner followed the link: now the registration takes a place, or waits."""
    if registration.status is not RegistrationStatus.UNCONFIRMED:
        return registration  # followed twice: nothing more to do
    _refuse_unless_open(registration.event, now or utcnow())
    _settle(
        registration,
        now=now,
        audit=lambda r: record("event.email_confirmed", r, area=r.event.area),
    )
    return registration


def cancel_registration(
    registration: Registration, *, actor, now: datetime | None = None
) -> Registration:
    """Give up a place (or leave the waiting list). The places go to the people waiting, in
    order, at once, and each is emailed. Cancelling twice changes nothing."""
    now = now or utcnow()
    event = registration.event
    if registration.status is RegistrationStatus.CANCELLED:
        return registration
    if event.has_started(now) and not event.is_cancelled:
        raise EventError("This event has already started, so the registration cannot be cancelled")
    # Claim the change on the row itself, so two cancels at once release the places once.
    claimed = db.session.execute(
        update(Registration)
        .where(
            Registration.id == registration.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .values(status=RegistrationStatus.CANCELLED, places=0, cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    places = registration.places
    db.session.expire(registration)
    if cast(CursorResult, claimed).rowcount != 1:
        return registration
    release_places(event, places)
    record("event.registration_cancelled", registration, actor=actor, area=event.area)
    if places and not event.is_cancelled:
        promote(event, now=now)
    return registration


def promote(event: Event, *, now: datetime | None = None) -> list[Registration]:
    """Give free places to the people waiting, first come first served: the first on the list
    whose adults fit gets them, and the list stops at the first who does not fit (nobody is
    passed over for a smaller group). Each one promoted is emailed."""
    now = now or utcnow()
    promoted = []
    waiting = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.waiting_since, Registration.id)
    ).all()
    for registration in waiting:
        savepoint = db.session.begin_nested()
        claimed = db.session.execute(
            update(Registration)
            .where(
                Registration.id == registration.id,
                Registration.status == RegistrationStatus.WAITING,
            )
            .values(
                status=RegistrationStatus.CONFIRMED,
                places=Registration.adults,
                promoted_at=now,
                confirmed_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult, claimed).rowcount != 1:
            savepoint.rollback()
            continue  # someone else promoted or cancelled it just now
        if not take_places(event, registration.adults):
            savepoint.rollback()
            break
        savepoint.commit()
        db.session.refresh(registration)
        _tell(registration, "event_promoted")
        record("event.promoted", registration, area=event.area)
        promoted.append(registration)
    return promoted


# --- reminders ---------------------------------------------------------------------------------


def send_reminders(now: datetime) -> int:
    """The day-before reminder: everyone with a place at a published event that starts
    tomorrow (in London) hears once. People with an account get it as they chose for event
    emails (`Topic.EVENTS`, one-click unsubscribe); an email address registered without an
    account gets it as a service email, since that is all it asked for. Returns how many."""
    today = now.astimezone(LONDON).date()
    start = datetime.combine(today + timedelta(days=1), time(0), tzinfo=LONDON)
    end = datetime.combine(today + timedelta(days=2), time(0), tzinfo=LONDON)
    rows = db.session.scalars(
        select(Registration)
        .join(Registration.event)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at >= start.astimezone(UTC),
            Event.starts_at < end.astimezone(UTC),
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminded_at.is_(None),
        )
        .options(selectinload(Registration.user), selectinload(Registration.event))
        .order_by(Registration.id)
    ).all()
    for registration in rows:
        event = registration.event
        context: dict[str, Any] = {
            "event": event,
            "registration": registration,
            "name": registration.user.display_name if registration.user else registration.name,
            "when": london(event.starts_at, "%A %-d %B %Y, %-I:%M%p"),
            "link": absolute(event),
            "cancel_link": cancel_link(registration),
        }
        if registration.user is not None:
            notify(
                registration.user,
                event.area,
                Topic.EVENTS,
                Mail(
                    template="event_reminder",
                    kind="event_reminder",
                    title=f"Tomorrow: {event.title}",
                    link=absolute(event),
                    summary=london(event.starts_at),
                    context=context,
                ),
                audience="personal",
                about=f"event:{event.id}",
                flush=False,
            )
        else:
            queue_email(
                registration.address,
                "event_reminder",
                kind="event_reminder",
                secrets=[context["cancel_link"]],
                flush=False,
                area=event.area,
                **context,
            )
        registration.reminded_at = now
    db.session.flush()
    return len(rows)


# --- signed links --------------------------------------------------------------------------

CANCEL_SALT = "coproduce.event-cancel"
CONFIRM_SALT = "coproduce.event-confirm"


def _signer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def cancel_link(registration: Registration) -> str:
    """The link in every email about a registration that cancels it (after a button): it
    names only the registration, never what the person told us."""
    token = _signer(CANCEL_SALT).dumps(registration.id)
    return external_url("events.cancel_by_link", token=token)


def confirm_link(registration: Registration) -> str:
    token = _signer(CONFIRM_SALT).dumps(registration.id)
    return external_url("events.confirm_by_link", token=token)


def registration_from(token: str, *, confirm: bool = False) -> Registration | None:
    """The registration a signed link names, or None for a link that was changed, or (to
    confirm an address) is older than `UNCONFIRMED_HELD`."""
    try:
        if confirm:
            registration_id = _signer(CONFIRM_SALT).loads(
                token, max_age=int(UNCONFIRMED_HELD.total_seconds())
            )
        else:
            registration_id = _signer(CANCEL_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(registration_id, int):
        return None
    return db.session.get(Registration, registration_id)


# --- on the day, and afterwards ----------------------------------------------------------------


def mark_attendance(registration: Registration, attended: bool, *, actor) -> Registration:
    """An organiser marks whether someone with a place came (again to change it)."""
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise EventError("Only people with a place can be marked as having come")
    if registration.attended is attended:
        return registration  # pressed twice
    registration.attended = attended
    db.session.flush()
    record(
        "event.attendance",
        registration,
        actor=actor,
        area=registration.event.area,
        attended=attended,
    )
    return registration


def erase_needs(now: datetime) -> int:
    """The retention purge of access and dietary needs: once an event is `keep_needs_days`
    past its end, what its registrations said about needs is emptied, and the event marked.
    Returns how many registrations were emptied."""
    due = db.session.scalars(
        select(Event).where(Event.needs_erased_at.is_(None), Event.ends_at < now)
    ).all()
    erased = 0
    for event in due:
        if event.needs_erased_after > now:
            continue
        result = db.session.execute(
            update(Registration)
            .where(Registration.event_id == event.id)
            .values(access_choices="", access_needs="", dietary_needs="")
            .execution_options(synchronize_session=False)
        )
        erased += cast(CursorResult, result).rowcount or 0
        db.session.execute(
            update(Event)
            .where(Event.id == event.id)
            .values(needs_erased_at=now)
            .execution_options(synchronize_session=False)
        )
    return erased


def purge_unconfirmed(now: datetime) -> int:
    """Registrations by email address never confirmed are deleted `UNCONFIRMED_HELD` after
    they were made (the link has stopped working by then)."""
    result = db.session.execute(
        delete(Registration)
        .where(
            Registration.status == RegistrationStatus.UNCONFIRMED,
            Registration.created_at < now - UNCONFIRMED_HELD,
        )
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount or 0


# --- what was heard ----------------------------------------------------------------------------


def _note_open(event: Event, now: datetime | None = None) -> None:
    if event.is_cancelled:
        raise EventError("This event was cancelled, so it has no notes")
    if not event.has_started(now):
        raise EventError("Notes can be written once the event has started")


def save_note(
    event: Event,
    *,
    summary: str,
    visibility: NoteVisibility,
    actor,
    now: datetime | None = None,
) -> EventNote:
    """Write or change the summary of what was heard and who may read the notes."""
    _note_open(event, now)
    note = note_of(event)
    if note is None:
        note = EventNote(
            event_id=event.id,
            event=event,
            area_id=event.area_id,
            created_by_id=getattr(actor, "id", None),
        )
        try:
            with db.session.begin_nested():  # two organisers beginning the notes at once
                db.session.add(note)
                db.session.flush()
        except IntegrityError:
            raise EventError(
                "Another organiser began these notes at the same moment. Check the notes, "
                "then try again."
            ) from None
    note.summary = summary
    note.visibility = visibility
    db.session.flush()
    record("event.notes_saved", note, actor=actor, area=event.area, visibility=visibility.value)
    return note


def note_of(event: Event) -> EventNote | None:
    return db.session.scalar(select(EventNote).where(EventNote.event_id == event.id))


def _note_for(event: Event, actor, now) -> EventNote:
    """The event's notes, begun (organisers only, empty summary) if there are none yet."""
    return note_of(event) or save_note(
        event, summary="", visibility=NoteVisibility.ORGANISERS, actor=actor, now=now
    )


def add_item(
    event: Event, *, text: str, people: int | None = None, actor, now: datetime | None = None
) -> NoteItem:
    """One point families raised, with how many people raised it when known."""
    _note_open(event, now)
    text = text.strip()
    if not text:
        raise EventError("Enter what was raised", field="text")
    if len(text) > ITEM_MAX:
        raise EventError(f"What was raised must be {ITEM_MAX} characters or fewer", field="text")
    if people is not None and not 1 <= people <= PEOPLE_MAX:
        raise EventError(f"The number of people must be from 1 to {PEOPLE_MAX:,}", field="people")
    note = _note_for(event, actor, now)
    item = NoteItem(
        note=note,
        area_id=event.area_id,
        text=text,
        people=people,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(item)
    db.session.flush()
    record("event.note_item_added", item, actor=actor, area=event.area)
    return item


def _not_evidence(line: NoteItem | NoteAction, what: str) -> None:
    if count_line_links(line):
        raise EventError(
            f"This {what} is evidence for a theme, so it cannot be deleted. Remove it from "
            "the theme first."
        )


def delete_item(item: NoteItem, *, actor) -> None:
    """Delete a point; refused while a theme has it as evidence (the theme's figures and
    anything published from them would change without anyone choosing it)."""
    _not_evidence(item, "point")
    area = item.note.event.area
    record("event.note_item_deleted", item, actor=actor, area=area)
    db.session.delete(item)
    db.session.flush()


def set_item_codes(item: NoteItem, code_ids: set[int], *, actor) -> bool:
    """Tag the point with exactly these codes, from the survey of the consultation the event
    is linked to (`queries.item_code_choices`); codes not on that list raise `EventError`.
    Returns whether anything changed. A theme with a code as evidence counts the points that
    carry it."""
    event = item.note.event
    allowed = {code.id: code for code in item_code_choices(event)}
    if not code_ids <= allowed.keys():
        raise EventError("Choose codes from the list", field="codes")
    before = {code.id for code in item.codes}
    if before == code_ids:
        return False
    db.session.execute(
        delete(NoteItemCode).where(
            NoteItemCode.item_id == item.id, NoteItemCode.code_id.in_(before - code_ids)
        )
    )
    for code_id in sorted(code_ids - before):
        db.session.add(
            NoteItemCode(item_id=item.id, code_id=code_id, tagged_by_id=getattr(actor, "id", None))
        )
    db.session.flush()
    db.session.expire(item, ["codes"])
    record(
        "event.note_item_codes_set",
        item,
        actor=actor,
        area=event.area,
        added=sorted(code_ids - before),
        removed=sorted(before - code_ids),
    )
    return True


def add_action(
    event: Event,
    *,
    what: str,
    owner: str = "",
    due_on: date | None = None,
    is_done: bool = False,
    actor,
    now: datetime | None = None,
) -> NoteAction:
    """An action agreed at the event."""
    _note_open(event, now)
    if not what.strip():
        raise EventError("Enter what was agreed", field="what")
    note = _note_for(event, actor, now)
    action = NoteAction(
        note=note,
        area_id=event.area_id,
        what=what.strip(),
        owner=owner.strip(),
        due_on=due_on,
        is_done=is_done,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(action)
    db.session.flush()
    record("event.note_action_added", action, actor=actor, area=event.area)
    return action


def set_action_done(action: NoteAction, is_done: bool, *, actor) -> NoteAction:
    if action.is_done is is_done:
        return action  # pressed twice
    action.is_done = is_done
    db.session.flush()
    record("event.note_action_done", action, actor=actor, area=action.note.event.area, done=is_done)
    return action


def delete_action(action: NoteAction, *, actor) -> None:
    """Delete an action; refused while a theme has it as evidence."""
    _not_evidence(action, "action")
    record("event.note_action_deleted", action, actor=actor, area=action.note.event.area)
    db.session.delete(action)
    db.session.flush()
