"""Event services: the rules of a save, the lifecycle moves, and cancelling (everyone
registered told once, through the outbox)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas.models import Area
from forum.audit.models import AuditEvent
from forum.consultations.models import Audience, Consultation
from forum.events import services
from forum.events.models import Event, EventStatus
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from forum.plans.models import Priority


def _ctx(app, world):
    area = db.session.get(Area, world.area_id)
    actor = db.session.scalar(select(User).where(User.email == "org@example.org"))
    return area, actor


def _fields(**changes):
    starts = utcnow().replace(microsecond=0) + timedelta(days=10)
    fields = {
        "title": "Workshop",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "is_in_person": True,
        "address": "Town Hall",
        "capacity": 20,
    }
    fields.update(changes)
    return fields


def test_create_makes_a_draft_with_links_of_this_area_only(app, world):
    with app.app_context():
        area, actor = _ctx(app, world)
        consultation = db.session.get(Consultation, world.consultation_id)
        priority = db.session.get(Priority, world.priority_id)
        event = services.create_event(
            area, **_fields(), consultation=consultation, priorities=[priority], actor=actor
        )
        assert event.status is EventStatus.DRAFT
        assert event.consultation_id == consultation.id
        assert [p.id for p in event.priorities] == [priority.id]
        assert (
            db.session.scalar(select(AuditEvent.action).where(AuditEvent.subject_id == event.id))
            == "event.created"
        )

        south = db.session.get(Area, world.south_id)
        other = services.create_event(
            south, **_fields(), consultation=consultation, priorities=[priority], actor=actor
        )
        assert other.consultation_id is None and other.priorities == []


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"starts_at": utcnow() - timedelta(days=1)}, "starts_at"),
        ({"ends_at": utcnow() + timedelta(days=1)}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 100_000}, "capacity"),
        ({"capacity": None}, "capacity"),
        ({"is_in_person": False}, "how"),
        ({"address": "  "}, "address"),
        ({"is_online": True}, "online_link"),
        ({"is_online": True, "online_link": "javascript:alert(1)"}, "online_link"),
        ({"keep_needs_days": 0}, "keep_needs_days"),
        ({"keep_needs_days": 1000}, "keep_needs_days"),
    ],
)
def test_create_refuses_what_breaks_a_rule(app, world, changes, field):
    with app.app_context():
        area, actor = _ctx(app, world)
        before = db.session.scalar(select(func.count()).select_from(Event))
        with pytest.raises(services.EventError) as refused:
            services.create_event(area, **_fields(**changes), actor=actor)
        assert refused.value.field == field
        assert db.session.scalar(select(func.count()).select_from(Event)) == before


def test_capacity_is_optional_without_registration(app, world):
    with app.app_context():
        area, actor = _ctx(app, world)
        event = services.create_event(
            area, **_fields(capacity=None, needs_registration=False), actor=actor
        )
        assert event.capacity is None


def test_update_keeps_a_past_start_but_refuses_fewer_places_than_booked(app, world):
    with app.app_context():
        area, actor = _ctx(app, world)
        event = db.session.get(Event, world.public)
        fields = {
            name: getattr(event, name)
            for name in [
                "title",
                "description",
                "starts_at",
                "ends_at",
                "is_in_person",
                "address",
                "has_step_free_access",
                "has_parking",
                "has_quiet_room",
                "has_hearing_loop",
                "accessibility_notes",
                "is_online",
                "online_link",
                "needs_registration",
                "capacity",
                "audience",
                "keep_needs_days",
            ]
        }
        event.places_taken = 5
        with pytest.raises(services.EventError, match="5 places are already booked"):
            services.update_event(event, **dict(fields, capacity=4), actor=actor)
        db.session.rollback()
        happened = db.session.get(Event, world.happened)
        fields.update(starts_at=happened.starts_at, ends_at=happened.ends_at)
        services.update_event(happened, **dict(fields, title="Renamed"), actor=actor)
        assert happened.title == "Renamed"


def test_publish_close_and_open_registration(app, world):
    with app.app_context():
        _, actor = _ctx(app, world)
        draft = db.session.get(Event, world.draft)
        services.publish(draft, actor=actor)
        assert draft.is_published and draft.published_at is not None
        with pytest.raises(services.EventError):
            services.publish(draft, actor=actor)
        services.set_registration_open(draft, False, actor=actor)
        assert not draft.takes_registrations()
        services.set_registration_open(draft, False, actor=actor)  # twice: nothing more
        services.set_registration_open(draft, True, actor=actor)
        assert draft.takes_registrations()
        happened = db.session.get(Event, world.happened)
        with pytest.raises(services.EventError, match="already started"):
            services.set_registration_open(happened, False, actor=actor)


def test_cancel_tells_everyone_registered_once(app, world):
    with app.app_context():
        _, actor = _ctx(app, world)
        event = db.session.get(Event, world.public)
        told = services.cancel_event(event, reason="The venue flooded.", actor=actor)
        assert told == 2
        again = services.cancel_event(event, reason="Again", actor=actor)
        assert again == 0
        emails = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "event_cancelled")
        ).all()
        assert sorted(m.to_address for m in emails) == [
            "member@example.org",
            "waiting@example.org",
        ]
        assert "The venue flooded." in emails[0].body_text
        assert emails[0].subject == "Cancelled: Coffee morning"
        assert event.cancel_reason == "The venue flooded."


def test_a_draft_or_a_past_event_cannot_be_cancelled(app, world):
    with app.app_context():
        _, actor = _ctx(app, world)
        with pytest.raises(services.EventError):
            services.cancel_event(db.session.get(Event, world.draft), reason="x", actor=actor)
        with pytest.raises(services.EventError):
            services.cancel_event(db.session.get(Event, world.happened), reason="x", actor=actor)


def test_a_members_event_keeps_its_audience(app, world):
    with app.app_context():
        assert db.session.get(Event, world.members).audience is Audience.MEMBERS
