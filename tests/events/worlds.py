"""The events world: Northshire with people in every role, a consultation and a plan priority
to link to, and events in every state (a draft, a published public event with people
registered and waiting, a members' event, a cancelled one, one that happened, with public
notes of what was heard: one item and one action); Southshire
next door with a draft of its own.

`build_event_world` is called once per module by the `world` fixture in
tests/events/conftest.py. `make_event` and `make_registration` are flush-only factories.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

from forum.areas.models import Role
from forum.consultations.models import Audience
from forum.events.models import (
    Event,
    EventNote,
    EventStatus,
    NoteAction,
    NoteItem,
    NoteVisibility,
    Registration,
    RegistrationStatus,
)
from forum.events.services import cancel_link, confirm_link
from forum.extensions import db
from forum.models import utcnow
from forum.web.time import LONDON
from tests.factories import (
    make_area,
    make_consultation,
    make_membership,
    make_partner,
    make_person_in,
    make_plan,
    make_priority,
    make_user,
)


def make_event(area, *, status="published", days=14, audience="public", **fields) -> Event:
    """An event `days` from now (negative for one that happened), two hours long."""
    starts = utcnow().replace(microsecond=0) + timedelta(days=days)
    values = {
        "title": f"Coffee morning {status}",
        "description": "Come and **talk** to us.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "address": "The Library\nHigh Street\nNS1 1AA",
        "has_step_free_access": True,
        "is_online": True,
        "online_link": "https://meet.example.org/secret-room",
        "capacity": 10,
        "audience": Audience(audience),
        "status": EventStatus(status),
        "published_at": utcnow() if status != "draft" else None,
    }
    values.update(fields)
    event = Event(area_id=area.id, **values)
    db.session.add(event)
    db.session.flush()
    return event


def make_registration(event, *, user=None, email=None, status="confirmed", adults=1, **fields):
    status = RegistrationStatus(status)
    registration = Registration(
        event_id=event.id,
        area_id=event.area_id,
        user_id=user.id if user is not None else None,
        email=email,
        adults=adults,
        status=status,
        places=adults if status is RegistrationStatus.CONFIRMED else 0,
        **fields,
    )
    db.session.add(registration)
    if status is RegistrationStatus.CONFIRMED:
        event.places_taken += adults
    db.session.flush()
    return registration


def build_event_world() -> SimpleNamespace:
    """Call inside an app context. Returns ids."""
    area = make_area(slug="northshire", name="Northshire")
    south = make_area(slug="southshire", name="Southshire")
    council = make_partner(area, name="Northshire County Council")
    make_user(email="admin@example.org", is_admin=True)
    make_person_in(area, Role.ORGANISER, email="org@example.org")
    parent = make_person_in(area, Role.MEMBER, email="member@example.org")
    waiting = make_person_in(area, Role.MEMBER, email="waiting@example.org")
    make_membership(make_user(email="council@example.org"), area, Role.RESPONDER, partner=council)
    make_person_in(south, Role.ORGANISER, email="other@example.org")
    make_user(email="nobody@example.org")
    consultation = make_consultation(area, state="open", title="Short breaks")
    plan = make_plan(area, title="Local Inclusion Plan")
    priority = make_priority(area, code="P1", title="Early help", plan=plan)

    draft = make_event(area, status="draft", title="Draft workshop")
    public = make_event(area, title="Coffee morning", consultation_id=consultation.id)
    placed = make_registration(
        public,
        user=parent,
        access_choices="bsl",
        access_needs="Needs a seat near the door",
        dietary_needs="No nuts",
    )
    waiting_row = make_registration(public, user=waiting, status="waiting", waiting_since=utcnow())
    guest = make_registration(
        public, email="guest@example.org", name="Gita", status="unconfirmed", access_needs="Ramp"
    )
    members = make_event(area, title="Members' drop-in", audience="members", days=20)
    cancelled = make_event(area, status="cancelled", title="Cancelled talk", days=5)
    happened = make_event(area, title="Last month's coffee morning", days=-30)
    south_draft = make_event(south, status="draft", title="Southshire draft")
    note = EventNote(
        event_id=happened.id,
        area_id=area.id,
        summary="A **lively** morning.",
        visibility=NoteVisibility.PUBLIC,
    )
    item = NoteItem(note=note, area_id=area.id, text="Waiting lists for therapy are long", people=6)
    action = NoteAction(note=note, area_id=area.id, what="Ask the ICB for the figures", owner="Sam")
    db.session.add_all([note, item, action])
    db.session.commit()
    return SimpleNamespace(
        area_id=area.id,
        south_id=south.id,
        consultation_id=consultation.id,
        consultation_slug=consultation.slug,
        priority_id=priority.id,
        draft=draft.id,
        public=public.id,
        members=members.id,
        cancelled=cancelled.id,
        happened=happened.id,
        south_draft=south_draft.id,
        placed=placed.id,
        note=note.id,
        item=item.id,
        action=action.id,
        cancel_path=path(cancel_link(waiting_row)),
        confirm_path=path(confirm_link(guest)),
    )


def path(link: str) -> str:
    """The path of an absolute link in an email."""
    return urlsplit(link).path


def url(event_id: int, area: str = "northshire") -> str:
    return f"/areas/{area}/events/{event_id}"


def moment(name: str, days: int, time: str) -> dict:
    """The boxes of a date and time field, `days` from now."""
    when = (utcnow() + timedelta(days=days)).astimezone(LONDON)
    return {
        f"{name}-day": str(when.day),
        f"{name}-month": str(when.month),
        f"{name}-year": str(when.year),
        f"{name}-time": time,
    }


def event_form(**changes) -> dict:
    """A valid event form, three weeks from now, with `changes`."""
    data = {
        "title": "Workshop: preparing for adulthood",
        "description": "Bring your questions.",
        **moment("starts_at", 21, "10:00"),
        **moment("ends_at", 21, "12:00"),
        "how": ["in_person"],
        "address": "Town Hall, NS1 1AA",
        "features": ["has_step_free_access", "has_hearing_loop"],
        "needs_registration": "yes",
        "capacity": "30",
        "audience": "public",
        "keep_needs_days": "30",
        "consultation_id": "",
    }
    data.update(changes)
    return data
