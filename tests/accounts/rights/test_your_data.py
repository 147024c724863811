"""Download my data: the "Your data" page and its JSON file hold every kind of record kept
about the signed-in person, and nothing about anyone else (issue 12, families' data rights)."""

from __future__ import annotations

import json

import pytest

from forum.accounts.models import User
from forum.extensions import db
from tests.accounts.rights.worlds import populate
from tests.factories import make_user

#: the sections a fully used account fills, each with at least one record
FILLED = {
    "account",
    "account_links",
    "memberships",
    "join_decisions",
    "survey_responses",
    "consents",
    "threads",
    "posts",
    "reports",
    "follows",
    "me_too",
    "posting_suspensions",
    "consultations_created",
    "format_requests",
    "documents_added",
    "consultation_date_changes",
    "unsent_answer_reminders",
    "emails",
    "email_delivery",
    "email_choices",
    "email_subscriptions",
    "activity",
}


@pytest.fixture
def world(app):
    with app.app_context():
        return populate()


def _file(client) -> dict:
    response = client.get("/account/your-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.get_data(as_text=True))


def test_the_file_holds_every_kind_of_record(client, auth, world):
    auth.login(world.person_email)
    data = _file(client)
    assert data["format"] == "coproduce-personal-data"
    sections = data["sections"]
    assert {key for key, section in sections.items() if section["records"]} >= FILLED
    text = json.dumps(data, ensure_ascii=False)
    # Every field the person filled is in it, the draft and the pending new address included.
    for name, canary in world.planted.items():
        assert canary in text, name

    account = sections["account"]["records"][0]
    assert account["email"] == world.person_email
    assert account["pending_email"] == f"{world.planted['newemail']}@example.org"
    post = next(p for p in sections["posts"]["records"] if p["revisions"])
    assert post["body"] == world.planted["edited"]
    assert post["revisions"][0]["body"] == world.planted["reply"]
    consent = sections["consents"]["records"][0]
    assert consent["question"] == "May we quote you?"
    assert consent["answer"].startswith("Yes, you may quote")
    assert consent["given_at"]
    subjects = [m["subject"] for m in sections["emails"]["records"]]
    assert any("has been deleted" not in s and "Confirm your new email" in s for s in subjects)
    assert {"Asked to join a forum", "Created your account"} <= {
        r["what"] for r in sections["activity"]["records"]
    }
    # Where they are signed in, and their app (they lead a forum, so they have one).
    security = [r["what"] for r in sections["security"]["records"]]
    assert any(what.startswith("Signed in on ") for what in security)
    assert any(what.startswith("Authenticator app turned on") for what in security)
    # One-time links and secrets never leave: no digests, no session token, no hash.
    assert "token_digest" not in text and "password_hash" not in text
    assert "secret_sealed" not in text and "code_digest" not in text
    assert "/reset-password/" not in text and "/confirm-email-change/" not in text


def test_the_file_holds_nothing_of_anyone_else(app, client, auth, world):
    auth.login(world.person_email)
    text = json.dumps(_file(client), ensure_ascii=False)
    assert world.other_mark not in text
    assert world.other_email not in text and world.organiser_email not in text
    assert "Olive Organiser" not in text


def test_anonymous_answers_are_not_in_the_file(client, auth, world):
    auth.login(world.person_email)
    records = _file(client)["sections"]["survey_responses"]["records"]
    assert {r["consultation"] for r in records} == {"Transport to school", "Draft one"}


def test_the_page_shows_every_section(client, auth, world):
    auth.login(world.person_email)
    response = client.get("/account/your-data")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    for key in FILLED:
        assert f'id="section-{key}"' in page, key
    for name, canary in world.planted.items():
        assert canary in page, name
    assert world.other_mark not in page
    assert 'href="/account/your-data.json"' in page


def test_a_new_account_has_a_page_that_says_what_is_not_held(app, client, auth):
    with app.app_context():
        make_user(email="new@example.org")
    auth.login("new@example.org")
    page = client.get("/account/your-data").get_data(as_text=True)
    assert "You have not posted in any discussion." in page
    assert "You have not answered any survey with your name." in page


def test_signed_out_people_are_sent_to_sign_in(client):
    for path in ("/account/your-data", "/account/your-data.json", "/account/delete"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]


def test_the_account_page_links_to_both(client, auth, app, world):
    auth.login(world.person_email)
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account/your-data"' in page and 'href="/account/delete"' in page
    with app.app_context():
        assert db.session.get(User, world.person_id) is not None
