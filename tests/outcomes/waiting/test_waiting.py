""" "Waiting for your answer" (responders) and where each kind of person lands after signing in
(decided in one place, forum/outcomes/landing.py). One world for the module."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.areas.models import MembershipStatus, Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.models import utcnow
from tests.factories import (
    PASSWORD,
    make_area,
    make_consultation,
    make_decision,
    make_membership,
    make_partner,
    make_person_in,
    make_theme,
    make_user,
)
from tests.support import assert_same_count, statements_for

URL = "/account/waiting-for-your-answer"

#: this page has no POST endpoints; the shared "every POST route is covered" count adds these
POSTS: dict = {}


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        north = make_area(slug="north", name="North")
        south = make_area(slug="south", name="South")
        council = make_partner(north, name="North Council")
        icb = make_partner(north, name="North ICB")
        south_council = make_partner(south, name="South Council")

        def responder(email, area, partner):
            user = make_user(email=email)
            make_membership(user, area, Role.RESPONDER, partner=partner)
            return user

        responder("council@w.example", north, council)
        responder("icb@w.example", north, icb)
        both = responder("both@w.example", north, council)
        make_membership(both, south, Role.RESPONDER, partner=south_council)
        make_person_in(north, Role.ORGANISER, email="org@w.example")
        two_forums = make_person_in(north, Role.ORGANISER, email="org2@w.example")
        make_membership(two_forums, south, Role.ORGANISER)
        make_person_in(north, Role.MEMBER, email="member@w.example")
        member2 = make_person_in(north, Role.MEMBER, email="member2@w.example")
        make_membership(member2, south, Role.MEMBER)
        pending = make_user(email="pending@w.example")
        make_membership(pending, north, Role.MEMBER, status=MembershipStatus.PENDING)
        make_user(email="nobody@w.example")
        make_user(email="admin@w.example", is_admin=True)

        overdue = make_consultation(north, state="closed", title="Overdue one")
        row = db.session.get(Consultation, overdue.id)
        row.closes_at = utcnow() - timedelta(weeks=14)
        row.opens_at = row.closes_at - timedelta(days=30)
        row.response_due_at = row.closes_at + timedelta(weeks=12)
        db.session.commit()
        recent = make_consultation(north, state="closed", title="Recent one")
        still_open = make_consultation(north, state="open", title="Open one")
        south_c = make_consultation(south, state="closed", title="Southern one")

        make_theme(recent, title="Transport to school")
        make_theme(overdue, title="Waiting for assessments")
        answered = make_theme(overdue, title="Respite care")
        # the council saved an answer (not published yet): no longer waiting for the council
        make_decision(answered, council)
        make_theme(still_open, title="Theme of an open consultation")
        make_theme(south_c, title="Southern theme")
        return {"north": north, "recent": recent, "council": council}


def titles(html: str, names) -> list[str]:
    found = [(html.index(n), n) for n in names if n in html]
    return [n for _, n in sorted(found)]


ALL = [
    "Waiting for assessments",
    "Respite care",
    "Transport to school",
    "Theme of an open consultation",
    "Southern theme",
]


def page(client, auth, email):
    auth.login(email)
    response = client.get(URL)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_responder_sees_their_organisations_waiting_themes_oldest_first(client, auth, world):
    html = page(client, auth, "council@w.example")
    assert titles(html, ALL) == ["Waiting for assessments", "Transport to school"]
    assert "Response overdue by" in html and "Response due in" in html
    assert html.index("Response overdue by") < html.index("Response due in")
    assert "/themes/" in html and "/answer" in html
    assert "South" not in html.split("<main")[1].split("</main>")[0].replace("Southern", "")


def test_another_organisation_still_waits_on_the_answered_theme(client, auth, world):
    html = page(client, auth, "icb@w.example")
    assert titles(html, ALL) == ["Waiting for assessments", "Respite care", "Transport to school"]


def test_across_areas_with_the_forum_named(client, auth, world):
    html = page(client, auth, "both@w.example")
    assert titles(html, ALL) == ["Waiting for assessments", "Transport to school", "Southern theme"]
    assert "South Parent Carer Forum" in html or "South" in html


def test_nothing_waiting_says_so(app, client, auth, world):
    with app.app_context():
        from forum.outcomes.decisions.models import Decision
        from forum.outcomes.themes.models import Theme

        answered = db.select(Decision.theme_id).where(Decision.partner_id == world["council"].id)
        for theme in db.session.scalars(
            db.select(Theme).where(Theme.area_id == world["north"].id, Theme.id.not_in(answered))
        ):
            make_decision(theme, world["council"])
    html = page(client, auth, "council@w.example")
    assert "Nothing is waiting for your answer." in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("member@w.example", 403),
        ("org@w.example", 403),
        ("admin@w.example", 403),
        ("pending@w.example", 403),
        ("council@w.example", 200),
    ],
)
def test_only_responders(client, auth, world, who, status):
    if who:
        auth.login(who)
    assert client.get(URL).status_code == status


def test_account_page_links_to_it_for_responders_only(client, auth, world):
    auth.login("council@w.example")
    assert URL in client.get("/account").get_data(as_text=True)
    auth.logout()
    auth.login("member@w.example")
    assert URL not in client.get("/account").get_data(as_text=True)


def test_query_count_flat_as_themes_grow(app, client, auth, world):
    auth.login("council@w.example")
    small = statements_for(app, client, URL)
    with app.app_context():
        for n in range(3):
            consultation = make_consultation(world["north"], state="closed", title=f"More {n}")
            for m in range(10):
                make_theme(consultation, title=f"More theme {n}.{m}")
    large = statements_for(app, client, URL)
    assert "More theme 2.9" in client.get(URL).get_data(as_text=True)
    assert_same_count(URL, small, large)


# --- where people land -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "lands"),
    [
        ("admin@w.example", "/admin/areas"),
        ("org@w.example", "/areas/north"),
        ("org2@w.example", "/account"),
        ("council@w.example", URL),
        ("both@w.example", URL),
        ("member@w.example", "/areas/north"),
        ("member2@w.example", "/account"),
        ("pending@w.example", "/"),
        ("nobody@w.example", "/"),
    ],
)
def test_where_each_kind_of_person_lands(client, auth, world, who, lands):
    assert auth.login(who, pages=True).headers["Location"] == lands
    # already signed in, the sign-in page sends them to the same place
    assert client.get("/sign-in").headers["Location"] == lands


@pytest.mark.parametrize("next_url", ["/privacy", "/areas/north/consultations"])
def test_a_next_still_wins(client, world, next_url):
    response = client.post_form(
        "/sign-in", {"email": "council@w.example", "password": PASSWORD, "next": next_url}
    )
    assert response.headers["Location"] == next_url


@pytest.mark.parametrize("hostile", ["//evil.example", "https://evil.example", "javascript:x"])
def test_a_hostile_next_lands_where_the_person_would_anyway(client, world, hostile):
    response = client.post_form(
        "/sign-in", {"email": "member@w.example", "password": PASSWORD, "next": hostile}
    )
    assert response.headers["Location"] == "/areas/north"
