"""Issue 12, point 3: a public survey can count a response only once an email address is
confirmed, one response per address, keeping only a keyed hash of the address and nothing
that joins it to the answers once confirmed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from forum.notifications.services import deliver_pending
from forum.surveys.models import CountedEmail, EmailConfirmation, Response, Survey
from forum.surveys.queries import count_counted
from tests.factories import make_membership, make_user
from tests.surveys.quarantine.worlds import build_burst_world

ADDRESS = "Parent.At.Home@Example.org"


@pytest.fixture
def world(app):
    with app.app_context():
        world = build_burst_world(burst=0)
        db.session.get(Survey, world.survey.id).is_anonymous = True
        db.session.commit()
        return world


def counted(app, world) -> int:
    with app.app_context():
        return count_counted(db.session.get(Survey, world.survey.id))


def answer_and_give(client, world, address: str = ADDRESS) -> str:
    """Answer without an account, give `address`, and return the link emailed to it."""
    with client.session_transaction() as session:
        session.pop("survey_resume", None)
    sent = client.post_form(world.base + "/answer", {f"q{world.colour.id}": "red"})
    assert sent.headers["Location"].endswith("/done")
    asked = client.post_form(world.base + "/confirm-email", {"email": address})
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/confirm-email/sent")
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://localhost(/\S+/confirm/\S+)", message.body_text).group(1)


def test_a_response_counts_once_its_address_is_confirmed(app, client, world):
    before = counted(app, world)
    with app.app_context():
        client.post_form(world.base + "/answer", {f"q{world.colour.id}": "red"})
        done = client.get(world.base + "/done").get_data(as_text=True)
        assert "One more step: confirm an email address" in done
        assert "do not count yet" in done
        assert counted(app, world) == before, "not counted while waiting"
        link = answer_and_give(client, world)
        message = db.session.scalars(select(OutboxMessage)).all()[-1]
        assert message.to_address == ADDRESS.lower() and message.is_forgotten_once_sent
    # Opening the link changes nothing (a mail program may open it to check it).
    page = client.get(link)
    assert page.status_code == 200 and "Confirm my response" in page.get_data(as_text=True)
    assert counted(app, world) == before
    confirmed = client.post_form(link, {})
    assert confirmed.status_code == 303
    assert "result=counted" in confirmed.headers["Location"]
    assert "Your response counts" in client.get(confirmed.headers["Location"]).get_data(
        as_text=True
    )
    assert counted(app, world) == before + 1
    with app.app_context():
        response = db.session.scalars(select(Response).order_by(Response.id.desc())).first()
        assert response.verified_at is not None and not response.is_awaiting_email
        assert response.verified_at.hour == 0, "anonymous: kept to the day"
        assert db.session.scalar(select(func.count()).select_from(EmailConfirmation)) == 0
        assert db.session.scalar(select(func.count()).select_from(CountedEmail)) == 1
    # The link is used up.
    again = client.get(link)
    assert again.status_code == 404 and "This link does not work" in again.get_data(as_text=True)


def test_one_counted_response_per_address(app, client, world):
    with app.app_context():
        first = answer_and_give(client, world)
        second = answer_and_give(client, world, address="  parent.at.home@example.ORG ")
    client.post_form(first, {})
    before = counted(app, world)
    refused = client.post_form(second, {})
    assert "result=already" in refused.headers["Location"]
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "already been used" in page
    assert counted(app, world) == before


def test_the_address_is_not_kept_once_the_email_is_sent(app, client, world):
    with app.app_context():
        answer_and_give(client, world)
        deliver_pending()
        message = db.session.scalars(select(OutboxMessage)).all()[-1]
        assert message.sent_at is not None
        assert message.to_address == "" and message.body_text == ""
        # Nowhere in the database: every column of every table, as text.
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).all():
                assert "parent.at.home" not in str(row).lower(), table.name
        # The hash alone, keyed: not a plain SHA-256 of the address.
        import hashlib

        stored = db.session.scalar(select(EmailConfirmation.email_hash))
        assert stored != hashlib.sha256(ADDRESS.lower().encode()).hexdigest()


def test_signed_in_people_with_a_confirmed_account_count_at_once(app, client, auth, world):
    with app.app_context():
        person = make_user(email="member.two@example.org")
        make_membership(person, db.session.get(Survey, world.survey.id).consultation.area)
        db.session.commit()
    before = counted(app, world)
    auth.login("member.two@example.org")
    client.post_form(world.base + "/answer", {f"q{world.colour.id}": "red"})
    assert counted(app, world) == before + 1
    assert "One more step" not in client.get(world.base + "/done").get_data(as_text=True)
    # The same address, later, without an account: not counted again.
    auth.logout()
    with app.app_context():
        link = answer_and_give(client, world, address="member.two@example.org")
    assert "result=already" in client.post_form(link, {}).headers["Location"]


@pytest.mark.parametrize(
    "email, error",
    [
        ("", "Enter your email address"),
        ("not an address", "correct format"),
        ("a" * 250 + "@example.org", "254 characters or fewer"),
        ("<script>@example.org", "correct format"),
    ],
)
def test_a_bad_address_is_explained_beside_the_field(app, client, world, email, error):
    client.post_form(world.base + "/answer", {f"q{world.colour.id}": "red"})
    page = client.post_form(world.base + "/confirm-email", {"email": email})
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "govuk-error-summary" in text and error in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmailConfirmation)) == 0


def test_an_expired_link_does_not_count(app, client, world):
    with app.app_context():
        link = answer_and_give(client, world)
        db.session.execute(
            text("UPDATE survey_email_confirmations SET expires_at = :t"),
            {"t": utcnow() - timedelta(minutes=1)},
        )
        db.session.commit()
    assert client.get(link).status_code == 404
    before = counted(app, world)
    client.post_form(link, {})
    assert counted(app, world) == before


def test_the_start_page_says_what_is_kept(app, client, world):
    text_ = client.get(world.base + "/start").get_data(as_text=True)
    assert "This survey asks you to confirm an email address" in text_
    assert "We do not keep your email address" in text_


def test_a_survey_without_the_option_counts_at_once(app, client, world):
    with app.app_context():
        db.session.get(Survey, world.survey.id).requires_confirmed_email = False
        db.session.commit()
    before = counted(app, world)
    client.post_form(world.base + "/answer", {f"q{world.colour.id}": "red"})
    assert counted(app, world) == before + 1
