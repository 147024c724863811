"""Event pages send the same number of SQL statements however many events there are: the
area's list, the organiser's list, the area home and a consultation's page with a few or
many events (each linked to the consultation and a priority, with registrations)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from forum.consultations.models import Audience, Consultation
from forum.events.models import Event, EventStatus, event_priorities
from forum.extensions import db
from forum.models import utcnow
from tests.events.worlds import url
from tests.support import assert_same_count, statements_for


def grow(app, world, n: int) -> None:
    with app.app_context():
        now = utcnow()
        start = db.session.scalar(select(db.func.count()).select_from(Event))
        rows = [
            {
                "area_id": world.area_id,
                "title": f"Grown {start + i}",
                "description": "",
                "starts_at": now + timedelta(days=(i % 40) - 20, hours=1),
                "ends_at": now + timedelta(days=(i % 40) - 20, hours=3),
                "address": "Hall",
                "capacity": 10,
                "audience": Audience.PUBLIC if i % 3 else Audience.MEMBERS,
                "status": [EventStatus.PUBLISHED, EventStatus.DRAFT, EventStatus.CANCELLED][i % 3],
                "consultation_id": world.consultation_id,
                "published_at": now,
            }
            for i in range(n)
        ]
        db.session.execute(insert(Event), rows)
        ids = db.session.scalars(select(Event.id).order_by(Event.id.desc()).limit(n)).all()
        db.session.execute(
            insert(event_priorities),
            [{"event_id": i, "priority_id": world.priority_id} for i in ids],
        )
        db.session.commit()


@pytest.mark.parametrize("who", [None, "member@example.org", "org@example.org"])
def test_event_lists_are_flat(app, client, auth, world, who):
    if who:
        auth.login(who)
    with app.app_context():
        slug = db.session.get(Consultation, world.consultation_id).slug
    pages = [
        "/areas/northshire/events",
        "/areas/northshire/events?when=past",
        "/areas/northshire",
        f"/areas/northshire/consultations/{slug}",
    ]
    if who == "org@example.org":
        pages.append("/areas/northshire/events/manage")
    grow(app, world, 2)
    small = {page: statements_for(app, client, page) for page in pages}
    grow(app, world, 60)
    for page in pages:
        assert_same_count(page, small[page], statements_for(app, client, page))


def test_event_page_is_flat(app, client, auth, world):
    auth.login("org@example.org")
    small = statements_for(app, client, url(world.public))
    grow(app, world, 30)
    assert_same_count(url(world.public), small, statements_for(app, client, url(world.public)))
