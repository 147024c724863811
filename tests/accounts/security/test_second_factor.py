"""Issue 12 point 6: staff need a second factor; signing in asks for it as a separate step;
codes cannot be replayed and recovery codes work once; members are not forced."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.queries import get_by_email
from forum.accounts.security import services as security
from forum.accounts.security import totp
from forum.accounts.security.models import Authenticator, RecoveryCode
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.accounts.security.worlds import (
    ADMIN,
    CAREFUL,
    MEMBER,
    ORGANISER,
    RECOVERY,
    RESPONDER,
    code_now,
    sessions_of,
)
from tests.factories import PASSWORD


def password_only(client, email):
    client.csrf = None
    response = client.post_form("/sign-in", {"email": email, "password": PASSWORD})
    client.csrf = None
    return response


@pytest.mark.parametrize("email", [ORGANISER, RESPONDER, ADMIN])
def test_staff_reach_no_staff_page_or_export_with_a_password_alone(app, client, world, email):
    """Staff without an app are signed in only as far as setting one up."""
    assert password_only(client, email).status_code == 303
    staff_pages = [world.members, f"{world.survey}/export", "/admin/areas", "/account"]
    for url in staff_pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/account/authenticator?next="), url
    export = client.post_form(f"{world.survey}/export.csv")
    assert export.status_code == 303
    assert export.headers["Location"].startswith("/account/authenticator")
    htmx = client.htmx_get(world.members)
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith(
        "/account/authenticator"
    )
    page = client.get("/account/authenticator").get_data(as_text=True)
    assert "Before you carry on, set up an authenticator app" in page


def test_with_an_app_the_password_alone_signs_no_one_in(app, client, world):
    with app.app_context():
        from tests.factories import make_authenticator

        secret = make_authenticator(get_by_email(ORGANISER))
    response = password_only(client, ORGANISER)
    assert response.headers["Location"] == "/sign-in/code"
    for url in (world.members, f"{world.survey}/export", "/account"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]
    assert sessions_of(app, ORGANISER) == []
    page = client.get("/sign-in/code").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert "Enter the 6-digit code from your authenticator app" in page
    code = totp.code_at(secret, totp.current_step())
    done = client.post_form("/sign-in/code", {"code": code[:3] + " " + code[3:]})
    # an organiser of one forum lands on it (forum/outcomes/landing.py)
    assert done.status_code == 303 and done.headers["Location"] == "/areas/northshire"
    client.csrf = None
    assert client.get(world.members).status_code == 200
    assert [s.second_factor_at is not None for s in sessions_of(app, ORGANISER)] == [True]


def test_a_wrong_code_is_refused_beside_the_field(app, client, world):
    password_only(client, CAREFUL)
    wrong = str((int(code_now()) + 1) % 1_000_000).zfill(6)
    response = client.post_form("/sign-in/code", {"code": wrong})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "govuk-error-summary" in text and "Enter the 6-digit code shown" in text
    for bad in ("", "12345", "abcdef", "1234567"):
        response = client.post_form("/sign-in/code", {"code": bad})
        assert response.status_code == 422, bad
    assert client.get("/account").status_code == 302


def test_a_used_code_cannot_be_used_again(app, client, make_client, world):
    code = code_now()
    password_only(client, CAREFUL)
    assert client.post_form("/sign-in/code", {"code": code}).status_code == 303
    # Someone who saw the code (over a shoulder, or a phishing page) tries it elsewhere.
    other = make_client()
    password_only(other, CAREFUL)
    replay = other.post_form("/sign-in/code", {"code": code})
    assert replay.status_code == 422
    assert other.get("/account").status_code == 302
    # An earlier code (one step back is otherwise tolerated) is refused too.
    assert other.post_form("/sign-in/code", {"code": code_now(-1)}).status_code == 422
    # The next one works.
    assert other.post_form("/sign-in/code", {"code": code_now(1)}).status_code == 303


def test_codes_one_step_either_side_are_accepted_and_no_further():
    secret = totp.new_secret()
    now = 1_800_000_000.0
    step = totp.current_step(now)
    for offset in (-1, 0, 1):
        code = totp.code_at(secret, step + offset)
        assert totp.matching_step(secret, code, after=None, now=now) == step + offset
    for offset in (-3, -2, 2, 3):
        code = totp.code_at(secret, step + offset)
        if all(code != totp.code_at(secret, step + o) for o in (-1, 0, 1)):
            assert totp.matching_step(secret, code, after=None, now=now) is None
    assert totp.matching_step(secret, totp.code_at(secret, step), after=step, now=now) is None


def test_rfc_6238_vectors():
    """RFC 6238 appendix B (SHA-1), last six digits of its eight."""
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    for when, expected in [(59, "287082"), (1111111109, "081804"), (2000000000, "279037")]:
        assert totp.code_at(secret, totp.current_step(when)) == expected


def test_a_recovery_code_works_once_and_says_how_many_remain(app, client, make_client, world):
    password_only(client, CAREFUL)
    assert "I cannot use my authenticator app" in client.get("/sign-in/code").get_data(as_text=True)
    response = client.post_form("/sign-in/recovery-code", {"code": RECOVERY.upper()})
    assert response.status_code == 303
    client.csrf = None
    page = client.get("/account").get_data(as_text=True)
    assert "You have 0 recovery codes left." in page
    assert "Make new ones" in page
    other = make_client()
    password_only(other, CAREFUL)
    again = other.post_form("/sign-in/recovery-code", {"code": RECOVERY})
    assert again.status_code == 422
    assert "has not been used yet" in again.get_data(as_text=True)
    assert other.get("/account").status_code == 302
    with app.app_context():
        used = db.session.scalar(select(RecoveryCode.used_at))
        assert used is not None
        kinds = db.session.scalars(select(OutboxMessage.kind)).all()
        assert "recovery_code_used" in kinds


def test_members_are_not_forced_to_use_an_app(app, client, world):
    response = password_only(client, MEMBER)
    assert response.status_code == 303 and response.headers["Location"] == "/areas/northshire"
    assert client.get("/account").status_code == 200
    assert client.get(f"/areas/{world.area_slug}").status_code == 200
    page = client.get("/account/authenticator").get_data(as_text=True)
    assert "Set up an authenticator app" in page
    assert "Before you carry on" not in page


def test_given_a_staff_role_they_are_asked_at_their_next_request(app, client, auth, world):
    auth.login(MEMBER)
    assert client.get("/account").status_code == 200
    with app.app_context():
        from forum.areas import services as areas
        from forum.areas.models import Membership, Role

        membership = db.session.get(Membership, world.member_id)
        areas.set_role(membership, Role.ORGANISER, partner=None, actor=get_by_email(ADMIN))
        db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/authenticator")


def test_setting_up_an_app_through_the_pages(app, client, make_client, world):
    other = make_client()
    password_only(other, ORGANISER)
    password_only(client, ORGANISER)
    start = client.get(world.members)
    assert start.headers["Location"] == f"/account/authenticator?next={world.members}"
    begun = client.post_form("/account/authenticator/start", {"next": world.members})
    assert begun.status_code == 303
    setup_url = begun.headers["Location"]
    page = client.get(setup_url).get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    with app.test_request_context():
        secret = security.pending_secret(get_by_email(ORGANISER))
    assert totp.grouped(secret) in page  # the key, in groups of four, to type by hand
    wrong = client.post_form(setup_url, {"code": "000000" if code_now() != "000000" else "111111"})
    assert wrong.status_code == 422
    confirmed = client.post_form(setup_url, {"code": totp.code_at(secret, totp.current_step())})
    assert confirmed.status_code == 303
    codes_url = confirmed.headers["Location"]
    assert codes_url.startswith("/account/authenticator/recovery-codes")
    codes_page = client.get(codes_url).get_data(as_text=True)
    codes = [c for c in codes_page.split("<code>")[1:]]
    assert len(codes) == 10
    # Other browsers that had only the password are signed out.
    assert other.get("/account").status_code == 302
    done = client.post_form("/account/authenticator/recovery-codes/saved", {"next": world.members})
    assert done.headers["Location"] == world.members
    assert client.get(world.members).status_code == 200
    # Shown once: after saying they are saved, the codes are not shown again.
    assert "<code>" not in client.get("/account/authenticator/recovery-codes").get_data(
        as_text=True
    )
    # The secret is never shown again either.
    assert totp.grouped(secret) not in client.get("/account/authenticator/setup").get_data(
        as_text=True
    )
    with app.app_context():
        stored = db.session.scalar(select(Authenticator.secret_sealed))
        assert secret not in stored
        digests = db.session.scalars(select(RecoveryCode.code_digest)).all()
        assert len(digests) == 11  # ten new, and the careful member's one
        assert not any(code.split("<")[0] in "".join(digests) for code in codes)


def test_staff_cannot_turn_the_app_off_but_members_can(app, client, auth, world):
    auth.login(ORGANISER)
    client.post_form("/account/authenticator/turn-off")
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Authenticator)
                .where(Authenticator.enabled_at.is_not(None))
            )
            == 2
        )
    auth.logout()
    auth.login(CAREFUL)
    response = client.post_form("/account/authenticator/turn-off")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Authenticator)) == 1
    auth.logout()
    assert password_only(client, CAREFUL).headers["Location"] == "/areas/northshire"


def test_moving_to_a_new_phone(app, client, auth, world):
    from datetime import timedelta

    from tests.accounts.security.worlds import age_sessions

    auth.login(ORGANISER)
    age_sessions(app, ORGANISER, authenticated_at=timedelta(minutes=16))
    asked = client.post_form("/account/authenticator/replace")
    assert asked.headers["Location"].startswith("/account/confirm-it-is-you?next=")
    client.post_form(asked.headers["Location"], {"password": PASSWORD})
    begun = client.post_form("/account/authenticator/replace")
    assert begun.headers["Location"] == "/account/authenticator/setup"
    # Still signed in while the new phone is set up.
    assert client.get(begun.headers["Location"]).status_code == 200
    assert client.get(world.members).status_code == 200
    with app.test_request_context():
        secret = security.pending_secret(get_by_email(ORGANISER))
    confirmed = client.post_form(
        "/account/authenticator/setup", {"code": totp.code_at(secret, totp.current_step())}
    )
    assert confirmed.status_code == 303
    assert "<code>" in client.get(confirmed.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        owners = db.session.scalars(select(Authenticator.user_id)).all()
        assert sorted(owners) == sorted([get_by_email(ORGANISER).id, get_by_email(CAREFUL).id])


def test_the_second_step_expires_after_a_few_minutes(app, client, world):
    password_only(client, CAREFUL)
    with client.session_transaction() as session:
        pending = dict(session["second_step"])
        pending["at"] -= 6 * 60
        session["second_step"] = pending
    response = client.post_form("/sign-in/code", {"code": code_now()})
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
    assert "Signing in took too long" in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_a_password_reset_half_way_stops_the_second_step(app, client, world):
    password_only(client, CAREFUL)
    with app.app_context():
        from forum.accounts import services as accounts

        accounts.end_all_sessions(get_by_email(CAREFUL))
        db.session.commit()
    response = client.post_form("/sign-in/code", {"code": code_now()})
    assert response.headers["Location"] == "/sign-in"
