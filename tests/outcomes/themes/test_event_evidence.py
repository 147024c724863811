"""What was heard at events as evidence for themes (issue 15): the points families raised and
the actions agreed, linked one by one or through the survey codes a point carries; how they
count (each point once, with the people the notes say raised it); what the picker lists; who
reads their words; what the published "you said, we did" shows; and that a point behind a
theme cannot be deleted from under it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.consultations.models import Consultation
from forum.events import services as events
from forum.events.models import NoteAction, NoteItem, NoteVisibility
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.themes import queries as evidence
from forum.outcomes.themes import services as themes
from forum.outcomes.themes.models import Evidence, EvidenceKind, Theme
from forum.surveys.models import Code
from tests.events.worlds import make_event
from tests.factories import make_area, make_theme
from tests.outcomes.worlds import THEME_EMAILS, build_theme_world
from tests.support import assert_same_count, recorded_statements, statements_for

LINKED = "Coffee morning about therapy"
UNLINKED = "Drop-in at the library"
PRIVATE_POINT = "A family described a diagnosis in detail"


@pytest.fixture(scope="module")
def world(world_app):
    """The theme world with three events that happened: one linked to the consultation with
    public notes (two points, one action), one not linked with notes for organisers only, and
    one in another area."""
    with world_app.app_context():
        world = build_theme_world()
        area = db.session.get(Consultation, world.consultation_id).area
        organiser = db.session.get(User, world.organiser_id)
        linked = make_event(area, days=-3, title=LINKED, consultation_id=world.consultation_id)
        events.save_note(linked, summary="Busy.", visibility=NoteVisibility.PUBLIC, actor=organiser)
        letters = events.add_item(
            linked, text="Therapy letters come too late", people=4, actor=organiser
        )
        room = events.add_item(linked, text="No quiet room at the clinic", actor=organiser)
        action = events.add_action(
            linked, what="Council to check how letters are sent", actor=organiser
        )
        unlinked = make_event(area, days=-10, title=UNLINKED)
        private = events.add_item(unlinked, text=PRIVATE_POINT, people=6, actor=organiser)
        far_area = make_area(slug="farshire", name="Farshire")
        far_event = make_event(far_area, days=-2, title="Far event")
        far = events.add_item(far_event, text="Far point", people=9, actor=None)
        consultation = db.session.get(Consultation, world.consultation_id)
        world.theme_id = make_theme(consultation, title="Letters").id
        world.other_theme_id = make_theme(consultation, title="Rooms").id
        world.linked_id, world.unlinked_id = linked.id, unlinked.id
        world.letters, world.room, world.action = letters.id, room.id, action.id
        world.private, world.far = private.id, far.id
        db.session.commit()
        return world


def _add(world, kind, target, theme_id=None):
    theme = db.session.get(Theme, theme_id or world.theme_id)
    organiser = db.session.get(User, world.organiser_id)
    added = themes.add_evidence(theme, kind, target, actor=organiser)
    db.session.flush()
    return added


def _figures(world, theme_id=None):
    found = evidence.theme_figures([theme_id or world.theme_id])[theme_id or world.theme_id]
    return found.items, found.people, found.vouched_items, found.vouched_people


def _tag(world, item_id, *code_ids):
    item = db.session.get(NoteItem, item_id)
    return events.set_item_codes(
        item, set(code_ids), actor=db.session.get(User, world.organiser_id)
    )


# --- counting ----------------------------------------------------------------------------


def test_a_point_counts_once_with_the_people_who_raised_it(app, world):
    with app.app_context():
        assert _figures(world) == (0, 0, 0, 0)
        _add(world, "event_item", world.letters)
        # One point; the notes say four people raised it; organisers wrote it (vouched).
        assert _figures(world) == (1, 4, 1, 4)
        _add(world, "event_item", world.room)
        # The notes do not say how many raised the second point: no people are added.
        assert _figures(world) == (2, 4, 2, 4)
        _add(world, "event_action", world.action)
        # An action agreed is one more item, and no people.
        assert _figures(world) == (3, 4, 3, 4)
        _add(world, "answer", world.answers["parent"])
        # Answers and points add up: the parent is one more person.
        assert _figures(world) == (4, 5, 4, 5)


def test_a_point_reached_twice_counts_once(app, world):
    """Linked directly and through a code it carries: still one point, four people."""
    with app.app_context():
        _add(world, "event_item", world.letters)
        assert _tag(world, world.letters, world.waiting) is True
        _add(world, "code", world.waiting)
        items, people, *_ = _figures(world)
        # The code's two answers (the parent and a paper response) and the point.
        assert (items, people) == (3, 2 + 4)


def test_a_code_brings_in_the_points_tagged_with_it_later(app, world):
    with app.app_context():
        _add(world, "code", world.calls)
        assert _figures(world)[:2] == (1, 1)
        _tag(world, world.letters, world.calls)
        assert _figures(world)[:2] == (2, 5)
        _tag(world, world.letters)  # untagged again
        assert _figures(world)[:2] == (1, 1)


def test_total_figures_count_a_point_behind_two_themes_once(app, world):
    with app.app_context():
        _add(world, "event_item", world.letters)
        _add(world, "event_item", world.letters, theme_id=world.other_theme_id)
        _add(world, "event_action", world.action, theme_id=world.other_theme_id)
        total = evidence.total_figures([world.theme_id, world.other_theme_id])
        assert (total.items, total.people) == (2, 4)
        both = evidence.theme_figures([world.theme_id, world.other_theme_id])
        assert (both[world.other_theme_id].items, both[world.other_theme_id].people) == (2, 4)


# --- adding -------------------------------------------------------------------------------


def test_only_this_areas_points_and_actions_can_be_added(app, world):
    with app.app_context():
        with pytest.raises(themes.EvidenceNotFound):
            _add(world, "event_item", world.far)
        with pytest.raises(themes.EvidenceNotFound):
            _add(world, "event_action", world.letters + world.action + 10_000)
        # A point is an item id, not an action id: the kinds do not mix.
        with pytest.raises(themes.EvidenceNotFound):
            _add(world, "event_action", world.far)
        first = _add(world, "event_item", world.private)
        again = _add(world, "event_item", world.private)
        assert first.created and not again.created
        assert again.evidence.id == first.evidence.id


def test_removing_a_point_from_a_theme_is_audited_with_what_it_pointed_at(app, world):
    from forum.audit.models import AuditEvent

    with app.app_context():
        added = _add(world, "event_item", world.letters)
        theme = db.session.get(Theme, world.theme_id)
        themes.remove_evidence(
            theme, added.evidence, actor=db.session.get(User, world.organiser_id)
        )
        entry = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "theme.evidence_removed")
            .order_by(AuditEvent.id.desc())
        )
        assert entry.detail["event_item_id"] == world.letters
        assert _figures(world) == (0, 0, 0, 0)


# --- codes on points ---------------------------------------------------------------------


def test_points_carry_only_the_linked_surveys_codes(app, world):
    with app.app_context():
        far_code = db.session.scalar(select(Code.id).where(Code.area_id != world.area_id))
        assert far_code is None or far_code not in (world.waiting, world.calls)
        with pytest.raises(events.EventError) as refused:
            _tag(world, world.letters, world.waiting, 10_000_000)
        assert refused.value.field == "codes"
        # The unlinked event's points have no codes to choose from.
        with pytest.raises(events.EventError):
            _tag(world, world.private, world.waiting)
        assert _tag(world, world.letters, world.waiting, world.calls) is True
        assert _tag(world, world.letters, world.calls, world.waiting) is False  # no change
        item = db.session.get(NoteItem, world.letters)
        assert [c.name for c in item.codes] == ["Calls", "Waiting"]


def _codes_of(app, item_id) -> list[str]:
    with app.app_context():
        return [c.name for c in db.session.get(NoteItem, item_id).codes]


def test_the_codes_page_tags_a_point(app, world, client, auth):
    auth.login(THEME_EMAILS["organiser"])
    path = f"/areas/{world.area_slug}/events/{world.linked_id}/notes/items/{world.letters}/codes"
    page = client.get(path).get_data(as_text=True)
    assert "Therapy letters come too late" in page and "Waiting" in page
    response = client.post_form(path, {"codes": [str(world.waiting)]})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/notes#item-{world.letters}")
    assert _codes_of(app, world.letters) == ["Waiting"]
    notes = client.get(f"/areas/{world.area_slug}/events/{world.linked_id}/notes")
    assert "Change the codes" in notes.get_data(as_text=True)
    # A code of no list (a stale page, a script) is left out, not saved.
    client.post_form(path, {"codes": [str(world.calls), "99999999"]})
    assert _codes_of(app, world.letters) == ["Calls"]
    # The unlinked event's point: the page says why there is nothing to choose.
    other = client.get(
        f"/areas/{world.area_slug}/events/{world.unlinked_id}/notes/items/{world.private}/codes"
    ).get_data(as_text=True)
    assert "not linked to a consultation" in other


def test_only_the_areas_organisers_tag_points(app, world, client, auth):
    path = f"/areas/{world.area_slug}/events/{world.linked_id}/notes/items/{world.letters}/codes"
    assert client.get(path).status_code == 302  # to sign in
    for who in ("member", "responder", "other_organiser"):
        auth.login(THEME_EMAILS[who])
        assert client.get(path).status_code == 403, who
        assert client.post_form(path, {"codes": [str(world.waiting)]}).status_code == 403
        auth.logout()
    # Another event's point through this event's address: not found.
    auth.login(THEME_EMAILS["organiser"])
    wrong = f"/areas/{world.area_slug}/events/{world.linked_id}/notes/items/{world.private}/codes"
    assert client.get(wrong).status_code == 404
    assert _codes_of(app, world.letters) == []


# --- the picker ---------------------------------------------------------------------------


def _picker(world, client, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    path = f"/areas/{world.area_slug}/consultations/{world.slug}/themes/{world.theme_id}/evidence"
    return client.get(f"{path}?{query}").get_data(as_text=True)


def test_the_picker_lists_the_areas_points_and_actions(app, world, client, auth):
    auth.login(THEME_EMAILS["organiser"])
    page = _picker(world, client, show="event_items")
    assert "Therapy letters come too late" in page and PRIVATE_POINT in page
    assert "Far point" not in page
    assert "4 people" in page and "the forum&#39;s organisers only" in page
    linked = _picker(world, client, show="event_items", scope="consultation")
    assert "Therapy letters come too late" in linked and PRIVATE_POINT not in linked
    searched = _picker(world, client, show="event_items", q="quiet")
    assert "No quiet room" in searched and "Therapy letters" not in searched
    by_event = _picker(world, client, show="event_items", q="library")
    assert PRIVATE_POINT in by_event and "Therapy letters" not in by_event
    actions = _picker(world, client, show="event_actions")
    assert "Council to check how letters are sent" in actions
    assert "Therapy letters" not in actions
    nothing = _picker(world, client, show="event_items", q="zzz")
    assert "Nothing matches" in nothing


def test_adding_from_the_picker_shows_on_the_theme_page(app, world, client, auth):
    path = f"/areas/{world.area_slug}/consultations/{world.slug}/themes/{world.theme_id}"
    auth.login(THEME_EMAILS["organiser"])
    for kind, target in (("event_item", world.private), ("event_action", world.action)):
        response = client.post_form(path + "/evidence", {"kind": kind, "id": str(target)})
        assert response.status_code == 303
    fragment = client.post_form(
        path + "/evidence", {"kind": "event_item", "id": str(world.letters)}, htmx=True
    )
    assert "Added" in fragment.get_data(as_text=True)
    page = client.get(path).get_data(as_text=True)
    assert PRIVATE_POINT in page  # organisers read every note
    assert "Raised at an event" in page and "Action agreed at an event" in page
    auth.logout()
    # A partner's responder reads the public notes' words, not the organisers-only ones.
    auth.login(THEME_EMAILS["responder"])
    seen = client.get(path).get_data(as_text=True)
    assert "Therapy letters come too late" in seen
    assert PRIVATE_POINT not in seen
    assert "from notes only the forum’s organisers may read" in seen


# --- deleting what a theme stands on -------------------------------------------------------


def test_a_point_or_action_behind_a_theme_cannot_be_deleted(app, world):
    with app.app_context():
        organiser = db.session.get(User, world.organiser_id)
        added = _add(world, "event_item", world.letters)
        _add(world, "event_action", world.action)
        item = db.session.get(NoteItem, world.letters)
        with pytest.raises(events.EventError, match="evidence for a theme"):
            events.delete_item(item, actor=organiser)
        with pytest.raises(events.EventError, match="evidence for a theme"):
            events.delete_action(db.session.get(NoteAction, world.action), actor=organiser)
        themes.remove_evidence(
            db.session.get(Theme, world.theme_id), added.evidence, actor=organiser
        )
        events.delete_item(item, actor=organiser)
        db.session.flush()
        assert db.session.get(NoteItem, world.letters) is None


def test_the_delete_button_says_why_it_was_refused(app, world, client, auth):
    with app.app_context():
        _add(world, "event_item", world.room)
        db.session.commit()
    auth.login(THEME_EMAILS["organiser"])
    notes = f"/areas/{world.area_slug}/events/{world.linked_id}/notes"
    response = client.post_form(f"{notes}/items/{world.room}/delete")
    assert response.status_code == 303
    page = client.get(notes).get_data(as_text=True)
    assert "evidence for a theme, so it cannot be deleted" in page
    with app.app_context():
        assert db.session.get(NoteItem, world.room) is not None


# --- published -----------------------------------------------------------------------------


def test_published_themes_show_words_only_from_public_notes(app, world):
    with app.app_context():
        _add(world, "event_item", world.letters)
        _add(world, "event_item", world.private)
        _add(world, "event_action", world.action)
        heard = evidence.heard_at_events([world.theme_id])[world.theme_id]
        assert [(h.text, h.is_action) for h in heard] == [
            ("Therapy letters come too late", False),
            ("Council to check how letters are sent", True),
        ]
        assert heard[0].event_title == LINKED
        # Notes made members-only: counted still, shown no more.
        note = db.session.get(NoteItem, world.letters).note
        note.visibility = NoteVisibility.MEMBERS
        db.session.flush()
        assert evidence.heard_at_events([world.theme_id]) == {}
        assert _figures(world)[:2] == (3, 10)


def test_heard_at_events_is_one_statement_however_many(app, world):
    with app.app_context():
        organiser = db.session.get(User, world.organiser_id)
        linked = db.session.get(NoteItem, world.letters).note.event
        with recorded_statements(app) as few:
            evidence.heard_at_events([world.theme_id, world.other_theme_id])
            evidence.theme_figures([world.theme_id, world.other_theme_id])
        for n in range(12):
            item = events.add_item(linked, text=f"Point {n}", people=2, actor=organiser)
            _add(world, "event_item", item.id)
            _add(world, "event_item", item.id, theme_id=world.other_theme_id)
        with recorded_statements(app) as many:
            heard = evidence.heard_at_events([world.theme_id, world.other_theme_id])
            evidence.theme_figures([world.theme_id, world.other_theme_id])
        assert len(many) == len(few) == 2
        assert len(heard[world.theme_id]) == evidence.QUOTES


def test_the_picker_and_theme_page_send_as_many_statements_with_many_points(
    app, world, client, auth
):
    path = f"/areas/{world.area_slug}/consultations/{world.slug}/themes/{world.theme_id}"
    urls = [path, path + "/evidence?show=event_items", path + "/evidence?show=event_actions"]
    with app.app_context():
        _add(world, "event_item", world.letters)
        _add(world, "event_action", world.action)
        db.session.commit()
    auth.login(THEME_EMAILS["organiser"])
    small = [statements_for(app, client, url) for url in urls]
    with app.app_context():
        organiser = db.session.get(User, world.organiser_id)
        linked = db.session.get(NoteItem, world.letters).note.event
        for n in range(30):
            item = events.add_item(linked, text=f"Point {n}", people=1, actor=organiser)
            action = events.add_action(linked, what=f"Action {n}", actor=organiser)
            _add(world, "event_item", item.id)
            _add(world, "event_action", action.id)
        db.session.commit()
    for url, few in zip(urls, small, strict=True):
        assert_same_count(url, few, statements_for(app, client, url))


def test_the_evidence_kinds_read_plainly(app):
    assert EvidenceKind.EVENT_ITEM.label == "Raised at an event"
    assert EvidenceKind.EVENT_ACTION.label == "Action agreed at an event"
    assert Evidence.event_item_id.expression.foreign_keys


def test_a_visitor_reads_public_points_on_you_said_we_did(app, world, client):
    from tests.outcomes.worlds import publish_theme

    with app.app_context():
        _add(world, "event_item", world.letters)
        _add(world, "event_item", world.private)
        db.session.get(Consultation, world.consultation_id).responded_at = utcnow()
        db.session.commit()
        publish_theme(db.session.get(Theme, world.theme_id))
    page = client.get(f"/areas/{world.area_slug}/consultations/{world.slug}").get_data(as_text=True)
    assert "You said, we did" in page
    assert "At the forum’s events" in page
    assert "Therapy letters come too late" in page and LINKED in page
    assert PRIVATE_POINT not in page
    # Two points, ten people by the notes: under 5 vouched items, so not shown as a number.
    assert "2 comments" not in page


def test_the_codes_an_organiser_tagged_are_in_their_data_and_stay_without_their_name(app, world):
    from forum.events import data_rights
    from forum.events.models import NoteItemCode

    with app.app_context():
        organiser = db.session.get(User, world.organiser_id)
        _tag(world, world.letters, world.waiting)
        sections = {s.key: s for s in data_rights.personal_data(organiser)}
        tagged = [r for r in sections["event_notes"].records if r["kind"].startswith("Codes")]
        assert [r["text"] for r in tagged] == ["Waiting on “Therapy letters come too late”"]
        data_rights.erase(organiser)
        db.session.expire_all()
        row = db.session.scalar(select(NoteItemCode).where(NoteItemCode.item_id == world.letters))
        assert row.code_id == world.waiting and row.tagged_by_id is None
