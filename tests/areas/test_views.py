import pytest
from sqlalchemy import select

from forum.areas.models import Area, Membership, MembershipStatus, Role
from forum.extensions import db
from tests.areas.worlds import make_northshire_with_council
from tests.factories import make_area, make_membership, make_person_in, make_user


@pytest.fixture
def north(app):
    with app.app_context():
        area, organiser, council = make_northshire_with_council()
    return {"area": area, "organiser": organiser, "council": council}


def membership_of(app, email, slug="northshire"):
    with app.app_context():
        return db.session.scalar(
            select(Membership)
            .join(Membership.user)
            .join(Membership.area)
            .where(Area.slug == slug)
            .where(Membership.user.has(email=email))
        )


def test_area_home_is_public_and_shows_partners(client, north):
    page = client.get("/areas/northshire")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Northshire County Council" in text
    assert "Fewer than 5 members" in text, "small counts are suppressed in public"


def test_unknown_area_is_404(client):
    assert client.get("/areas/nowhere").status_code == 404


def test_join_requires_sign_in_then_verified_email(app, client, auth, north):
    assert client.get("/areas/northshire/join").status_code == 302
    with app.app_context():
        make_user(email="new@example.org", verified=False)
    auth.login("new@example.org")
    page = client.get("/areas/northshire/join")
    assert page.status_code == 403
    assert "confirmed your email" in page.get_data(as_text=True)


