"""A small area for the newsletter tests: an organiser, members who chose newsletters and
members who did not, one who left, one suspended, subscribers, and a consultation answered by
some of them. Built with the shared factories; call inside an app context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from forum.areas.models import MembershipStatus, Role
from forum.discussions.models import Suspension
from forum.extensions import db
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications.models import Subscriber
from forum.notifications.topics import Frequency, Topic
from tests.factories import (
    make_area,
    make_consultation,
    make_membership,
    make_person_in,
    make_question,
    make_response,
    make_survey,
    make_user,
)


@dataclass
class World:
    area: object = None
    other_area: object = None
    ids: dict = field(default_factory=dict)


def wants_newsletters(user, area, how: Frequency = Frequency.IMMEDIATELY) -> None:
    preferences.choose(user, area.id, Topic.NEWSLETTERS, how)
    db.session.commit()


def subscriber(area, email: str, *, confirmed: bool = True) -> Subscriber:
    row = Subscriber(area_id=area.id, email=email, confirmed_at=utcnow() if confirmed else None)
    db.session.add(row)
    db.session.commit()
    return row


def build() -> World:
    world = World()
    area = world.area = make_area(slug="northshire", name="Northshire")
    other = world.other_area = make_area(slug="southshire", name="Southshire")
    organiser = make_person_in(area, Role.ORGANISER, email="org@example.org")
    make_user(email="admin@example.org", is_admin=True)
    make_person_in(other, Role.ORGANISER, email="otherorg@example.org")
    make_person_in(area, Role.RESPONDER, email="council@example.org")
    keen = make_person_in(area, Role.MEMBER, email="keen@example.org")
    weekly = make_person_in(area, Role.MEMBER, email="weekly@example.org")
    quiet = make_person_in(area, Role.MEMBER, email="quiet@example.org")
    left = make_user(email="left@example.org")
    make_membership(left, area, status=MembershipStatus.DECLINED)
    suspended = make_person_in(area, Role.MEMBER, email="suspended@example.org")
    elsewhere = make_person_in(other, Role.MEMBER, email="elsewhere@example.org")
    make_user(email="visitor@example.org")
    for person in (organiser, keen, left, suspended, elsewhere):
        wants_newsletters(person, area if person is not elsewhere else other)
    wants_newsletters(weekly, area, Frequency.WEEKLY)
    db.session.add(
        Suspension(
            area_id=area.id,
            user_id=suspended.id,
            until=utcnow() + timedelta(days=3),
            reason="A break",
        )
    )
    db.session.commit()
    subscriber(area, "fan@example.net")
    subscriber(area, "unconfirmed@example.net", confirmed=False)

    # A named survey: keen and quiet answered, a draft from weekly; an anonymous one.
    consultation = make_consultation(area, state="closed", title="Transport to school")
    survey = make_survey(consultation, is_anonymous=False)
    question = make_question(survey, prompt="Is the bus on time?")
    for person in (keen, quiet):
        make_response(survey, user=person, status="submitted", answers={question: "yes_please"})
    make_response(survey, user=weekly, status="draft")
    hidden = make_consultation(area, state="closed", title="Anonymous one")
    anonymous = make_survey(hidden, is_anonymous=True)
    make_response(anonymous, user=keen, status="submitted")
    world.ids = {
        "organiser": organiser.id,
        "keen": keen.id,
        "weekly": weekly.id,
        "quiet": quiet.id,
        "left": left.id,
        "suspended": suspended.id,
        "consultation": consultation.id,
        "anonymous": hidden.id,
    }
    return world
