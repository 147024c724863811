"""`make run`'s demo: the organiser can still sign in, and is asked to set up an app first."""

from __future__ import annotations

from forum import seed as demo_seed
from forum.extensions import db


def test_the_demo_organiser_signs_in_and_is_asked_to_set_up_an_app(app, client):
    with app.app_context():
        demo_seed.seed_demo()
        db.session.commit()
    organiser = next(a for a in demo_seed.ACCOUNTS if a.email == "organiser@northshire.example")
    response = client.post_form(
        "/sign-in", {"email": organiser.email, "password": organiser.password}
    )
    assert response.status_code == 303
    client.csrf = None
    members = client.get("/areas/northshire/members")
    assert members.headers["Location"] == "/account/authenticator?next=/areas/northshire/members"
    assert "Set up an authenticator app" in client.get(members.headers["Location"]).get_data(
        as_text=True
    )
    member = next(a for a in demo_seed.ACCOUNTS if a.email == "member@northshire.example")
    other = app.test_client()
    other.post_form("/sign-in", {"email": member.email, "password": member.password})
    assert other.get("/account").status_code == 200


def test_the_seed_command_says_staff_will_be_asked(app):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert "asked to set up an authenticator app" in result.output
