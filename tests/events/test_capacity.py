"""Capacity is held by the database: 50 people registering at the same moment for 10 places
get exactly 10 places and a waiting list of 40, in the order they were answered. Runs on the
test database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), each registration in its
own thread, connection and transaction.

Taking places locks the event's row until the transaction ends (PostgreSQL), so the UPDATE
that takes them is the last write of a registration: its email and audit entry are written
before it, and someone told to wait is written after the refused UPDATE is rolled back."""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.audit.models import AuditEvent
from forum.events import services
from forum.events.models import Event, Registration, RegistrationStatus
from forum.events.queries import waiting_position
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.events.worlds import make_event, make_registration
from tests.factories import make_area, make_person_in

PEOPLE, PLACES = 50, 10


@pytest.mark.real_commits
def test_fifty_at_once_for_ten_places(app):
    with app.app_context():
        area = make_area(slug="northshire")
        people = [
            make_person_in(area, Role.MEMBER, email=f"parent{n}@example.org").id
            for n in range(PEOPLE)
        ]
        event_id = make_event(db.session.merge(area), capacity=PLACES).id
        db.session.commit()
        db.session.remove()

    barrier = threading.Barrier(PEOPLE)
    errors: list[Exception] = []

    def register(user_id: int) -> None:
        try:
            barrier.wait()  # before any connection is taken: the pool has fewer than 50
            with app.app_context():
                event = db.session.get(Event, event_id)
                user = db.session.get(User, user_id)
                services.register(event, user=user, actor=user)
                db.session.commit()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(uid,)) for uid in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    with app.app_context():
        event = db.session.get(Event, event_id)
        rows = db.session.scalars(
            select(Registration).where(Registration.event_id == event_id)
        ).all()
        placed = [r for r in rows if r.status is RegistrationStatus.CONFIRMED]
        waiting = sorted(
            (r for r in rows if r.status is RegistrationStatus.WAITING),
            key=lambda r: (r.waiting_since, r.id),
        )
        assert len(rows) == PEOPLE
        assert len(placed) == PLACES and event.places_taken == PLACES
        assert sum(r.places for r in placed) == PLACES
        assert len(waiting) == PEOPLE - PLACES
        # in order: every place went before anyone was told to wait, and the list runs 1..40
        assert max(r.confirmed_at for r in placed) <= min(r.waiting_since for r in waiting)
        assert [waiting_position(r) for r in waiting] == list(range(1, PEOPLE - PLACES + 1))

        # one cancel moves exactly the first on the list up
        services.cancel_registration(placed[0], actor=None)
        db.session.commit()
        first = db.session.get(Registration, waiting[0].id)
        assert first.status is RegistrationStatus.CONFIRMED
        assert db.session.get(Event, event_id).places_taken == PLACES
        assert waiting_position(db.session.get(Registration, waiting[1].id)) == 1


# --- what runs while the event's row is locked -------------------------------------------------

TAKE_PLACES = re.compile(r"^UPDATE events SET places_taken=", re.IGNORECASE)
WRITES = re.compile(r"^(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@contextmanager
def every_statement(app):
    """Every statement sent while the block runs, savepoints included, in order."""
    sent: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        sent.append(" ".join(statement.split()))

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)


def _one_event(capacity: int, booked: int = 0):
    area = make_area(slug="northshire")
    event = make_event(area, capacity=capacity)
    for n in range(booked):
        make_registration(event, user=make_person_in(area, Role.MEMBER, email=f"in{n}@x.org"))
    return event, make_person_in(area, Role.MEMBER, email="new@example.org")


def _tables_written(statements: list[str]) -> list[str]:
    return [s.split()[2 if s.upper().startswith(("INSERT", "DELETE")) else 1] for s in statements]


def test_a_place_is_taken_by_the_last_write(app):
    with app.app_context():
        event, person = _one_event(capacity=2)
        with every_statement(app) as sent:
            registration = services.register(event, user=person, actor=person)
        assert registration.status is RegistrationStatus.CONFIRMED
        taken = [n for n, s in enumerate(sent) if TAKE_PLACES.match(s)]
        assert len(taken) == 1
        before, after = sent[: taken[0]], sent[taken[0] + 1 :]
        # the email (rendered, with its calendar file) and the audit entry are already written
        written = _tables_written([s for s in before if WRITES.match(s)])
        assert "outbox_messages" in written and "audit_events" in written
        # and nothing is sent after the UPDATE but the area's new data version (written at
        # commit, forum/areas/data_versions.py) and the end of savepoints
        assert all(
            s.upper().startswith(("RELEASE SAVEPOINT", "INSERT INTO AREA_DATA_VERSIONS"))
            for s in after
        ), after
        assert db.session.get(Event, event.id).places_taken == 1


def test_someone_told_to_wait_is_written_after_the_refusal_is_rolled_back(app):
    with app.app_context():
        event, person = _one_event(capacity=1, booked=1)
        with every_statement(app) as sent:
            registration = services.register(event, user=person, actor=person)
        assert registration.status is RegistrationStatus.WAITING
        taken = [n for n, s in enumerate(sent) if TAKE_PLACES.match(s)]
        assert len(taken) == 1
        # the refused UPDATE is undone at once (on PostgreSQL, any lock it took waiting goes
        # with it); the waiting list, its email and its entry come after
        assert sent[taken[0] + 1].upper().startswith("ROLLBACK TO SAVEPOINT")
        written = _tables_written([s for s in sent[taken[0] + 1 :] if WRITES.match(s)])
        assert written[0] == "event_registrations"
        assert "outbox_messages" in written and "audit_events" in written
        assert db.session.get(Event, event.id).places_taken == 1


def test_a_place_seen_taken_that_came_free_is_still_booked(app, monkeypatch):
    """The read before the UPDATE is only a guess: when it says full and the UPDATE finds
    room after all (someone cancelled in between), the person gets the place."""
    with app.app_context():
        event, person = _one_event(capacity=2)
        monkeypatch.setattr(services, "_seen_free", lambda event: 0)
        registration = services.register(event, user=person, actor=person)
        assert registration.status is RegistrationStatus.CONFIRMED
        assert registration.places == 1 and registration.waiting_since is None
        assert db.session.get(Event, event.id).places_taken == 1
        kinds = db.session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.to_address == "new@example.org")
        ).all()
        assert kinds == ["event_registered"]
        entries = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "event.registered")
        ).all()
        assert entries == [{"status": "confirmed"}]


def test_a_place_seen_free_that_went_is_a_waiting_place(app, monkeypatch):
    """The other way round: the booking written first is rolled back whole (no place, no
    "you have a place" email, no entry saying so) and the person waits."""
    with app.app_context():
        event, person = _one_event(capacity=1, booked=1)
        monkeypatch.setattr(services, "_seen_free", lambda event: 1)
        registration = services.register(event, user=person, actor=person)
        assert registration.status is RegistrationStatus.WAITING
        assert registration.places == 0 and registration.confirmed_at is None
        kinds = db.session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.to_address == "new@example.org")
        ).all()
        assert kinds == ["event_waiting"]
        entries = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "event.registered")
        ).all()
        assert entries == [{"status": "waiting"}]
