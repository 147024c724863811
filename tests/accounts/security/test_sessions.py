"""Issue 12 point 6: confirming it is you before exports and role changes, the idle timeout for
staff, and "your sessions" with sign-out of one browser or all the others."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from forum.accounts.security.models import UserSession
from forum.areas.models import Membership, Role
from forum.extensions import db
from tests.accounts.security.worlds import (
    CAREFUL,
    MEMBER,
    ORGANISER,
    age_sessions,
    sessions_of,
)
from tests.factories import PASSWORD

CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)


def reauth_location(response) -> str:
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
    location = response.headers["Location"]
    assert location.startswith("/account/confirm-it-is-you?next="), location
    return location


def test_an_export_asks_to_confirm_it_is_you_after_15_minutes(app, client, auth, world):
    auth.login(ORGANISER)
    export_page = f"{world.survey}/export"
    assert client.get(export_page).status_code == 200  # a fresh sign-in counts
    assert client.post_form(f"{world.survey}/export.csv").status_code == 200
    age_sessions(app, ORGANISER, authenticated_at=timedelta(minutes=16))
    location = reauth_location(client.post_form(f"{world.survey}/export.csv"))
    assert location.endswith(f"?next={export_page}")
    reauth_location(client.post_form(f"{world.survey}/export.json"))
    reauth_location(client.get(export_page))
    page = client.get(location)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Confirm it is you" in text
    assert 'autocomplete="one-time-code"' in text
    wrong = client.post_form(location, {"password": "not-my-password"})
    assert wrong.status_code == 422
    assert "Your password is not right" in wrong.get_data(as_text=True)
    back = client.post_form(location, {"password": PASSWORD, "next": export_page})
    assert back.status_code == 303 and back.headers["Location"] == export_page
    download = client.post_form(f"{world.survey}/export.csv")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_a_code_from_the_app_also_confirms_it_is_you(app, client, auth, world):
    auth.login(ORGANISER)
    age_sessions(app, ORGANISER, authenticated_at=timedelta(minutes=16))
    location = reauth_location(client.get(world.role_page()))
    from tests.support import second_factor_code

    code = second_factor_code(app, ORGANISER)
    back = client.post_form(location, {"code": code, "next": world.role_page()})
    assert back.status_code == 303 and back.headers["Location"] == world.role_page()
    # The same code again is refused, as at sign-in.
    age_sessions(app, ORGANISER, authenticated_at=timedelta(minutes=16))
    again = client.post_form(location, {"code": code, "next": world.role_page()})
    assert again.status_code == 422


def test_a_role_change_asks_to_confirm_it_is_you_after_15_minutes(app, client, auth, world):
    auth.login(ORGANISER)
    age_sessions(app, ORGANISER, authenticated_at=timedelta(minutes=16))
    location = reauth_location(client.post_form(world.role_page(), {"role": "organiser"}))
    assert location.endswith(f"?next={world.role_page()}")
    appoint = client.post_form(f"{world.members}/appoint", {"email": MEMBER, "role": "organiser"})
    assert reauth_location(appoint).endswith(f"?next={world.members}")
    with app.app_context():
        assert db.session.get(Membership, world.member_id).role is Role.MEMBER
    client.post_form(location, {"password": PASSWORD})
    changed = client.post_form(world.role_page(), {"role": "organiser"})
    assert changed.status_code == 303
    with app.app_context():
        assert db.session.get(Membership, world.member_id).role is Role.ORGANISER


def test_htmx_is_sent_to_confirm_it_is_you_with_hx_redirect(app, client, auth, world):
    auth.login(ORGANISER)
    age_sessions(app, ORGANISER, authenticated_at=timedelta(minutes=16))
    response = client.post_form(f"{world.survey}/export.csv", htmx=True)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/account/confirm-it-is-you")


def test_staff_sessions_end_after_30_idle_minutes(app, client, auth, world):
    auth.login(ORGANISER)
    age_sessions(app, ORGANISER, last_seen_at=timedelta(minutes=29))
    assert client.get(world.members).status_code == 200
    age_sessions(app, ORGANISER, last_seen_at=timedelta(minutes=31))
    response = client.get(world.members)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/signed-out?idle=30")
    page = client.get(location).get_data(as_text=True)
    assert "You had not used Coproduce for 30 minutes, so we signed you out." in page
    assert "Sign in again" in page
    assert sessions_of(app, ORGANISER) == []
    assert client.get("/account").status_code == 302


def test_members_keep_longer_sessions(app, client, auth, world):
    auth.login(MEMBER)
    age_sessions(app, MEMBER, last_seen_at=timedelta(hours=5))
    assert client.get("/account").status_code == 200
    age_sessions(app, MEMBER, last_seen_at=timedelta(days=15))
    assert client.get("/account").headers["Location"].startswith("/signed-out?idle=")


def test_requests_move_last_seen_on(app, client, auth, world):
    auth.login(MEMBER)
    age_sessions(app, MEMBER, last_seen_at=timedelta(minutes=10))
    client.get("/account")
    (record,) = sessions_of(app, MEMBER)
    from forum.models import utcnow

    assert utcnow() - record.last_seen_at < timedelta(minutes=1)


def test_the_idle_limit_is_a_setting(app, client, auth, world):
    app.config["STAFF_IDLE_MINUTES"] = 5  # the shared app's config is put back after the test
    auth.login(ORGANISER)
    age_sessions(app, ORGANISER, last_seen_at=timedelta(minutes=6))
    assert client.get(world.members).headers["Location"].startswith("/signed-out?idle=5")


def two_browsers(app, make_client, email):
    from tests.support import enrol_if_needed, second_factor_code

    enrol_if_needed(app, email)
    phone = make_client()
    laptop = make_client()
    for browser, agent in ((phone, CHROME_ON_ANDROID), (laptop, FIREFOX_ON_WINDOWS)):
        browser.environ_base["HTTP_USER_AGENT"] = agent
        browser.csrf = None
        response = browser.post_form("/sign-in", {"email": email, "password": PASSWORD})
        browser.csrf = None
        if response.headers["Location"] == "/sign-in/code":
            browser.post_form("/sign-in/code", {"code": second_factor_code(app, email)})
            browser.csrf = None
    return phone, laptop


def test_your_sessions_lists_each_browser_in_plain_words(app, make_client, world):
    phone, laptop = two_browsers(app, make_client, MEMBER)
    page = laptop.get("/account/sessions")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Chrome on Android" in text
    assert "Firefox on Windows (this device)" in text
    assert "Mozilla" not in text and "127.0.0.1" not in text
    assert page.headers["Cache-Control"] == "no-store"


def test_sign_out_one_other_browser(app, make_client, world):
    phone, laptop = two_browsers(app, make_client, CAREFUL)
    phone_session = next(s for s in sessions_of(app, CAREFUL) if s.device == "Chrome on Android")
    response = laptop.post_form(f"/account/sessions/{phone_session.id}/sign-out")
    assert response.status_code == 303
    assert "Chrome on Android has been signed out." in laptop.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 200
    assert [s.device for s in sessions_of(app, CAREFUL)] == ["Firefox on Windows"]


def test_someone_elses_session_cannot_be_signed_out(app, make_client, world):
    _, member_laptop = two_browsers(app, make_client, MEMBER)
    careful_phone, _ = two_browsers(app, make_client, CAREFUL)
    theirs = sessions_of(app, CAREFUL)[0]
    member_laptop.post_form(f"/account/sessions/{theirs.id}/sign-out")
    assert careful_phone.get("/account").status_code == 200
    assert len(sessions_of(app, CAREFUL)) == 2


def test_sign_out_everywhere_else(app, make_client, world):
    phone, laptop = two_browsers(app, make_client, MEMBER)
    third = make_client()
    third.post_form("/sign-in", {"email": MEMBER, "password": PASSWORD})
    response = laptop.post_form("/account/sessions/sign-out-others")
    assert response.status_code == 303
    assert phone.get("/account").status_code == 302
    assert third.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 200
    assert [s.device for s in sessions_of(app, MEMBER)] == ["Firefox on Windows"]


def test_signing_this_browser_out_from_the_list(app, make_client, world):
    phone, laptop = two_browsers(app, make_client, MEMBER)
    mine = next(s for s in sessions_of(app, MEMBER) if s.device == "Firefox on Windows")
    laptop.post_form(f"/account/sessions/{mine.id}/sign-out")
    assert laptop.get("/account").status_code == 302
    assert phone.get("/account").status_code == 200


def test_ending_all_sessions_still_ends_every_one(app, make_client, world):
    """Password changes and account deletion call accounts.services.end_all_sessions."""
    phone, laptop = two_browsers(app, make_client, MEMBER)
    with app.app_context():
        from forum.accounts import services as accounts
        from forum.accounts.queries import get_by_email

        accounts.end_all_sessions(get_by_email(MEMBER))
        db.session.commit()
        assert db.session.scalars(select(UserSession)).all() == []
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302


def test_a_stolen_cookie_without_its_session_record_signs_no_one_in(app, client, auth, world):
    auth.login(MEMBER)
    stolen = client.get_cookie("coproduce_session").value
    (record,) = sessions_of(app, MEMBER)
    with app.app_context():
        db.session.delete(db.session.get(UserSession, record.id))
        db.session.commit()
    thief = app.test_client()
    thief.set_cookie("coproduce_session", stolen)
    assert thief.get("/account").status_code == 302


def test_the_cookie_secret_is_not_stored(app, client, auth, world):
    auth.login(MEMBER)
    (record,) = sessions_of(app, MEMBER)
    with client.session_transaction() as session:
        secret = session["sid"]
    assert secret not in record.token_digest and len(record.token_digest) == 64


def test_idle_staff_sessions_are_not_listed_as_signed_in(app, make_client, world):
    phone, laptop = two_browsers(app, make_client, ORGANISER)
    with app.app_context():
        phone_id = next(s.id for s in sessions_of(app, ORGANISER) if "Android" in s.device)
        row = db.session.get(UserSession, phone_id)
        from forum.models import utcnow

        row.last_seen_at = utcnow() - timedelta(minutes=45)
        db.session.commit()
    text = laptop.get("/account/sessions").get_data(as_text=True)
    assert "Chrome on Android" not in text and "Firefox on Windows" in text


def test_purging_removes_sessions_unused_for_longer_than_any_may_rest(app, make_client, world):
    two_browsers(app, make_client, MEMBER)
    age_sessions(app, MEMBER, last_seen_at=timedelta(days=15))
    result = app.test_cli_runner().invoke(args=["accounts", "purge-sessions"])
    assert "Deleted 2 idle session records." in result.output
    assert sessions_of(app, MEMBER) == []


def test_an_operator_can_reset_a_lost_authenticator(app, make_client, world):
    phone, _ = two_browsers(app, make_client, CAREFUL)
    result = app.test_cli_runner().invoke(args=["accounts", "reset-authenticator", CAREFUL])
    assert result.exit_code == 0, result.output
    assert phone.get("/account").status_code == 302
    signed_in = make_client()
    response = signed_in.post_form("/sign-in", {"email": CAREFUL, "password": PASSWORD})
    # no app any more, and a member needs none: in, to their forum
    assert response.headers["Location"] == "/areas/northshire"
    missing = app.test_cli_runner().invoke(args=["accounts", "reset-authenticator", "no@x.org"])
    assert missing.exit_code != 0 and "There is no account" in missing.output


def test_the_person_their_session_and_their_memberships_come_in_one_statement(app, client, auth):
    """Every signed-in request reads the person, the session record and where they stand in
    each area in one statement: an area page for a member of two areas asks nothing more
    about memberships, and still shows what their role allows."""
    from tests.factories import make_area, make_membership, make_user
    from tests.support import statements_for

    with app.app_context():
        north, south = make_area(slug="north"), make_area(slug="south")
        person = make_user(email="two@example.org")
        make_membership(person, north, role=Role.ORGANISER)
        make_membership(person, south)
    auth.login("two@example.org")
    sent = statements_for(app, client, "/areas/north/members")
    first, rest = sent[0], sent[1:]
    assert "FROM users" in first and "user_sessions" in first and "memberships" in first
    # the lazy load it replaced: SELECT memberships.… FROM memberships WHERE ? = memberships.user_id
    assert not [
        s for s in rest if re.search(r"FROM memberships WHERE \S+ = memberships.user_id", s)
    ]
    assert client.get("/areas/north/members").status_code == 200  # an organiser's page
    assert client.get("/areas/south/members").status_code == 403  # a member's is not
