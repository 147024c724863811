"""Bad input on every form of the representation log: empty, far too long, wrong type, HTML
and script, right-to-left text and emoji, dates far away, stale and repeated submissions.
Each gets a clear message by the field and in the error summary, or is stored as text; never
a 500, and nothing already saved changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.representation.models import Action, Meeting
from tests.representation.worlds import BASE, MEETINGS
from tests.support import HUGE, RTL_EMOJI, SCRIPT

NEXT_YEAR_AND_MORE = date.today() + timedelta(days=400)

MEETING = {
    "name": "Local offer group",
    "partner_id": "",
    "partner_name": "A charity",
    "held_on-day": "3",
    "held_on-month": "11",
    "held_on-year": "2026",
}
ACTION = {"text": "Write to schools", "owner": "Council"}

FORMS = {
    "meeting": (lambda w: f"{MEETINGS}/new", MEETING),
    "edit meeting": (lambda w: f"{MEETINGS}/{w.board}/edit", MEETING),
    "action": (lambda w: f"{MEETINGS}/{w.board}/actions/new", ACTION),
    "edit action": (lambda w: f"{MEETINGS}/{w.board}/actions/{w.open_action}/edit", ACTION),
    "commitment": (
        lambda w: f"{MEETINGS}/{w.board}/actions/{w.open_action}/commitment",
        {"priority_id": "", "partner_id": ""},
    ),
}

#: (form, changed fields, message shown)
CASES = [
    ("meeting", {"name": ""}, "Enter the name of the meeting"),
    ("meeting", {"name": "   "}, "Enter the name of the meeting"),
    ("meeting", {"name": HUGE}, "200 characters or fewer"),
    ("meeting", {"partner_name": ""}, "type its name if it is not on the list"),
    ("meeting", {"partner_name": HUGE}, "160 characters or fewer"),
    ("meeting", {"partner_id": "99999"}, "Choose an organisation from the list"),
    ("meeting", {"partner_id": "council"}, "Choose an organisation from the list"),
    ("meeting", {"held_on-day": "", "held_on-month": "", "held_on-year": ""}, "Enter the date"),
    ("meeting", {"held_on-day": "31", "held_on-month": "2"}, "must be a real date"),
    ("meeting", {"held_on-year": "26"}, "must be a real date"),
    ("meeting", {"held_on-day": "x"}, "must be a real date"),
    ("meeting", {"held_on-year": "1999"}, "between the years 2000 and 2100"),
    ("meeting", {"held_on-year": "2005"}, "within the last 10 years"),
    (
        "meeting",
        {
            "held_on-day": str(NEXT_YEAR_AND_MORE.day),
            "held_on-month": str(NEXT_YEAR_AND_MORE.month),
            "held_on-year": str(NEXT_YEAR_AND_MORE.year),
        },
        "within the next year",
    ),
    ("meeting", {"summary": HUGE}, "10,000 characters or fewer"),
    ("meeting", {"other_people": "x" * 121}, "Each name must be 120 characters or fewer"),
    ("meeting", {"other_people": "\n".join(f"P{i}" for i in range(31))}, "at most 30 names"),
    ("edit meeting", {"name": HUGE}, "200 characters or fewer"),
    ("action", {"text": ""}, "Enter what was agreed"),
    ("action", {"text": "x" * 501}, "500 characters or fewer"),
    ("action", {"owner": HUGE}, "160 characters or fewer"),
    (
        "action",
        {"due_on-day": "1", "due_on-month": "1", "due_on-year": "2026"},
        "on or after the date of the meeting",
    ),
    ("action", {"due_on-day": "1", "due_on-month": "1", "due_on-year": "2099"}, "within 10 years"),
    (
        "action",
        {"due_on-day": "1", "due_on-month": "13", "due_on-year": "2027"},
        "must be a real date",
    ),
    ("edit action", {"text": "   "}, "Enter what was agreed"),
    ("commitment", {}, "Choose the priority the commitment is under"),
    ("commitment", {"priority_id": "abc", "partner_id": "1"}, "Choose a priority from the list"),
    ("commitment", {"priority_id": "999999"}, "Choose a priority from the list"),
]


def snapshot(app):
    with app.app_context():
        return (
            [
                (m.name, m.partner_name, m.held_on, m.summary, m.is_public, m.version)
                for m in db.session.scalars(select(Meeting).order_by(Meeting.id))
            ],
            [
                (a.text, a.owner, a.due_on, a.is_done, a.commitment_id)
                for a in db.session.scalars(select(Action).order_by(Action.id))
            ],
        )


@pytest.mark.parametrize(
    "form,changes,message", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_bad_value_gets_a_clear_message(app, client, auth, world, form, changes, message, htmx):
    url, data = FORMS[form]
    auth.login("org@example.org")
    before = snapshot(app)
    response = client.post_form(url(world), {**data, **changes}, htmx=htmx)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:500]
    assert "There is a problem" in page
    assert message in page
    assert snapshot(app) == before


def test_unknown_people_themes_and_priorities_are_left_out(app, client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(
        f"{MEETINGS}/new",
        {
            **MEETING,
            "members": ["abc", "999999", str(world.member_id)],
            "themes": ["x", "999999"],
            "priorities": ["-1"],
        },
    )
    assert response.status_code == 303
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.name == "Local offer group"))
        assert [p.user_id for p in meeting.representatives] == [world.member_id]
        assert meeting.themes == [] and meeting.priorities == []


@pytest.mark.parametrize("value", [SCRIPT, RTL_EMOJI])
def test_hostile_and_unusual_text_is_stored_as_text(app, client, auth, world, value):
    auth.login("org@example.org")
    response = client.post_form(
        f"{MEETINGS}/new",
        {
            **MEETING,
            "name": value,
            "partner_name": value,
            "other_people": value,
            "summary": value,
            "public": ["meeting", "raised", "agreed"],
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    meeting_url = response.headers["Location"]
    response = client.post_form(f"{meeting_url}/actions/new", {"text": value, "owner": value})
    assert response.status_code == 303
    pages = [
        client.get(meeting_url).get_data(as_text=True),
        client.get(f"{BASE}?month=2026-11").get_data(as_text=True),
        client.get(f"{MEETINGS}?month=2026-11").get_data(as_text=True),
    ]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        if value == RTL_EMOJI:
            assert RTL_EMOJI in html


def test_a_stale_edit_shows_their_version_and_saves_nothing(app, client, auth, world):
    auth.login("org@example.org")
    url = f"{MEETINGS}/{world.board}/edit"
    with app.app_context():
        version = db.session.get(Meeting, world.board).version
    first = client.post_form(url, {**MEETING, "name": "First", "row_version": str(version)})
    assert first.status_code == 303
    before = snapshot(app)
    second = client.post_form(url, {**MEETING, "name": "Second", "row_version": str(version)})
    page = second.get_data(as_text=True)
    assert second.status_code == 422
    assert "Someone else changed this meeting" in page and "Their version" in page
    assert snapshot(app) == before


def test_a_stale_action_edit_is_caught(app, client, auth, world):
    auth.login("org@example.org")
    url = f"{MEETINGS}/{world.board}/actions/{world.open_action}/edit"
    response = client.post_form(url, {**ACTION, "row_version": "0"})
    assert response.status_code == 422
    assert "Someone else changed this action" in response.get_data(as_text=True)
    response = client.post_form(url, {**ACTION, "row_version": "not a number"})
    assert response.status_code == 422


def test_a_repeated_action_is_added_once(app, client, auth, world):
    auth.login("org@example.org")
    data = {**ACTION, "submission_key": "repeat-key-789"}
    url = f"{MEETINGS}/{world.board}/actions/new"
    assert client.post_form(url, data).status_code == 303
    assert client.post_form(url, data).status_code == 303
    with app.app_context():
        assert (
            len(db.session.scalars(select(Action).where(Action.text == ACTION["text"])).all()) == 1
        )


def test_ids_out_of_range_are_not_found(client, auth, world):
    auth.login("org@example.org")
    assert client.get(f"{MEETINGS}/99999999999").status_code == 404
    assert client.get(f"{MEETINGS}/{world.board}/actions/99999/edit").status_code == 404
    assert (
        client.get(f"{MEETINGS}/{world.hidden}/actions/{world.open_action}/edit").status_code == 404
    )
