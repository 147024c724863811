"""Asking for another format, end to end: the request is recorded, the organisers are emailed
through the outbox, an organiser answers and the person who asked is emailed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.documents.models import FormatRequest, FormatRequestStatus
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.documents.worlds import AREA


def ask_url(world, name: str = "public") -> str:
    owner = getattr(world, name)
    return f"{AREA}/documents/{owner.kind}/{owner.id}/ask"


def _outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_a_visitor_asks_for_large_print_and_an_organiser_answers(app, client, auth, world):
    page = client.get(ask_url(world)).get_data(as_text=True)
    assert "Your email address" in page
    response = client.post_form(
        ask_url(world),
        {"format": "large_print", "note": "18 point, please", "email": "parent@example.org"},
    )
    assert response.status_code == 303 and response.location == world.public.url
    assert "have your request for large print version" in client.get(world.public.url).get_data(
        as_text=True
    )
    with app.app_context():
        found = db.session.scalars(select(FormatRequest)).one()
        assert (found.email, found.note, found.about) == (
            "parent@example.org",
            "18 point, please",
            "Short breaks",
        )
        sent = _outbox("format_request")
        assert [m.to_address for m in sent] == ["org@example.org"]
        assert "large print version" in sent[0].subject
        assert "18 point" not in sent[0].body_text  # the note stays in the app
        request_id = found.id

    auth.login("org@example.org")
    listing = client.get(f"{AREA}/format-requests").get_data(as_text=True)
    assert "Waiting for an answer (1)" in listing and "Large print version" in listing
    answer_url = f"{AREA}/format-requests/{request_id}"
    response = client.post_form(answer_url, {"answer": ""})
    assert response.status_code == 422 and "Write a short answer" in response.get_data(as_text=True)
    response = client.post_form(answer_url, {"answer": "Posted to you today."})
    assert response.status_code == 303
    with app.app_context():
        found = db.session.get(FormatRequest, request_id)
        assert found.status is FormatRequestStatus.DONE
        replies = _outbox("format_request_answered")
        assert [m.to_address for m in replies] == ["parent@example.org"]
        assert "Posted to you today." in replies[0].body_text
    listing = client.get(f"{AREA}/format-requests?status=done").get_data(as_text=True)
    assert "Answered (1)" in listing and "Waiting for an answer (0)" in listing
    # answered once only: a second answer (an old tab) is refused
    response = client.post_form(answer_url, {"answer": "Again"})
    assert response.status_code in (303, 422)
    with app.app_context():
        assert len(_outbox("format_request_answered")) == 1


def test_a_signed_in_member_is_not_asked_for_an_address(app, client, auth, world):
    auth.login("member@example.org")
    assert "Your email address" not in client.get(ask_url(world)).get_data(as_text=True)
    response = client.post_form(ask_url(world), {"format": "language", "language": "Polish"})
    assert response.status_code == 303
    with app.app_context():
        found = db.session.scalars(select(FormatRequest)).one()
        assert found.email == "member@example.org" and found.user_id is not None
        assert found.format_label == "Polish version"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"email": "a@example.org"}, "format", "Choose the format you need"),
        ({"format": "full", "email": "a@example.org"}, "format", "from the list"),
        ({"format": "<b>x</b>", "email": "a@example.org"}, "format", "from the list"),
        ({"format": "language", "email": "a@example.org"}, "language", "Say which language"),
        ({"format": "audio"}, "email", "Enter your email address"),
        ({"format": "audio", "email": "not an address"}, "email", "correct format"),
        ({"format": "audio", "email": "a@example.org", "note": "x" * 1001}, "note", "1,000"),
        (
            {"format": "language", "language": "x" * 61, "email": "a@example.org"},
            "language",
            "60 characters",
        ),
    ],
)
def test_bad_requests_are_explained_beside_the_field(app, client, world, data, field, words):
    response = client.post_form(ask_url(world), data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'href="#{field}' in page and words in page
    with app.app_context():
        assert db.session.scalars(select(FormatRequest)).all() == []


def test_hostile_notes_are_shown_as_text(app, client, auth, world):
    client.post_form(
        ask_url(world),
        {"format": "audio", "email": "a@example.org", "note": "<script>alert(1)</script>\u202e"},
    )
    auth.login("org@example.org")
    page = client.get(f"{AREA}/format-requests").get_data(as_text=True)
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(("name", "status"), [("draft", 302), ("members", 200), ("plan", 200)])
def test_anyone_who_can_see_the_page_can_ask(client, world, name, status):
    assert client.get(ask_url(world, name)).status_code == status


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("member@example.org", 403)])
def test_only_organisers_see_the_requests(client, auth, world, who, status):
    if who:
        auth.login(who)
    assert client.get(f"{AREA}/format-requests").status_code == status


def test_the_requests_list_sends_as_many_statements_with_many_requests(app, client, auth, world):
    from forum.documents import services as documents
    from forum.documents.models import DocumentFormat
    from forum.documents.owners import find_owner
    from tests.support import assert_same_count, statements_for

    auth.login("org@example.org")
    url = f"{AREA}/format-requests"

    def ask(n):
        with app.app_context(), app.test_request_context():
            owner = find_owner("consultation", world.public.id)
            for i in range(n):
                documents.request_format(
                    owner,
                    format_=DocumentFormat.AUDIO,
                    email=f"p{i}@example.org",
                    actor=None,
                )
            db.session.commit()

    ask(2)
    small = statements_for(app, client, url)
    ask(20)
    large = statements_for(app, client, url)
    assert_same_count(url, small, large)
    response = client.htmx_get(url)
    assert "<h1" not in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]
