"""The public subscription pages: the form and its mistakes, the same answer whether or not an
address was subscribed already, confirming by POST only, and the signed link to a
subscriber's own choices; with the real outbox and SMTP server for the whole double opt-in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.notifications import preferences
from forum.notifications import services as outbox
from forum.notifications import subscriber_tokens as tokens
from forum.notifications.models import OutboxMessage, Subscriber
from forum.notifications.topics import Frequency, Topic
from tests.conftest import body_of, link_in, smtp_config
from tests.factories import make_area, make_person_in
from tests.support import HUGE, RTL_EMOJI, SCRIPT, assert_redirects_after_post

SUBSCRIBE = "/areas/northshire/subscribe"
SENT = "/areas/northshire/subscribe/check-your-email"


@pytest.fixture
def app_config(app_config, inbox):
    return {**app_config, **smtp_config(inbox)}


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        make_area(slug="southshire", name="Southshire")
        make_person_in(area, None, email="signed@example.org")
        db.session.commit()
        return {"area": area.id, "forum": area.forum_name}


def _subscribers(app) -> list[Subscriber]:
    with app.app_context():
        return list(db.session.scalars(select(Subscriber).order_by(Subscriber.id)))


def _deliver(app):
    with app.app_context():
        return outbox.deliver_pending()


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_the_form_says_what_will_happen(client, world):
    response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Get emails from {world['forum']}" in page
    assert "Nothing else is sent until you follow it" in page
    assert "within 7 days, we delete your address" in page
    for topic in (Topic.CONSULTATIONS, Topic.NEWSLETTERS, Topic.EVENTS):
        assert topic.label in page
    assert Topic.REPLIES.label not in page and Topic.OUTCOMES.label not in page
    assert "checked" not in page  # the person ticks what they want


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("   ", "Enter your email address"),
        ("not an address", "Enter an email address in the correct format"),
        ("sam@", "Enter an email address in the correct format"),
        ("a" * 250 + "@example.org", "254 characters or fewer"),
        (HUGE, "254 characters or fewer"),
        (SCRIPT, "Enter an email address in the correct format"),
        (RTL_EMOJI, "Enter an email address in the correct format"),
    ],
    ids=["empty", "blank", "words", "half", "long", "huge", "hostile", "unicode"],
)
def test_a_bad_address_is_shown_beside_the_field(app, client, world, email, message):
    response = client.post_form(SUBSCRIBE, {"email": email, "topics": ["events"]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert 'href="#email"' in page
    assert "<title>Error: " in page
    assert SCRIPT not in page
    assert _subscribers(app) == []


def test_invisible_characters_are_cleaned_out_of_the_address(app, client, world):
    response = client.post_form(
        SUBSCRIBE, {"email": " Sam\u202e@Example.org ", "topics": ["events"]}
    )
    assert response.status_code == 303
    assert [s.email for s in _subscribers(app)] == ["sam@example.org"]


@pytest.mark.parametrize("topics", [[], ["replies"], ["events", "nonsense"], [SCRIPT]])
def test_the_kinds_must_be_chosen_from_the_list(app, client, world, topics):
    response = client.post_form(SUBSCRIBE, {"email": "sam@example.org", "topics": topics})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'href="#topics"' in page
    assert SCRIPT not in page
    assert _subscribers(app) == []


def test_the_answer_is_the_same_whether_or_not_the_address_was_subscribed(app, client, world):
    first = client.post_form(SUBSCRIBE, {"email": "sam@example.org", "topics": ["events"]})
    with app.app_context():
        subscriber = db.session.scalars(select(Subscriber)).one()
        subscriber.confirmed_at = subscriber.created_at
        db.session.commit()
    again = client.post_form(SUBSCRIBE, {"email": "Sam@example.org", "topics": ["newsletters"]})
    new = client.post_form(SUBSCRIBE, {"email": "kim@example.org", "topics": ["events"]})
    assert first.status_code == again.status_code == new.status_code == 303
    assert first.headers["Location"] == again.headers["Location"] == new.headers["Location"]
    page = client.get(SENT).get_data(as_text=True)
    assert "sam@example.org" not in page
    with app.app_context():
        kinds = db.session.execute(
            select(OutboxMessage.to_address, OutboxMessage.kind).order_by(OutboxMessage.id)
        ).all()
    assert [tuple(row) for row in kinds] == [
        ("sam@example.org", "subscriber_confirm"),
        ("sam@example.org", "subscriber_already"),
        ("kim@example.org", "subscriber_confirm"),
    ]


def test_a_double_click_sends_one_email(app, client, world):
    data = {"email": "sam@example.org", "topics": ["events"], "submission_key": "same-key-1"}
    first = client.post_form(SUBSCRIBE, data)
    second = client.post_form(SUBSCRIBE, data)
    assert first.status_code == second.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_subscribe_redirects_after_post(client, world, htmx):
    response = client.post_form(
        SUBSCRIBE, {"email": "sam@example.org", "topics": ["events"]}, htmx=htmx
    )
    assert_redirects_after_post(response, htmx=htmx)


def test_a_signed_in_person_is_pointed_at_their_emails_page(client, auth, world):
    auth.login("signed@example.org")
    page = client.get(SUBSCRIBE).get_data(as_text=True)
    assert 'href="/account/emails"' in page


def test_the_area_home_page_offers_it(client, auth, world):
    page = client.get("/areas/northshire").get_data(as_text=True)
    assert "Get emails from this forum" in page and f'href="{SUBSCRIBE}"' in page
    auth.login("signed@example.org")
    page = client.get("/areas/northshire").get_data(as_text=True)
    assert 'href="/account/emails"' in page


def test_double_opt_in_with_the_real_outbox(app, client, world, inbox):
    response = client.post_form(
        SUBSCRIBE, {"email": "sam@example.org", "topics": ["consultations", "events"]}
    )
    assert response.headers["Location"] == SENT
    assert _deliver(app)["sent"] == 1
    [email] = inbox.wait_for("sam@example.org")
    assert email["Subject"] == f"Confirm you want emails from {world['forum']}"
    assert "List-Unsubscribe" not in email  # a service email
    confirm = _path(link_in(email, "/subscribe/confirm/"))
    with app.app_context():
        sent = db.session.scalars(select(OutboxMessage)).one()
        # the address and the link are forgotten once sent
        assert sent.to_address == "" and sent.body_text == ""

    # Opening the link (a person, or a mail scanner) changes nothing.
    page = client.get(confirm)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Yes, send me these emails" in page.get_data(as_text=True)
    assert not _subscribers(app)[0].is_confirmed

    confirmed = client.post_form(confirm, {})
    assert confirmed.status_code == 303
    choices = confirmed.headers["Location"]
    assert choices.startswith("/subscriptions/")
    [subscriber] = _subscribers(app)
    assert subscriber.is_confirmed

    # The welcome email carries the same link to keep.
    _deliver(app)
    welcome = inbox.wait_for("sam@example.org", count=2)[-1]
    assert _path(link_in(welcome, "/subscriptions/")) == choices
    page = client.get(choices).get_data(as_text=True)
    assert f"You are subscribed to emails from {world['forum']}" in page
    assert "sam@example.org" in page

    # An optional public email now reaches them, with its one-click unsubscribe.
    with app.test_request_context():
        from forum.areas.models import Area

        area = db.session.get(Area, world["area"])
        person = db.session.get(Subscriber, subscriber.id)
        mail = preferences.Mail(
            template="subscriber_welcome",
            kind="announcement",
            title="Hello",
            link="/x",
            context={"link": "https://example.org/x", "topics": []},
        )
        assert preferences.notify(person, area, Topic.EVENTS, mail, audience="public")
        assert preferences.notify(person, area, Topic.NEWSLETTERS, mail, audience="public") is None
        db.session.commit()
    _deliver(app)
    announcement = inbox.wait_for("sam@example.org", count=3)[-1]
    assert announcement["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body_of(announcement)

    # The link used again does nothing but say so.
    used = client.post_form(confirm, {})
    assert used.status_code == 404
    assert "This link does not work" in used.get_data(as_text=True)


def _confirmed_subscriber(app, client, email="sam@example.org", slug="northshire"):
    client.post_form(f"/areas/{slug}/subscribe", {"email": email, "topics": ["events"]})
    with app.app_context():
        subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == email))
        subscriber.confirmed_at = subscriber.created_at
        subscriber.confirm_digest = None
        db.session.commit()
        return subscriber.id, f"/subscriptions/{tokens.make_token(subscriber)}"


def test_a_subscriber_changes_their_choices_from_their_link(app, client, world):
    subscriber_id, page_path = _confirmed_subscriber(app, client)
    page = client.get(page_path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert Topic.REPLIES.label not in text
    data = {"consultations": "weekly", "newsletters": "daily", "events": "never"}
    response = client.post_form(page_path, data)
    assert response.status_code == 303 and response.headers["Location"] == page_path
    again = client.post_form(page_path, data)  # a second click changes nothing more
    assert again.status_code == 303
    with app.app_context():
        chosen = preferences.choices(db.session.get(Subscriber, subscriber_id), world["area"])
    assert chosen == {
        Topic.CONSULTATIONS: Frequency.WEEKLY,
        Topic.NEWSLETTERS: Frequency.DAILY,
        Topic.EVENTS: Frequency.NEVER,
    }
    assert "Your email choices are saved." in client.get(page_path).get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        {"consultations": "weekly", "newsletters": "daily"},
        {"consultations": "often", "newsletters": "daily", "events": "never"},
        {"consultations": SCRIPT, "newsletters": "daily", "events": "never"},
        {"consultations": "weekly", "newsletters": "daily", "events": "never", "replies": "x"},
    ],
    ids=["missing", "unknown", "hostile", "extra-ignored"],
)
def test_bad_choices_from_a_subscriber(app, client, world, data):
    subscriber_id, page_path = _confirmed_subscriber(app, client)
    response = client.post_form(page_path, data)
    if "replies" in data:
        assert response.status_code == 303
        return
    assert response.status_code == 422
    assert "There is a problem" in response.get_data(as_text=True)
    assert SCRIPT not in response.get_data(as_text=True)
    with app.app_context():
        chosen = preferences.choices(db.session.get(Subscriber, subscriber_id), world["area"])
    # as subscribed: events only
    assert chosen[Topic.CONSULTATIONS] is Frequency.NEVER
    assert chosen[Topic.EVENTS] is Frequency.IMMEDIATELY


def test_deleting_a_subscription_from_its_link(app, client, world):
    _, page_path = _confirmed_subscriber(app, client)
    other_id, other_path = _confirmed_subscriber(app, client, "kim@example.org")
    data = {"submission_key": "delete-key-1"}
    response = client.post_form(f"{page_path}/delete", data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/areas/northshire/subscription-deleted"
    again = client.post_form(f"{page_path}/delete", data)
    assert again.headers["Location"] == "/areas/northshire/subscription-deleted"
    assert "Your subscription is deleted" in client.get(
        "/areas/northshire/subscription-deleted"
    ).get_data(as_text=True)
    assert [s.id for s in _subscribers(app)] == [other_id]
    assert client.get(page_path).status_code == 404
    assert client.get(other_path).status_code == 200
    # a fresh click on the dead link says so and changes nothing
    response = client.post_form(f"{page_path}/delete", {})
    assert response.status_code == 404
    assert [s.id for s in _subscribers(app)] == [other_id]


@pytest.mark.parametrize(
    "path",
    [
        "/subscriptions/nonsense",
        "/subscriptions/" + "a" * 3000,
        "/subscriptions/%E2%80%AEabc",
        "/subscribe/confirm/nonsense",
        "/subscribe/confirm/" + "a" * 3000,
    ],
)
def test_links_that_do_not_work_say_so(client, world, path):
    for method in ("get", "post_form"):
        response = getattr(client, method)(path)
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)
    response = client.post_form(path + "/delete" if "subscriptions" in path else path, {})
    assert response.status_code == 404


def test_an_altered_link_opens_nothing(app, client, world):
    _, page_path = _confirmed_subscriber(app, client)
    _, other = _confirmed_subscriber(app, client, "kim@example.org", slug="southshire")
    altered = page_path[:-3] + ("xyz" if not page_path.endswith("xyz") else "abc")
    assert client.get(altered).status_code == 404
    response = client.post_form(
        altered, {"consultations": "never", "newsletters": "never", "events": "never"}
    )
    assert response.status_code == 404
    # the other area's subscriber is not shown on this one's link, nor the other way round
    assert "kim@example.org" not in client.get(page_path).get_data(as_text=True)
    assert "sam@example.org" not in client.get(other).get_data(as_text=True)


def test_the_unsubscribe_page_offers_a_subscriber_all_their_choices(app, client, world):
    from forum.notifications.tokens import make_token

    subscriber_id, page_path = _confirmed_subscriber(app, client)
    with app.app_context():
        token = make_token(area_id=world["area"], topic=Topic.EVENTS, subscriber_id=subscriber_id)
    for response in (
        client.get(f"/unsubscribe/{token}"),
        client.post(f"/unsubscribe/{token}", follow_redirects=True),
    ):
        page = response.get_data(as_text=True)
        assert f'href="{page_path}"' in page
        assert "/account/emails" not in page
