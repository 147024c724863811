"""Who may choose emails and subscribe, as a matrix over kinds of people: the pure functions,
then the pages themselves."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from forum.areas.models import MembershipStatus, Role
from forum.extensions import db
from forum.mailings.preferences.permissions import can_choose_emails
from forum.mailings.subscribers.permissions import can_subscribe
from tests.factories import make_area, make_membership, make_person_in, make_user

PEOPLE = ["visitor", "no forum", "pending", "member", "organiser", "admin"]


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="northshire")
        people = {
            "no forum": make_user(email="none@example.org"),
            "member": make_person_in(area, Role.MEMBER, email="member@example.org"),
            "organiser": make_person_in(area, Role.ORGANISER, email="org@example.org"),
            "admin": make_user(email="admin@example.org", is_admin=True),
        }
        pending = make_user(email="pending@example.org")
        make_membership(pending, area, status=MembershipStatus.PENDING)
        people["pending"] = pending
        db.session.commit()
        return area, people


@pytest.mark.parametrize("who", PEOPLE)
def test_the_permission_functions(app, world, who):
    area, people = world
    with app.app_context():
        user = AnonymousUserMixin() if who == "visitor" else people[who]
        assert can_choose_emails(user, area) is (who != "visitor")
        assert can_choose_emails(user, None) is False
        assert can_subscribe(user, area) is True
        assert can_subscribe(user, None) is False


EMAILS = {p: f"{p.split()[0]}@example.org" for p in PEOPLE if p != "visitor"}
EMAILS["no forum"] = "none@example.org"
EMAILS["organiser"] = "org@example.org"


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(
    ("path", "visitor"),
    [
        ("/account/emails", 302),
        ("/areas/northshire/subscribe", 200),
        ("/areas/northshire/subscribe/check-your-email", 200),
        ("/areas/northshire/subscription-deleted", 200),
    ],
)
def test_the_pages(client, auth, world, who, path, visitor):
    if who != "visitor":
        auth.login(EMAILS[who])
    response = client.get(path)
    assert response.status_code == (visitor if who == "visitor" else 200)


@pytest.mark.parametrize(
    "path",
    ["/areas/nowhere/subscribe", "/areas/nowhere/subscribe/check-your-email"],
)
def test_an_unknown_area_is_not_found(client, world, path):
    assert client.get(path).status_code == 404
