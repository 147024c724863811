"""The "Your emails" page (`/account/emails`): one form per forum the person belongs to,
saved one forum at a time; it needs signing in and only ever changes the signed-in person's
own choices."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.areas.models import MembershipStatus, Role
from forum.extensions import db
from forum.notifications import preferences
from forum.notifications.models import EmailPreference
from forum.notifications.services import Account
from forum.notifications.topics import Frequency, Topic
from tests.factories import make_area, make_membership, make_person_in, make_user
from tests.support import (
    HUGE,
    RTL_EMOJI,
    SCRIPT,
    assert_redirects_after_post,
    assert_same_count,
    statements_for,
)

ALL_IMMEDIATELY = {t.value: "immediately" for t in Topic}


@pytest.fixture
def world(app):
    with app.app_context():
        north = make_area(slug="northshire", name="Northshire")
        south = make_area(slug="southshire", name="Southshire")
        east = make_area(slug="eastshire", name="Eastshire")
        member = make_person_in(north, Role.MEMBER, email="member@example.org")
        make_membership(member, south, status=MembershipStatus.PENDING)
        other = make_person_in(north, Role.MEMBER, email="other@example.org")
        make_user(email="nobody@example.org")
        db.session.commit()
        return {
            "north": north.id,
            "south": south.id,
            "east": east.id,
            "member": member.id,
            "other": other.id,
        }


def _form(area_id: int, **chosen) -> dict:
    values = {**ALL_IMMEDIATELY, "newsletters": "never", **chosen}
    return {f"area-{area_id}-{topic}": value for topic, value in values.items()}


def _choices(app, user_id, area_id):
    with app.app_context():
        return preferences.choices(Account(user_id), area_id)


def test_signing_in_is_needed(client, world):
    response = client.get("/account/emails")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    response = client.post_form("/account/emails/northshire", _form(world["north"]))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_the_page_lists_each_forum_with_a_choice_per_kind(client, auth, world):
    auth.login("member@example.org")
    response = client.get("/account/emails")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Northshire" in page and "Southshire" in page
    assert "Eastshire" not in page  # not a member, no choices made
    assert "Waiting for approval" in page
    assert "You cannot turn these off" in page
    for topic in Topic:
        assert topic.label in page
        assert f'name="area-{world["north"]}-{topic.value}"' in page
    for how in Frequency:
        assert how.label in page


def test_the_defaults_are_shown_checked(client, auth, world):
    auth.login("member@example.org")
    page = client.get("/account/emails").get_data(as_text=True)
    north = world["north"]
    checked = dict(
        re.findall(rf'name="area-{north}-(\w+)" type="radio" value="(\w+)" checked', page)
    )
    assert checked == {t.value: t.default.value for t in Topic}


def test_someone_in_no_forum_is_told_so(client, auth, world):
    auth.login("nobody@example.org")
    page = client.get("/account/emails").get_data(as_text=True)
    assert "You have not joined a forum yet" in page


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_saving_one_forum_changes_only_that_forum(app, client, auth, world, htmx):
    auth.login("member@example.org")
    response = client.post_form(
        "/account/emails/northshire",
        _form(world["north"], newsletters="weekly", replies="never", events="daily"),
        htmx=htmx,
    )
    assert_redirects_after_post(response, htmx=htmx)
    chosen = _choices(app, world["member"], world["north"])
    assert chosen[Topic.NEWSLETTERS] is Frequency.WEEKLY
    assert chosen[Topic.REPLIES] is Frequency.NEVER
    assert chosen[Topic.EVENTS] is Frequency.DAILY
    assert chosen[Topic.CONSULTATIONS] is Frequency.IMMEDIATELY
    south = _choices(app, world["member"], world["south"])
    assert south == {t: t.default for t in Topic}
    # and nobody else's
    assert _choices(app, world["other"], world["north"]) == {t: t.default for t in Topic}
    page = client.get("/account/emails").get_data(as_text=True)
    assert "Your email choices for" in page and "are saved" in page


def test_a_choice_shown_again_after_saving(client, auth, world):
    auth.login("member@example.org")
    client.post_form("/account/emails/northshire", _form(world["north"], outcomes="weekly"))
    page = client.get("/account/emails").get_data(as_text=True)
    assert f'name="area-{world["north"]}-outcomes" type="radio" value="weekly" checked' in page


def test_saving_the_defaults_stores_nothing(app, client, auth, world):
    auth.login("member@example.org")
    client.post_form("/account/emails/northshire", _form(world["north"]))
    with app.app_context():
        assert db.session.scalars(select(EmailPreference)).all() == []


@pytest.mark.parametrize(
    "bad",
    ["", "sometimes", HUGE, SCRIPT, RTL_EMOJI, "never\x00", "IMMEDIATELY"],
    ids=["empty", "unknown", "huge", "hostile", "unicode", "nul", "case"],
)
def test_a_bad_choice_is_shown_beside_its_question_and_nothing_is_saved(
    app, client, auth, world, bad
):
    auth.login("member@example.org")
    data = _form(world["north"], replies="never")
    data[f"area-{world['north']}-events"] = bad
    response = client.post_form("/account/emails/northshire", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert f'href="#area-{world["north"]}-events"' in page
    assert "<title>Error: Your emails" in page
    assert "Choose how often you want events emails" in page
    assert "Not a valid choice" not in page
    assert SCRIPT not in page
    # the rest of the form keeps what was sent, and nothing is saved
    assert f'name="area-{world["north"]}-replies" type="radio" value="never" checked' in page
    assert _choices(app, world["member"], world["north"])[Topic.REPLIES] is Frequency.IMMEDIATELY


def test_a_missing_question_is_an_error(client, auth, world):
    auth.login("member@example.org")
    data = _form(world["north"])
    del data[f"area-{world['north']}-consultations"]
    response = client.post_form("/account/emails/northshire", data)
    assert response.status_code == 422
    assert "Choose how often you want consultations emails" in response.get_data(as_text=True)


def test_the_same_form_twice_is_saved_once(app, client, auth, world):
    auth.login("member@example.org")
    data = _form(world["north"], events="never")
    data[f"area-{world['north']}-submission_key"] = "same-key-123"
    first = client.post_form("/account/emails/northshire", data)
    second = client.post_form("/account/emails/northshire", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] == "/account/emails"


def test_without_the_csrf_token_nothing_changes(app, client, auth, world):
    auth.login("member@example.org")
    response = client.post("/account/emails/northshire", data=_form(world["north"], events="never"))
    assert response.status_code == 400
    assert _choices(app, world["member"], world["north"])[Topic.EVENTS] is Frequency.IMMEDIATELY


def test_an_unknown_forum_is_not_found(client, auth, world):
    auth.login("member@example.org")
    assert client.post_form("/account/emails/nowhere", {}).status_code == 404


def test_choosing_for_a_forum_one_is_not_in_changes_only_ones_own_choices(app, client, auth, world):
    auth.login("nobody@example.org")
    response = client.post_form("/account/emails/eastshire", _form(world["east"], events="never"))
    assert response.status_code == 303
    with app.app_context():
        rows = db.session.execute(select(EmailPreference.user_id, EmailPreference.area_id)).all()
        nobody = db.session.scalar(
            select(EmailPreference.user_id).where(EmailPreference.area_id == world["east"])
        )
    assert len(rows) == 1 and nobody not in (world["member"], world["other"])
    # the forum is then listed, so the choice can be changed back
    assert "Eastshire" in client.get("/account/emails").get_data(as_text=True)


def test_the_page_sends_as_many_statements_for_many_forums_as_for_one(app, client, auth, world):
    auth.login("member@example.org")
    small = statements_for(app, client, "/account/emails")
    with app.app_context():
        from forum.accounts.models import User

        member = db.session.get(User, world["member"])
        for n in range(6):
            area = make_area(slug=f"more-{n}")
            make_membership(member, area)
            preferences.choose(member, area.id, Topic.EVENTS, Frequency.WEEKLY)
        db.session.commit()
    large = statements_for(app, client, "/account/emails")
    assert_same_count("/account/emails", small, large)


def test_the_account_page_links_to_it(client, auth, world):
    auth.login("member@example.org")
    assert 'href="/account/emails"' in client.get("/account").get_data(as_text=True)
