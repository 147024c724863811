"""The number of SQL statements a page sends does not grow with the data (no N+1 queries).

Each test counts the statements of one GET (BEGIN/COMMIT/SAVEPOINT aside) with a small area,
adds rows of every kind the page shows (with distinct related rows, so a lazy load per row
cannot hide behind the identity map), and counts again. bench/run.py prints the same figures
for the demo with thousands of rows.
"""

from __future__ import annotations

import pytest

from forum.areas.models import MembershipStatus, Role
from tests.areas.worlds import make_northshire_with_council
from tests.factories import make_area, make_membership, make_partner, make_person_in, make_user
from tests.support import assert_same_count, statements_for


@pytest.fixture
def north(app):
    """Northshire with one organiser, one partner, one responder, one member, one request."""
    with app.app_context():
        area, organiser, council = make_northshire_with_council()
        make_membership(make_user(), area, Role.RESPONDER, partner=council)
        make_person_in(area, Role.MEMBER)
        make_membership(make_user(), area, status=MembershipStatus.PENDING, note="Hello")
    return {"area": area, "organiser": organiser}


def grow_north(app, area, *, members: int, pending: int, responders: int) -> None:
    """More active members, more requests to join, and responders each with their own partner."""
    with app.app_context():
        for _ in range(members):
            make_person_in(area, Role.MEMBER)
        for n in range(pending):
            make_membership(make_user(), area, status=MembershipStatus.PENDING, note=f"Request {n}")
        for n in range(responders):
            partner = make_partner(area, name=f"Partner {n}")
            make_membership(make_user(), area, Role.RESPONDER, partner=partner)


@pytest.mark.parametrize("who", ["visitor", "organiser"])
def test_area_home_sends_as_many_statements_with_3_members_as_with_60(
    app, client, auth, north, who
):
    if who == "organiser":
        auth.login("org@example.org")
    url = "/areas/northshire"
    small = statements_for(app, client, url)
    grow_north(app, north["area"], members=52, pending=5, responders=5)
    large = statements_for(app, client, url)
    assert "60 members" in client.get(url).get_data(as_text=True)
    assert_same_count(url, small, large)


def test_members_page_sends_as_many_statements_with_3_members_as_with_60(app, client, auth, north):
    auth.login("org@example.org")
    url = "/areas/northshire/members"
    small = statements_for(app, client, url)
    grow_north(app, north["area"], members=52, pending=15, responders=5)
    large = statements_for(app, client, url)
    page = client.get(url).get_data(as_text=True)
    assert "Partner 4" in page and "Request 14" in page, "the new rows are on the page"
    assert_same_count(url, small, large)
    # 60 active members make three pages of 20; the second costs the same as the first.
    assert_same_count(f"{url}?page=2", large, statements_for(app, client, f"{url}?page=2"))


@pytest.mark.parametrize("who", ["visitor", "member of every area"])
def test_home_page_sends_as_many_statements_with_3_areas_as_with_40(app, client, auth, who):
    with app.app_context():
        areas = [make_area(name=f"Area {n:02d}") for n in range(3)]
        person = make_user(email="everywhere@example.org")
        for area in areas:
            make_membership(person, area)
    if who != "visitor":
        auth.login("everywhere@example.org")
    small = statements_for(app, client, "/")
    with app.app_context():
        for n in range(3, 40):
            area = make_area(name=f"Area {n:02d}")
            make_partner(area)
            make_membership(person, area)
    large = statements_for(app, client, "/")
    assert "40 areas" in client.get("/").get_data(as_text=True)
    assert_same_count("/", small, large)
    assert_same_count("/?page=2", large, statements_for(app, client, "/?page=2"))