def test_ask_to_join_then_organiser_approves_without_js(app, client, auth, north):
    with app.app_context():
        make_user(email="parent@example.org")
    auth.login("parent@example.org")
    response = client.post_form("/areas/northshire/join", {"note": "I live in Eastbridge"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/areas/northshire"
    assert "You have asked to join" in client.get("/areas/northshire").get_data(as_text=True)
    membership = membership_of(app, "parent@example.org")
    assert membership.status is MembershipStatus.PENDING

    auth.logout()
    auth.login("org@example.org")
    page = client.get("/areas/northshire/members").get_data(as_text=True)
    assert "I live in Eastbridge" in page
    response = client.post_form(f"/areas/northshire/members/{membership.id}/approve")
    assert response.status_code == 303
    assert response.headers["Location"] == "/areas/northshire/members"
    assert "is now a member" in client.get("/areas/northshire/members").get_data(as_text=True)
    assert membership_of(app, "parent@example.org").status is MembershipStatus.ACTIVE


def test_approve_with_htmx_returns_the_row_fragment(app, client, auth, north):
    with app.app_context():
        parent = make_user(email="parent@example.org", name="Pat Parent")
        pending = make_membership(parent, north["area"], status=MembershipStatus.PENDING)
    auth.login("org@example.org")
    response = client.post_form(f"/areas/northshire/members/{pending.id}/approve", htmx=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<html" not in text
    assert f'id="request-{pending.id}"' in text
    assert "Pat Parent is now a member." in text
    assert "HX-Request" in response.headers["Vary"]
    # a stale second click says so rather than failing
    again = client.post_form(f"/areas/northshire/members/{pending.id}/approve", htmx=True)
    assert "already been dealt with" in again.get_data(as_text=True)


def test_decline(app, client, auth, north):
    with app.app_context():
        parent = make_user(name="Pat Parent")
        pending = make_membership(parent, north["area"], status=MembershipStatus.PENDING)
    auth.login("org@example.org")
    response = client.post_form(f"/areas/northshire/members/{pending.id}/decline", htmx=True)
    assert "You declined Pat Parent" in response.get_data(as_text=True)
    assert membership_of(app, parent.email).status is MembershipStatus.DECLINED


def test_organiser_of_another_area_cannot_manage(app, client, auth, north):
    with app.app_context():
        south = make_area(slug="southvale")
        make_person_in(south, Role.ORGANISER, email="south@example.org")
        parent = make_user()
        pending = make_membership(parent, north["area"], status=MembershipStatus.PENDING)
    auth.login("south@example.org")
    page = client.get("/areas/northshire/members")
    assert page.status_code == 403
    assert "Only organisers of" in page.get_data(as_text=True)
    assert client.post_form(f"/areas/northshire/members/{pending.id}/approve").status_code == 403
    # and a Northshire membership id cannot be reached through Southvale's URL
    assert client.post_form(f"/areas/southvale/members/{pending.id}/approve").status_code == 404
    assert membership_of(app, parent.email).status is MembershipStatus.PENDING


def test_forbidden_htmx_request_gets_a_fragment_retargeted_to_main(app, client, auth, north):
    with app.app_context():
        make_person_in(north["area"], Role.MEMBER, email="m@example.org")
    auth.login("m@example.org")
    response = client.post_form("/areas/northshire/members/1/approve", htmx=True)
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#main-content"
    assert "<html" not in response.get_data(as_text=True)


def test_appoint_responder_by_email(app, client, auth, north):
    with app.app_context():
        make_user(email="officer@council.example", name="Olive Officer")
    auth.login("org@example.org")
    response = client.post_form(
        "/areas/northshire/members/appoint",
        {
            "email": "officer@council.example",
            "role": "responder",
            "partner_id": str(north["council"].id),
        },
    )
    assert response.status_code == 303
    membership = membership_of(app, "officer@council.example")
    assert membership.role is Role.RESPONDER and membership.partner_id == north["council"].id


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "nobody@example.org", "role": "member"}, "no account with that email"),
        ({"email": "", "role": "member"}, "Enter their email address"),
        ({"email": "officer@council.example", "role": "responder"}, "Choose the organisation"),
        ({"email": "officer@council.example", "role": "king"}, "Not a valid choice"),
    ],
)
def test_appoint_errors(app, client, auth, north, data, message):
    with app.app_context():
        make_user(email="officer@council.example")
    auth.login("org@example.org")
    response = client.post_form("/areas/northshire/members/appoint", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_change_role_and_last_organiser_rule(app, client, auth, north):
    with app.app_context():
        organiser = db.session.scalar(select(Membership).where(Membership.role == Role.ORGANISER))
    auth.login("org@example.org")
    path = f"/areas/northshire/members/{organiser.id}/role"
    assert client.get(path).status_code == 200
    response = client.post_form(path, {"role": "member"})
    assert response.status_code == 422
    assert "at least one organiser" in response.get_data(as_text=True)


def test_settings_update_and_add_partner(app, client, auth, north):
    auth.login("org@example.org")
    response = client.post_form(
        "/areas/northshire/settings",
        {
            "forum_name": "Northshire PCF",
            "forum_description": "We are **parents**.",
            "brand_colour": "#0B0C0C",
        },
    )
    assert response.status_code == 303
    home = client.get("/areas/northshire").get_data(as_text=True)
    assert "Northshire PCF" in home and "<strong>parents</strong>" in home
    assert "--area-brand: #0b0c0c" in home
    bad = client.post_form(
        "/areas/northshire/settings",
        {"forum_name": "X", "forum_description": "", "brand_colour": "#ffff00"},
    )
    assert bad.status_code == 422 and "contrast" in bad.get_data(as_text=True)
    added = client.post_form("/areas/northshire/partners", {"name": "Wyvern ICB", "kind": "health"})
    assert added.status_code == 303
    assert "Wyvern ICB" in client.get("/areas/northshire").get_data(as_text=True)


def test_only_admins_create_areas(app, client, auth, north):
    auth.login("org@example.org")
    assert client.get("/admin/areas/new").status_code == 403
    assert (
        client.post_form(
            "/admin/areas/new",
            {"name": "X", "slug": "x", "forum_name": "X", "brand_colour": "#1d70b8"},
        ).status_code
        == 403
    )
    auth.logout()
    with app.app_context():
        make_user(email="admin@example.org", is_admin=True)
    auth.login("admin@example.org")
    assert client.get("/admin/areas").status_code == 200
    response = client.post_form(
        "/admin/areas/new",
        {
            "name": "Westmoor",
            "slug": "westmoor",
            "forum_name": "Westmoor PCF",
            "brand_colour": "#1d70b8",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/areas/westmoor/settings"
    duplicate = client.post_form(
        "/admin/areas/new",
        {"name": "Westmoor", "slug": "westmoor", "forum_name": "W", "brand_colour": "#1d70b8"},
    )
    assert duplicate.status_code == 422
    assert "already uses that web address" in duplicate.get_data(as_text=True)


def test_home_page_list_fragment_for_htmx(app, client):
    with app.app_context():
        for n in range(30):
            make_area(slug=f"area-{n:02d}", name=f"Area {n:02d}")
    full = client.get("/?page=2")
    assert "<html" in full.get_data(as_text=True)
    fragment = client.htmx_get("/?page=2")
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "Area 29" in text and "Area 00" not in text
    boosted = client.get("/?page=2", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    assert client.get("/?page=abc").status_code == 200
    assert client.get("/?page=99999").status_code == 200
