"""Deleting a draft: only a draft that was never published (nobody registered, nothing sent,
no notes), from a GOV.UK "are you sure" page that works without JavaScript, with an audit
entry. A published event is never deleted (it is cancelled instead): its event page offers
no button, its delete page says why, and the service refuses it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.audit.models import AuditEvent
from forum.events import services
from forum.events.models import Event, EventNote
from forum.extensions import db
from tests.events.worlds import make_event, make_registration, url
from tests.factories import make_user


def _organiser():
    return db.session.scalar(select(User).where(User.email == "org@example.org"))


def test_a_draft_is_deleted_with_an_audit_entry(app, world):
    with app.app_context():
        draft = db.session.get(Event, world.draft)
        starts = draft.starts_at.isoformat()
        services.delete_draft(draft, actor=_organiser())
        assert db.session.get(Event, world.draft) is None
        entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "event.deleted"))
        assert entry.subject_type == "Event" and entry.subject_id == world.draft
        assert entry.actor_id == _organiser().id and entry.area_id == world.area_id
        assert entry.detail == {"label": "Draft workshop", "starts_at": starts}


@pytest.mark.parametrize("event", ["public", "members", "cancelled", "happened"])
def test_an_event_once_published_is_never_deleted(app, world, event):
    with app.app_context():
        row = db.session.get(Event, getattr(world, event))
        with pytest.raises(services.EventError, match="Cancel it instead"):
            services.delete_draft(row, actor=_organiser())
        assert db.session.get(Event, getattr(world, event)) is not None


def test_a_draft_with_registrations_or_notes_is_kept(app, world):
    """Neither can happen through the pages (drafts take no registrations, and notes wait
    for the start); the rule holds anyway, so nothing is lost if one day it does."""
    with app.app_context():
        area = db.session.get(Event, world.draft).area
        registered = make_event(area, status="draft")
        make_registration(registered, user=make_user())
        noted = make_event(area, status="draft", days=-1)
        db.session.add(EventNote(event_id=noted.id, area_id=area.id, summary="Said."))
        db.session.flush()
        for row, said in ((registered, "registered"), (noted, "notes")):
            with pytest.raises(services.EventError, match=said):
                services.delete_draft(row, actor=_organiser())
            assert db.session.get(Event, row.id) is not None


def test_the_page_asks_then_deletes_without_javascript(app, client, auth, world):
    auth.login("org@example.org")
    event_page = client.get(url(world.draft)).get_data(as_text=True)
    assert f'href="{url(world.draft)}/delete"' in event_page and "Delete the draft" in event_page
    page = client.get(f"{url(world.draft)}/delete")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Are you sure you want to delete this draft?" in text
    assert 'name="csrf_token"' in text and "Yes, delete the draft" in text
    response = client.post_form(f"{url(world.draft)}/delete", {})
    assert response.status_code == 303
    assert response.headers["Location"] == "/areas/northshire/events/manage"
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The draft “Draft workshop” is deleted." in listing
    with app.app_context():
        assert db.session.get(Event, world.draft) is None
    # a second press (another tab) finds nothing to delete
    assert client.post_form(f"{url(world.draft)}/delete", {}).status_code == 404


def test_a_published_event_offers_no_delete_and_is_refused(app, client, auth, world):
    auth.login("org@example.org")
    event_page = client.get(url(world.public)).get_data(as_text=True)
    assert "/delete" not in event_page and "Cancel the event" in event_page
    page = client.get(f"{url(world.public)}/delete").get_data(as_text=True)
    assert "You cannot delete this event" in page and "Cancel it instead" in page
    assert "Yes, delete" not in page
    assert f'href="{url(world.public)}/cancel"' in page
    response = client.post_form(f"{url(world.public)}/delete", {})
    assert response.status_code == 422
    assert "Cancel it instead" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Event, world.public) is not None
        assert (
            db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "event.deleted"))
            is None
        )


def test_csrf_is_required(app, client, auth, world):
    auth.login("org@example.org")
    response = client.post(f"{url(world.draft)}/delete", data={})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Event, world.draft) is not None


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        ("member@example.org", 403),
        ("council@example.org", 403),
        ("other@example.org", 403),
        ("admin@example.org", 200),
    ],
)
def test_only_the_areas_organisers_may_delete(app, client, auth, world, who, status):
    if who:
        auth.login(who)
    assert client.get(f"{url(world.draft)}/delete").status_code == status
    if status != 200:
        client.post_form(f"{url(world.draft)}/delete", {})
        with app.app_context():
            assert db.session.get(Event, world.draft) is not None
