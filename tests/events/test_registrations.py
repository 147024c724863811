"""Registering for events: a place or the waiting list, one registration per person,
cancelling (from the account, the event page and the signed link in the email) and the
waiting list moving on at once, with an email to each person promoted; double opt-in for
an email address; what the person's data page shows and what deleting the account does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.events import data_rights, services
from forum.events.models import AccessChoice, Event, Registration, RegistrationStatus
from forum.events.queries import waiting_position
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from tests.events.worlds import make_event, path, url
from tests.factories import make_person_in


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def _emails(kind, to=None):
    query = select(OutboxMessage).where(OutboxMessage.kind == kind)
    if to:
        query = query.where(OutboxMessage.to_address == to)
    return db.session.scalars(query.order_by(OutboxMessage.id)).all()


def _registration(event_id, email):
    return db.session.scalar(
        select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == event_id, User.email == email)
    )


def test_a_place_then_the_waiting_list(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        event.capacity = 3
        council = _user("council@example.org")
        first = services.register(
            event, user=council, adults=2, access_choices=[AccessChoice.BSL], actor=council
        )
        assert first.status is RegistrationStatus.CONFIRMED and first.places == 2
        assert event.places_taken == 3 and first.access_choices == "bsl"
        org = _user("org@example.org")
        second = services.register(event, user=org, actor=org)
        assert second.status is RegistrationStatus.WAITING and second.places == 0
        assert waiting_position(second) == 2
        (placed,) = _emails("event_registered", "council@example.org")
        assert "You have a place" in placed.body_text and "Cancel my place" in placed.body_text
        assert "secret-room" in placed.body_text  # the online link, for a place only
        (waits,) = _emails("event_waiting", "org@example.org")
        assert "secret-room" not in waits.body_text


def test_registering_twice_gives_back_the_same_registration(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        member = _user("member@example.org")
        again = services.register(event, user=member, adults=3, actor=member)
        assert again.adults == 1
        count = db.session.scalar(
            select(func.count()).select_from(Registration).where(Registration.user_id == member.id)
        )
        assert count == 1 and event.places_taken == 1


def test_cancelling_promotes_the_next_in_order_and_tells_them(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        event.capacity = 1
        org = _user("org@example.org")
        later = services.register(event, user=org, actor=org)
        assert later.status is RegistrationStatus.WAITING
        mine = _registration(world.public, "member@example.org")
        services.cancel_registration(mine, actor=mine.user)
        first_waiting = _registration(world.public, "waiting@example.org")
        assert first_waiting.status is RegistrationStatus.CONFIRMED
        assert first_waiting.promoted_at is not None
        assert later.status is RegistrationStatus.WAITING and waiting_position(later) == 1
        assert event.places_taken == 1
        (promoted,) = _emails("event_promoted")
        assert promoted.to_address == "waiting@example.org"
        assert "A place came free for you" in promoted.subject
        # cancelling again changes nothing and promotes nobody else
        services.cancel_registration(mine, actor=mine.user)
        assert event.places_taken == 1 and later.status is RegistrationStatus.WAITING


def test_a_group_that_does_not_fit_keeps_its_turn(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        event.capacity = 2
        council, org = _user("council@example.org"), _user("org@example.org")
        services.register(event, user=council, actor=council)  # the second place
        big = services.register(event, user=org, adults=3, actor=org)
        waiting = _registration(world.public, "waiting@example.org")
        mine = _registration(world.public, "member@example.org")
        services.cancel_registration(mine, actor=mine.user)
        # waiting@ was first on the list and fits; the group of three is next and waits
        assert waiting.status is RegistrationStatus.CONFIRMED
        assert big.status is RegistrationStatus.WAITING


def test_an_email_address_holds_no_place_until_confirmed(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        before = event.places_taken
        guest = services.register(event, email="new@example.org", name="Nia", adults=1, actor=None)
        assert guest.status is RegistrationStatus.UNCONFIRMED and event.places_taken == before
        (confirm,) = _emails("event_confirm_email", "new@example.org")
        assert "48 hours" in confirm.body_text
        services.confirm_email(guest)
        assert guest.status is RegistrationStatus.CONFIRMED
        assert event.places_taken == before + 1
        services.confirm_email(guest)  # the link followed twice
        assert event.places_taken == before + 1


def test_members_events_take_no_email_addresses(app, world):
    with app.app_context():
        event = db.session.get(Event, world.members)
        with pytest.raises(services.EventError, match="Only members"):
            services.register(event, email="x@example.org", name="X", actor=None)


@pytest.mark.parametrize(
    "event_name, message",
    [
        ("happened", "already started"),
        ("cancelled", "cancelled"),
        ("draft", "does not take registrations"),
    ],
)
def test_no_registration_after_the_event_or_for_a_cancelled_one(app, world, event_name, message):
    with app.app_context():
        event = db.session.get(Event, getattr(world, event_name))
        council = _user("council@example.org")
        with pytest.raises(services.EventError, match=message):
            services.register(event, user=council, actor=council)


def test_signed_links_name_one_registration_and_cannot_be_changed(app, world):
    with app.app_context():
        waiting = _registration(world.public, "waiting@example.org")
        assert services.registration_from(path(services.cancel_link(waiting)).split("/")[3]).id == (
            waiting.id
        )
        assert services.registration_from("not-a-token") is None
        token = world.cancel_path.split("/")[3]
        assert services.registration_from(token[:-2] + "xx") is None
        # a cancel link does not confirm, nor the other way round
        assert services.registration_from(token, confirm=True) is None


def test_an_old_confirm_link_has_expired(app, world, monkeypatch):
    with app.app_context():
        token = world.confirm_path.split("/")[3]
        assert services.registration_from(token, confirm=True) is not None
        monkeypatch.setattr(services, "UNCONFIRMED_HELD", timedelta(seconds=-1))
        assert services.registration_from(token, confirm=True) is None


def test_your_data_shows_registrations_and_deletion_moves_the_list_on(app, world):
    with app.app_context():
        member = _user("member@example.org")
        section, notes = data_rights.personal_data(member)
        assert notes.key == "event_notes" and notes.records == []  # a member wrote none
        (record,) = section.records
        assert record["access_needs"] == "Needs a seat near the door"
        assert record["dietary_needs"] == "No nuts"
        assert record["access_choices"] == AccessChoice.BSL.label
        data_rights.erase(member)
        assert _registration(world.public, "member@example.org") is None
        assert _registration(world.public, "waiting@example.org").status is (
            RegistrationStatus.CONFIRMED
        )
        assert data_rights.personal_data(member)[0].records == []


# --- pages -------------------------------------------------------------------------------------


def test_a_member_registers_on_the_page_and_sees_the_link(app, client, auth, world):
    auth.login("council@example.org")
    page = client.get(f"{url(world.public)}/register").get_data(as_text=True)
    assert "How many adults are coming" in page and "Your email address" not in page
    response = client.post_form(
        f"{url(world.public)}/register",
        {"adults": "1", "access_choices": ["wheelchair", "<evil>"], "access_needs": "Lift"},
    )
    assert response.status_code == 303
    page = client.get(url(world.public)).get_data(as_text=True)
    assert "You have a place" in page and "secret-room" in page
    account = client.get("/account").get_data(as_text=True)
    assert "Your events" in account and "Coffee morning" in account


def test_a_visitor_registers_with_an_email_address(app, client, world):
    page = client.get(f"{url(world.public)}/register").get_data(as_text=True)
    assert "Your email address" in page
    response = client.post_form(
        f"{url(world.public)}/register",
        {"name": "Nia", "email": "Nia@Example.org", "adults": "1"},
    )
    assert response.status_code == 303
    assert "Check your email" in client.get(url(world.public)).get_data(as_text=True)
    with app.app_context():
        (row,) = db.session.scalars(
            select(Registration).where(Registration.email == "nia@example.org")
        ).all()
        assert row.status is RegistrationStatus.UNCONFIRMED


def test_a_visitor_is_sent_to_sign_in_for_a_members_event(client, world):
    response = client.get(f"{url(world.members)}/register")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_email_link_asks_before_it_cancels(app, client, world):
    page = client.get(world.cancel_path)
    assert page.status_code == 200 and "Cancel my registration" in page.get_data(as_text=True)
    with app.app_context():
        assert _registration(world.public, "waiting@example.org").status is (
            RegistrationStatus.WAITING
        )
    response = client.post_form(world.cancel_path, {})
    assert response.status_code == 303
    assert "Your registration is cancelled" in client.get(world.cancel_path).get_data(as_text=True)
    with app.app_context():
        assert _registration(world.public, "waiting@example.org").status is (
            RegistrationStatus.CANCELLED
        )


def test_the_confirm_link_asks_before_it_books(app, client, world):
    assert "Confirm and book my place" in client.get(world.confirm_path).get_data(as_text=True)
    client.post_form(world.confirm_path, {})
    with app.app_context():
        guest = db.session.scalar(
            select(Registration).where(Registration.email == "guest@example.org")
        )
        assert guest.status is RegistrationStatus.CONFIRMED


def test_a_changed_link_says_so(client, world):
    response = client.get("/events/registrations/nonsense/cancel")
    assert response.status_code == 404 and "This link does not work" in response.get_data(
        as_text=True
    )


def test_cancelling_from_the_account_page_goes_back_there(app, client, auth, world):
    auth.login("member@example.org")
    response = client.post_form(f"{url(world.public)}/registration/cancel", {"back": "/account"})
    assert response.headers["Location"] == "/account"
    response = client.post_form(
        f"{url(world.public)}/registration/cancel", {"back": "https://evil.example/"}
    )
    assert response.headers["Location"] == url(world.public)


def test_registration_after_the_event_is_explained(client, auth, world):
    auth.login("council@example.org")
    page = client.get(f"{url(world.happened)}/register").get_data(as_text=True)
    assert "already started" in page and "How many adults" not in page
    response = client.post_form(f"{url(world.happened)}/register", {"adults": "1"})
    assert response.status_code == 422
    assert "already started" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"adults": "0"}, "The number of adults must be a whole number from 1 to 10"),
        ({"adults": "11"}, "The number of adults must be a whole number from 1 to 10"),
        ({"adults": ""}, "Enter how many adults are coming"),
        ({"adults": "1", "access_needs": "x" * 1001}, "Your access needs must be 1,000"),
    ],
)
def test_registration_mistakes_are_said(app, client, auth, world, data, message):
    auth.login("council@example.org")
    response = client.post_form(f"{url(world.public)}/register", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "email": "a@example.org", "adults": "1"}, "Enter your name"),
        ({"name": "A", "email": "", "adults": "1"}, "Enter your email address"),
        ({"name": "A", "email": "not an address", "adults": "1"}, "correct format"),
    ],
)
def test_a_visitors_mistakes_are_said(client, world, data, message):
    response = client.post_form(f"{url(world.public)}/register", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_hostile_text_in_a_registration_is_kept_as_text(app, client, auth, world):
    auth.login("council@example.org")
    hostile = "<script>alert(1)</script>\u202e\x00"
    client.post_form(
        f"{url(world.public)}/register",
        {"adults": "1", "access_needs": hostile, "dietary_needs": hostile},
    )
    with app.app_context():
        row = _registration(world.public, "council@example.org")
        assert "\x00" not in row.access_needs and "\u202e" not in row.access_needs
        assert "<script>" in row.access_needs  # kept as text, escaped wherever it is shown


def test_double_click_on_register_makes_one_registration(app, client, auth, world):
    auth.login("council@example.org")
    data = {"adults": "1", "submission_key": "one-key-twice"}
    first = client.post_form(f"{url(world.public)}/register", data)
    second = client.post_form(f"{url(world.public)}/register", data)
    assert first.status_code == second.status_code == 303
    with app.app_context():
        council = _user("council@example.org")
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Registration)
                .where(Registration.user_id == council.id)
            )
            == 1
        )


def test_a_new_event_with_no_capacity_limit_always_has_room(app, world):
    with app.app_context():
        area = db.session.get(Event, world.public).area
        event = make_event(area, capacity=None)
        person = make_person_in(area, None, email="solo@example.org")
        row = services.register(event, user=db.session.merge(person), actor=None, now=utcnow())
        assert row.status is RegistrationStatus.CONFIRMED
