"""Capacity is held by the database: 50 people registering at the same moment for 10 places
get exactly 10 places and a waiting list of 40, in the order they were answered. Runs on the
test database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), each registration in its
own thread, connection and transaction."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.events import services
from forum.events.models import Event, Registration, RegistrationStatus
from forum.events.queries import waiting_position
from forum.extensions import db
from tests.events.worlds import make_event
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
