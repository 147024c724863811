"""Reading events: an area's lists (upcoming and past, for the viewer), one event by its id
within its area, and the few upcoming events shown on the area home and a consultation's page.
Each list is one statement (with the linked rows loaded in one more), however many events."""

from __future__ import annotations

from datetime import timedelta

from flask import abort
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from forum import hooks
from forum.areas.permissions import is_member
from forum.areas.queries import load_area
from forum.consultations.models import Audience, Consultation
from forum.events.models import (
    Event,
    EventNote,
    EventStatus,
    NoteAction,
    NoteItem,
    Registration,
    RegistrationStatus,
)
from forum.events.permissions import can_manage_events
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.models import Code, Survey


def get_event(area, event_id: int) -> Event | None:
    return db.session.scalar(select(Event).where(Event.area_id == area.id, Event.id == event_id))


def load_event(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the area's event by id, or 404 (another area's too)."""
    kwargs = load_area(kwargs)
    event = get_event(kwargs["area"], kwargs.pop("event_id"))
    if event is None:
        abort(404)
    kwargs["event"] = event
    return kwargs


def select_visible(user, area) -> Select:
    """The area's events this person may see: organisers every one, drafts included; members
    the published and cancelled ones; everyone else those whose audience is the public."""
    query = select(Event).where(Event.area_id == area.id)
    if can_manage_events(user, area):
        return query
    query = query.where(Event.status != EventStatus.DRAFT)
    if not is_member(user, area):
        query = query.where(Event.audience == Audience.PUBLIC)
    return query


def select_upcoming(user, area, *, now=None) -> Select:
    """Events not over yet, soonest first (drafts only for organisers)."""
    return (
        select_visible(user, area)
        .where(Event.ends_at > (now or utcnow()))
        .order_by(Event.starts_at, Event.id)
    )


def select_past(user, area, *, now=None) -> Select:
    """Events that are over, most recent first (cancelled ones left out)."""
    return (
        select_visible(user, area)
        .where(Event.ends_at <= (now or utcnow()), Event.status == EventStatus.PUBLISHED)
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )


def upcoming_for_consultation(user, consultation, *, limit: int = 5, now=None) -> list[Event]:
    """Published events linked to a consultation, not over yet, that this person may see."""
    query = (
        select_visible(user, consultation.area)
        .where(
            Event.consultation_id == consultation.id,
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at > (now or utcnow()),
        )
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def published_upcoming(user, area, *, limit: int = 3, now=None) -> list[Event]:
    """For the area home: published events not over yet, soonest first."""
    query = (
        select_visible(user, area)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at > (now or utcnow()))
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def consultations_to_link(area) -> list:
    """The area's consultations an event may be linked to, newest first."""
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.area_id == area.id)
            .order_by(Consultation.opens_at.desc(), Consultation.id.desc())
        )
    )


def get_registration(event, user) -> Registration | None:
    """This person's registration for the event (cancelled ones too), or None."""
    if not (user and user.is_authenticated):
        return None
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.user_id == user.id
        )
    )


def waiting_position(registration: Registration) -> int | None:
    """Where a waiting registration is on the list, from 1; None for one that is not waiting."""
    if registration.status is not RegistrationStatus.WAITING:
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITING,
            or_(
                Registration.waiting_since < registration.waiting_since,
                and_(
                    Registration.waiting_since == registration.waiting_since,
                    Registration.id < registration.id,
                ),
            ),
        )
    )
    return (ahead or 0) + 1


def upcoming_registrations(user, *, now=None) -> list[Registration]:
    """The person's places and waiting-list spots for events not over yet, soonest first,
    with their events and areas, in one statement."""
    return list(
        db.session.scalars(
            select(Registration)
            .join(Registration.event)
            .where(
                Registration.user_id == user.id,
                Registration.status.in_([RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]),
                Event.ends_at > (now or utcnow()),
            )
            .options(contains_eager(Registration.event).joinedload(Event.area))
            .order_by(Event.starts_at, Event.id)
        )
    )


#: the feed holds events that ended up to this long ago, and everything to come
FEED_PAST = timedelta(days=365)


def _select_feed(area, columns, now) -> Select:
    return select(*columns).where(
        Event.area_id == area.id,
        Event.audience == Audience.PUBLIC,
        Event.status != EventStatus.DRAFT,
        Event.ends_at > (now or utcnow()) - FEED_PAST,
    )


def public_feed(area, *, now=None) -> list[Event]:
    """The area's public events for its calendar feed: published or cancelled (so a calendar
    that has one learns it is off), from a year ago on, in one statement."""
    return list(
        db.session.scalars(_select_feed(area, [Event], now).order_by(Event.starts_at, Event.id))
    )


def feed_version(area, *, now=None) -> tuple:
    """What the feed is made from, in one small statement: which events (their number and the
    sum of their ids) and the sum of their row versions, which every change moves on."""
    return tuple(
        db.session.execute(
            _select_feed(
                area,
                [func.count(Event.id), func.sum(Event.id), func.sum(Event.version)],
                now,
            )
        ).one()
    )


