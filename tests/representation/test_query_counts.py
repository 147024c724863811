"""The public page and the organisers' list send the same number of SQL statements however
many meetings a month has, each with people, themes, priorities and actions."""

from __future__ import annotations

from datetime import date

from forum.areas.models import Area, PartnerOrganisation
from forum.extensions import db
from forum.outcomes.themes.models import Theme
from forum.plans.models import Priority
from forum.representation import services
from tests.representation.worlds import BASE, MEETINGS, user
from tests.support import assert_same_count, statements_for


def grow(app, world, n: int) -> None:
    with app.app_context():
        area = db.session.get(Area, world.area_id)
        organiser = user("org@example.org")
        for i in range(n):
            meeting = services.record_meeting(
                area,
                name=f"Grown meeting {i}",
                held_on=date(2026, 10, 1 + i % 28),
                partner=db.session.get(
                    PartnerOrganisation, world.icb_id if i % 2 else world.council_id
                ),
                members=[user("member@example.org")],
                other_people=[f"Person {i}"],
                themes=[db.session.get(Theme, world.theme)],
                priorities=[db.session.get(Priority, world.p1)],
                summary=f"Summary {i}",
                is_public=True,
                is_raised_public=True,
                is_agreed_public=True,
                actor=organiser,
            )
            services.add_action(meeting, text=f"Action {i}", actor=organiser)
            services.add_action(meeting, text=f"Other action {i}", is_done=True, actor=organiser)
        db.session.commit()


def test_the_public_page_is_flat(app, client, world):
    url = f"{BASE}?month=2026-10"
    small = statements_for(app, client, url)
    grow(app, world, 30)
    assert_same_count(url, small, statements_for(app, client, url))


def test_the_organisers_list_is_flat(app, client, auth, world):
    auth.login("org@example.org")
    url = f"{MEETINGS}?month=2026-10"
    small = statements_for(app, client, url)
    grow(app, world, 30)
    assert_same_count(url, small, statements_for(app, client, url))
