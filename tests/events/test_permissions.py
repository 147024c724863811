"""Who may see and run events, and who sees registrations and the online link: a matrix over
the people of the event world and its events."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from forum.accounts.models import User
from forum.events import permissions as p
from forum.events.models import Event, Registration
from forum.extensions import db

PEOPLE = [
    "visitor",
    "nobody@example.org",
    "member@example.org",
    "council@example.org",
    "org@example.org",
    "other@example.org",
    "admin@example.org",
]
ORGANISERS = {"org@example.org", "admin@example.org"}
MEMBERS = {"member@example.org", "council@example.org"} | ORGANISERS


def _person(who):
    if who == "visitor":
        return AnonymousUserMixin()
    return db.session.scalar(select(User).where(User.email == who))


EXPECTED = {
    # (check, event): who may
    ("can_view_event", "draft"): ORGANISERS,
    ("can_view_event", "public"): set(PEOPLE),
    ("can_view_event", "members"): MEMBERS,
    ("can_view_event", "cancelled"): set(PEOPLE),
    ("can_view_event", "south_draft"): {"other@example.org", "admin@example.org"},
    ("can_manage_event", "public"): ORGANISERS,
    ("can_see_registrations", "public"): ORGANISERS,
    ("can_see_registrations", "south_draft"): {"other@example.org", "admin@example.org"},
    ("can_register", "public"): set(PEOPLE),
    ("can_register", "members"): MEMBERS - {"admin@example.org"},
    ("can_register", "draft"): set(),
    ("can_register", "cancelled"): set(),
    ("can_register", "happened"): set(),
    ("can_see_online_link", "public"): ORGANISERS,
    ("can_see_online_link", "cancelled"): set(),
}


@pytest.mark.parametrize("check, event", sorted(EXPECTED))
def test_matrix(app, world, check, event):
    with app.app_context():
        row = db.session.get(Event, getattr(world, event))
        allowed = {who for who in PEOPLE if getattr(p, check)(_person(who), row)}
        assert allowed == EXPECTED[(check, event)]


def test_the_online_link_goes_to_a_confirmed_registration_only(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        rows = db.session.scalars(select(Registration).where(Registration.event_id == event.id))
        by_status = {r.status.value: r for r in rows}
        visitor = AnonymousUserMixin()
        assert p.can_see_online_link(visitor, event, by_status["confirmed"])
        assert not p.can_see_online_link(visitor, event, by_status["waiting"])


def test_a_responder_sees_no_access_needs(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        assert not p.can_see_registrations(_person("council@example.org"), event)
        assert p.can_see_registrations(_person("org@example.org"), event)


def test_only_the_person_cancels_their_registration(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        mine = db.session.scalar(
            select(Registration)
            .where(Registration.event_id == event.id)
            .join(User)
            .where(User.email == "member@example.org")
        )
        assert p.can_cancel_registration(_person("member@example.org"), mine)
        assert not p.can_cancel_registration(_person("org@example.org"), mine)
        assert not p.can_cancel_registration(AnonymousUserMixin(), mine)
