"""What was heard at an event: who may write and read the notes (a matrix over the people of
the event world and the three visibilities), the services, the pages, bad input on every
form, a stale save, and the event page's statements however many items and actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, insert, select

from forum.accounts.models import User
from forum.audit.models import AuditEvent
from forum.consultations.models import Audience
from forum.events import permissions as p
from forum.events import services
from forum.events.models import (
    Event,
    EventNote,
    NoteAction,
    NoteItem,
    NoteVisibility,
)
from forum.extensions import db
from tests.events.worlds import url
from tests.support import assert_same_count, statements_for

PEOPLE = [
    "visitor",
    "nobody@example.org",
    "member@example.org",
    "council@example.org",
    "org@example.org",
    "other@example.org",
    "admin@example.org",
]
ORGANISERS = {"org@example.org", "admin@example.org"}
MEMBERS = {"member@example.org", "council@example.org"} | ORGANISERS
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _person(who):
    if who == "visitor":
        return AnonymousUserMixin()
    return db.session.scalar(select(User).where(User.email == who))


@pytest.mark.parametrize(
    "event, allowed",
    [
        ("happened", ORGANISERS),
        ("public", set()),  # not started yet
        ("cancelled", set()),
        ("draft", set()),
        ("south_draft", set()),
    ],
)
def test_who_may_write_notes(app, world, event, allowed):
    with app.app_context():
        row = db.session.get(Event, getattr(world, event))
        assert {who for who in PEOPLE if p.can_write_notes(_person(who), row)} == allowed


@pytest.mark.parametrize(
    "visibility, audience, allowed",
    [
        ("public", "public", set(PEOPLE)),
        ("members", "public", MEMBERS),
        ("organisers", "public", ORGANISERS),
        ("public", "members", MEMBERS),
        ("members", "members", MEMBERS),
        ("organisers", "members", ORGANISERS),
    ],
)
def test_who_may_read_notes(app, world, visibility, audience, allowed):
    with app.app_context():
        event = db.session.get(Event, world.happened)
        event.audience = Audience(audience)
        note = EventNote(event=event, visibility=NoteVisibility(visibility))
        assert {who for who in PEOPLE if p.can_view_notes(_person(who), note)} == allowed
        db.session.rollback()


def test_services_write_notes_items_and_actions(app, world):
    with app.app_context():
        organiser = _person("org@example.org")
        event = db.session.get(Event, world.members)
        event.starts_at -= timedelta(days=30)
        event.ends_at -= timedelta(days=30)
        item = services.add_item(event, text="  Respite  ", people=None, actor=organiser)
        note = item.note
        assert item.text == "Respite" and note.visibility is NoteVisibility.ORGANISERS
        services.save_note(
            event, summary="Short", visibility=NoteVisibility.MEMBERS, actor=organiser
        )
        action = services.add_action(
            event, what="Call back", owner="Jo", due_on=date(2027, 3, 1), actor=organiser
        )
        services.set_action_done(action, True, actor=organiser)
        services.set_action_done(action, True, actor=organiser)  # pressed twice
        assert note.summary == "Short" and action.is_done
        services.delete_item(item, actor=organiser)
        services.delete_action(action, actor=organiser)
        assert (
            db.session.scalar(
                select(func.count()).select_from(NoteItem).where(NoteItem.note_id == note.id)
            )
            == 0
        )
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.area_id == event.area_id)
        ).all()
        for name in ("notes_saved", "note_item_added", "note_action_done", "note_item_deleted"):
            assert f"event.{name}" in actions
        assert actions.count("event.note_action_done") == 1
        db.session.rollback()


@pytest.mark.parametrize("event", ["public", "cancelled"])
def test_no_notes_before_the_start_or_for_a_cancelled_event(app, world, event):
    with app.app_context():
        row = db.session.get(Event, getattr(world, event))
        with pytest.raises(services.EventError):
            services.add_item(row, text="Too soon", actor=_person("org@example.org"))
        db.session.rollback()


@pytest.mark.parametrize(
    "who, sees_notes",
    [
        (None, True),
        ("member@example.org", True),
        ("org@example.org", True),
    ],
)
def test_public_notes_on_the_event_page(client, auth, world, who, sees_notes):
    if who:
        auth.login(who)
    page = client.get(url(world.happened)).get_data(as_text=True)
    assert ("Waiting lists for therapy are long" in page) is sees_notes
    assert "6 people raised this" in page and "Ask the ICB for the figures" in page
    assert "<strong>lively</strong>" in page
    assert ("Edit the notes on what was heard" in page) is (who == "org@example.org")


@pytest.mark.parametrize(
    "visibility, readers",
    [("members", {"member@example.org", "org@example.org"}), ("organisers", {"org@example.org"})],
)
def test_closed_notes_are_kept_from_others(app, client, auth, world, visibility, readers):
    with app.app_context():
        db.session.get(EventNote, world.note).visibility = NoteVisibility(visibility)
        db.session.commit()
    try:
        for who in (None, "nobody@example.org", "member@example.org", "org@example.org"):
            if who:
                auth.login(who)
            page = client.get(url(world.happened)).get_data(as_text=True)
            assert ("Waiting lists for therapy are long" in page) is (who in readers), who
            if who:
                auth.logout()
    finally:
        with app.app_context():
            db.session.get(EventNote, world.note).visibility = NoteVisibility.PUBLIC
            db.session.commit()


def test_the_notes_pages_for_organisers_only(client, auth, world):
    pages = ["/notes", "/notes/items/new", "/notes/actions/new"]
    for who in ("member@example.org", "council@example.org", "other@example.org"):
        auth.login(who)
        for page in pages:
            assert client.get(url(world.happened) + page).status_code == 403
        auth.logout()
    auth.login("org@example.org")
    for page in pages:
        assert client.get(url(world.happened) + page).status_code == 200
        assert client.get(url(world.public) + page).status_code == 403  # not started yet
    notes = client.get(url(world.happened) + "/notes").get_data(as_text=True)
    assert "Waiting lists for therapy are long" in notes and "Mark as done" in notes


def test_an_item_of_another_event_is_not_found(client, auth, world):
    auth.login("org@example.org")
    other = url(world.public)
    assert client.post_form(f"{other}/notes/items/{world.item}/delete").status_code in (403, 404)
    assert client.post_form(f"{url(world.happened)}/notes/items/999999/delete").status_code == 404


NOTES_BAD = [
    (
        "/notes",
        {"summary": "x" * 5001, "visibility": "public"},
        "The summary must be 5,000 characters or fewer",
    ),
    ("/notes", {"summary": "Fine", "visibility": "everyone"}, "Not a valid choice"),
    ("/notes", {"summary": "Fine"}, "Choose who can read these notes"),
    ("/notes/items/new", {"text": ""}, "Enter what was raised"),
    ("/notes/items/new", {"text": "   "}, "Enter what was raised"),
    ("/notes/items/new", {"text": "x" * 501}, "What was raised must be 500"),
    ("/notes/items/new", {"text": "Fine", "people": "0"}, "from 1 to 1,000"),
    ("/notes/items/new", {"text": "Fine", "people": "5000"}, "from 1 to 1,000"),
    ("/notes/items/new", {"text": "Fine", "people": "many"}, "from 1 to 1,000"),
    ("/notes/actions/new", {"what": ""}, "Enter what was agreed"),
    ("/notes/actions/new", {"what": "x" * 301}, "What was agreed must be 300"),
    ("/notes/actions/new", {"what": "Fine", "owner": "x" * 121}, "Who will do it must be 120"),
    (
        "/notes/actions/new",
        {"what": "Fine", "due_on-day": "31", "due_on-month": "2", "due_on-year": "2027"},
        "The due date must be a real date",
    ),
]


@pytest.mark.parametrize("page, data, message", NOTES_BAD)
def test_bad_input_on_the_notes_forms(app, client, auth, world, page, data, message):
    auth.login("org@example.org")
    with app.app_context():
        before = (
            db.session.scalar(select(func.count()).select_from(NoteItem)),
            db.session.scalar(select(func.count()).select_from(NoteAction)),
        )
    response = client.post_form(url(world.happened) + page, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body and "govuk-error-summary" in body
    with app.app_context():
        after = (
            db.session.scalar(select(func.count()).select_from(NoteItem)),
            db.session.scalar(select(func.count()).select_from(NoteAction)),
        )
        assert after == before
        assert db.session.get(EventNote, world.note).summary == "A **lively** morning."


def test_hostile_and_odd_text_is_kept_as_words(app, client, auth, world):
    auth.login("org@example.org")
    odd = "Tr\u200bansport\u202e " + HOSTILE
    response = client.post_form(
        url(world.happened) + "/notes/items/new", {"text": odd, "people": "2"}
    )
    assert response.status_code == 303
    page = client.get(url(world.happened)).get_data(as_text=True)
    assert "<script>alert" not in page and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;" in page
    with app.app_context():
        text = db.session.scalar(select(NoteItem.text).where(NoteItem.text.contains("ansport")))
        assert "\u202e" not in text and text.startswith("Tr\u200bansport <script>")


def test_a_stale_save_of_the_notes_is_caught(app, client, auth, world):
    auth.login("org@example.org")
    with app.app_context():
        note = db.session.get(EventNote, world.note)
        note.summary = "Theirs"
        db.session.commit()
        version = note.version
    try:
        response = client.post_form(
            url(world.happened) + "/notes",
            {"summary": "Mine", "visibility": "public", "row_version": str(version - 1)},
        )
        assert response.status_code == 422
        assert "Someone else changed these notes" in response.get_data(as_text=True)
    finally:
        with app.app_context():
            db.session.get(EventNote, world.note).summary = "A **lively** morning."
            db.session.commit()


def test_the_first_notes_of_an_event_and_a_double_click(app, client, auth, world):
    auth.login("org@example.org")
    with app.app_context():
        event = db.session.get(Event, world.members)
        event.starts_at -= timedelta(days=30)
        event.ends_at -= timedelta(days=30)
        db.session.commit()
    data = {"text": "Short breaks", "people": "", "submission_key": "same-key-notes"}
    first = client.post_form(url(world.members) + "/notes/items/new", data)
    second = client.post_form(url(world.members) + "/notes/items/new", data)
    assert first.status_code == second.status_code == 303
    with app.app_context():
        note = db.session.scalar(select(EventNote).where(EventNote.event_id == world.members))
        assert [i.text for i in note.items] == ["Short breaks"] and note.items[0].people is None
        assert note.visibility is NoteVisibility.ORGANISERS
        db.session.delete(note)
        event = db.session.get(Event, world.members)
        event.starts_at += timedelta(days=30)
        event.ends_at += timedelta(days=30)
        db.session.commit()


def _grow(app, world, n: int) -> None:
    with app.app_context():
        db.session.execute(
            insert(NoteItem),
            [
                {
                    "note_id": world.note,
                    "area_id": world.area_id,
                    "text": f"Point {i}",
                    "people": i + 1,
                }
                for i in range(n)
            ],
        )
        db.session.execute(
            insert(NoteAction),
            [
                {"note_id": world.note, "area_id": world.area_id, "what": f"Do {i}", "owner": ""}
                for i in range(n)
            ],
        )
        db.session.commit()


@pytest.mark.parametrize("who", [None, "org@example.org"])
def test_the_event_page_and_notes_page_are_flat(app, client, auth, world, who):
    if who:
        auth.login(who)
    pages = [url(world.happened)] + ([url(world.happened) + "/notes"] if who else [])
    small = {page: statements_for(app, client, page) for page in pages}
    _grow(app, world, 40)
    try:
        for page in pages:
            assert_same_count(page, small[page], statements_for(app, client, page))
    finally:
        with app.app_context():
            db.session.query(NoteItem).filter(NoteItem.text.like("Point %")).delete()
            db.session.query(NoteAction).filter(NoteAction.what.like("Do %")).delete()
            db.session.commit()


def test_an_organiser_sees_the_notes_they_wrote_and_they_stay_without_their_name(app, world):
    from forum.events import data_rights

    with app.app_context():
        organiser = _person("org@example.org")
        event = db.session.get(Event, world.happened)
        item = services.add_item(event, text="Sleep clinics", people=2, actor=organiser)
        action = services.add_action(event, what="Find a venue", owner="Kim", actor=organiser)
        sections = {s.key: s for s in data_rights.personal_data(organiser)}
        texts = [r["text"] for r in sections["event_notes"].records]
        assert texts == ["Sleep clinics", "Find a venue (Kim)"]
        assert data_rights.personal_data(_person("member@example.org"))[1].records == []
        data_rights.erase(organiser)
        db.session.expire_all()
        assert item.created_by_id is None and action.created_by_id is None
        assert db.session.get(EventNote, world.note).items[-1].text == "Sleep clinics"
        db.session.rollback()


def test_two_organisers_beginning_the_notes_at_once(app, world, monkeypatch):
    """The second finds the event has notes only when it writes (the unique event_id)."""
    with app.app_context():
        event = db.session.get(Event, world.happened)
        monkeypatch.setattr(services, "note_of", lambda event: None)
        with pytest.raises(services.EventError, match="at the same moment"):
            services.add_item(event, text="Late", actor=_person("org@example.org"))
        db.session.rollback()