def registration_list(event) -> list[Registration]:
    """Everyone registered for the event, for its organisers: places first (in the order
    they were booked), then the waiting list in its order, then addresses not yet confirmed;
    with their accounts, in two statements however many there are."""
    order = case(
        (Registration.status == RegistrationStatus.CONFIRMED, 0),
        (Registration.status == RegistrationStatus.WAITING, 1),
        else_=2,
    )
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status != RegistrationStatus.CANCELLED,
            )
            .options(selectinload(Registration.user))
            .order_by(
                order,
                Registration.confirmed_at,
                Registration.waiting_since,
                Registration.id,
            )
        )
    )


def get_registration_of(event, registration_id: int) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.id == registration_id
        )
    )


def load_registration(kwargs: dict) -> dict:
    """URL loader: a registration of this event (404 for another event's)."""
    kwargs = load_event(kwargs)
    registration = get_registration_of(kwargs["event"], kwargs.pop("registration_id"))
    if registration is None:
        abort(404)
    kwargs["registration"] = registration
    return kwargs


def people_who_came(event) -> tuple[int, int]:
    """(people who came, registrations marked as having come) at one event, for its
    organisers: each marked registration counts its adults."""
    marked, people = db.session.execute(
        select(func.count(Registration.id), func.coalesce(func.sum(Registration.adults), 0)).where(
            Registration.event_id == event.id, Registration.attended.is_(True)
        )
    ).one()
    return int(people), int(marked)


def note_with_lines(event) -> EventNote | None:
    """The event's notes with their items (and their codes) and actions: four statements,
    however many."""
    return db.session.scalar(
        select(EventNote)
        .where(EventNote.event_id == event.id)
        .options(
            selectinload(EventNote.items).selectinload(NoteItem.codes),
            selectinload(EventNote.actions),
        )
    )


def _note_line(model, kwargs: dict, key: str) -> dict:
    kwargs = load_event(kwargs)
    line_id = kwargs.pop(key)
    line = db.session.scalar(
        select(model)
        .join(EventNote, EventNote.id == model.note_id)
        .where(EventNote.event_id == kwargs["event"].id, model.id == line_id)
    )
    if line is None:
        abort(404)
    kwargs[key.removesuffix("_id")] = line
    return kwargs


def load_note_item(kwargs: dict) -> dict:
    """URL loader: an item of this event's notes (404 for another event's)."""
    return _note_line(NoteItem, kwargs, "item_id")


def load_note_action(kwargs: dict) -> dict:
    """URL loader: an action of this event's notes (404 for another event's)."""
    return _note_line(NoteAction, kwargs, "action_id")


def count_line_links(line: NoteItem | NoteAction) -> int:
    """Rows of higher areas that point at this point or action (a theme's evidence), found
    through `hooks.note_line_links`; while there are any, it cannot be deleted."""
    table = line.__table__.name
    total = 0
    for column in (provider.target for provider in hooks.note_line_links):
        if any(fk.column.table.name == table for fk in column.expression.foreign_keys):
            total += (
                db.session.scalar(
                    select(func.count()).select_from(column.class_).where(column == line.id)
                )
                or 0
            )
    return total


def item_code_choices(event: Event) -> list[Code]:
    """The codes a point raised at the event can carry: those of the survey of the
    consultation the event is linked to, A to Z (none when it is linked to none)."""
    if event.consultation_id is None:
        return []
    return list(
        db.session.scalars(
            select(Code)
            .join(Survey, Survey.id == Code.survey_id)
            .where(
                Survey.consultation_id == event.consultation_id,
                Code.area_id == event.area_id,
            )
            .order_by(Code.name, Code.id)
        )
    )


# --- figures for the scorecard and the national page -----------------------------------------


def _held(now):
    """Events that happened: published (not cancelled, not drafts) and over."""
    return and_(Event.status == EventStatus.PUBLISHED, Event.ends_at <= now)


def event_figures(area_ids: list[int], *, now=None) -> dict[int, tuple[int, int]]:
    """Per area: (events held, people marked as having come), in one statement however many
    areas and events. A registration marked "came" counts its adults: the registration form
    asks how many are coming, and the organiser marks the registration, not each person."""
    if not area_ids:
        return {}
    now = now or utcnow()
    came = (
        select(func.coalesce(func.sum(Registration.adults), 0))
        .where(Registration.event_id == Event.id, Registration.attended.is_(True))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Event.area_id, func.count(Event.id), func.coalesce(func.sum(came), 0))
        .where(Event.area_id.in_(area_ids), _held(now))
        .group_by(Event.area_id)
    ).all()
    found = {area_id: (int(held), int(people)) for area_id, held, people in rows}
    return {area_id: found.get(area_id, (0, 0)) for area_id in area_ids}
