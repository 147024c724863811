"""Registering from a consultation comes back to it: register → the emailed link → sign in →
ask to join → the consultation, with a message each step. `next` is only ever a same-site path."""

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from forum.areas.models import Membership, MembershipStatus
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.factories import PASSWORD, make_area, make_consultation

HOSTILE = [
    "//evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    " //evil.example",
    "/\t/evil.example",
    "evil.example",
]


def _emailed_link(app) -> str:
    with app.app_context():
        body = db.session.scalars(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.kind == "verify_email")
            .order_by(OutboxMessage.id.desc())
        ).first()
    return re.search(r"http://localhost(/verify-email/[^\s)]+)", body).group(1)


@pytest.fixture
def consultation_path(app):
    with app.app_context():
        area = make_area(slug="north")
        consultation = make_consultation(area, audience="members", title="Short breaks")
        return f"/areas/north/consultations/{consultation.slug}"


def _location(response) -> str:
    return unquote(response.headers["Location"])


def test_register_from_a_consultation_comes_back_to_it(app, client, consultation_path):
    page = unquote(client.get(consultation_path).get_data(as_text=True))
    assert f"/register?next={consultation_path}" in page

    form = client.get(f"/register?next={consultation_path}").get_data(as_text=True)
    assert f'name="next" value="{consultation_path}"' in form
    response = client.post_form(
        "/register",
        {
            "display_name": "A Parent",
            "email": "parent@example.org",
            "password": PASSWORD,
            "next": consultation_path,
        },
    )
    assert response.status_code == 303
    assert _location(response).endswith(f"/register/check-your-email?next={consultation_path}")

    link = _emailed_link(app)
    assert unquote(link).endswith(f"?next={consultation_path}")
    confirmed = client.post_form(link)
    assert confirmed.status_code == 303
    assert _location(confirmed).endswith(f"/sign-in?next={consultation_path}")
    sign_in_page = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "Sign in to carry on where you were." in sign_in_page
    assert f'name="next" value="{consultation_path}"' in sign_in_page

    signed_in = client.post_form(
        "/sign-in",
        {"email": "parent@example.org", "password": PASSWORD, "next": consultation_path},
    )
    assert _location(signed_in).endswith(consultation_path)
    client.csrf = None  # a new session after signing in

    page = unquote(client.get(consultation_path).get_data(as_text=True))
    join_link = f"/areas/north/join?next={consultation_path}"
    assert join_link in page
    join_form = client.get(join_link).get_data(as_text=True)
    assert f'name="next" value="{consultation_path}"' in join_form
    asked = client.post_form("/areas/north/join", {"note": "", "next": consultation_path})
    assert asked.status_code == 303
    assert _location(asked).endswith(consultation_path)
    back = client.get(consultation_path).get_data(as_text=True)
    assert "The organisers of" in back  # the flash
    assert "You have asked to join" in back
    with app.app_context():
        membership = db.session.scalar(select(Membership))
        assert membership.status is MembershipStatus.PENDING

    # asking again (a stale form) still lands on the consultation
    again = client.post_form("/areas/north/join", {"note": "", "next": consultation_path})
    assert _location(again).endswith(consultation_path)


def test_without_next_the_old_places_stay(app, client, consultation_path):
    client.post_form(
        "/register", {"display_name": "A", "email": "p@example.org", "password": PASSWORD}
    )
    link = _emailed_link(app)
    assert "next" not in link
    assert client.post_form(link).headers["Location"].endswith("/sign-in")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_next_is_never_followed(app, client, consultation_path, hostile):
    form = client.get("/register", query_string={"next": hostile}).get_data(as_text=True)
    assert "evil" not in form and "javascript" not in form.lower()
    response = client.post_form(
        "/register",
        {"display_name": "A", "email": "h@example.org", "password": PASSWORD, "next": hostile},
    )
    assert response.status_code == 303
    assert "evil" not in _location(response)
    link = _emailed_link(app)
    assert "next" not in link
    # a hostile next added to a genuine link is dropped too
    confirmed = client.post_form(link + "?next=" + hostile.replace("\t", "%09"))
    assert _location(confirmed).endswith("/sign-in")

    signed_in = client.post_form(
        "/sign-in", {"email": "h@example.org", "password": PASSWORD, "next": hostile}
    )
    assert "evil" not in _location(signed_in)
    assert "javascript" not in _location(signed_in).lower()
    client.csrf = None
    asked = client.post_form("/areas/north/join", {"note": "", "next": hostile})
    assert _location(asked).endswith("/areas/north")
