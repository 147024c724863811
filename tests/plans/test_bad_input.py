"""Bad input on every plan form: empty, far too long, HTML and script, right-to-left text and
emoji, impossible dates and numbers. Each gets a clear message by the field (and in the error
summary) or is stored safely as text — never a 500, and nothing already saved is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.plans.models import Commitment, LocalPlan, Priority, ProgressUpdate
from tests.plans.worlds import PLAN
from tests.support import HUGE, RTL_EMOJI, SCRIPT

PLAN_DATA = {"title": "A plan", "kind": "inclusion_plan", "summary": ""}
PRIORITY_DATA = {"code": "P9", "title": "A priority", "description": "", "parent_id": ""}
COMMITMENT_DATA = {
    "title": "A promise",
    "description": "",
    "status": "not_started",
    "progress": "0",
    "weight": "1",
    "dropped_reason": "",
}
UPDATE_DATA = {"text": "Done some.", "evidence_url": "", "status": "on_track", "progress": "40"}

FORMS = {
    "plan": ("/areas/northshire/plans/new", PLAN_DATA, "org@example.org"),
    "edit plan": (f"{PLAN}/edit", PLAN_DATA, "org@example.org"),
    "priority": (f"{PLAN}/priorities/new", PRIORITY_DATA, "org@example.org"),
    "commitment": (
        "{PLAN}/priorities/{p2}/commitments/new",
        COMMITMENT_DATA,
        "council@example.org",
    ),
    "edit commitment": ("{PLAN}/commitments/{c1}/edit", COMMITMENT_DATA, "council@example.org"),
    "update": ("{PLAN}/commitments/{c1}/updates", UPDATE_DATA, "council@example.org"),
}

#: (form, field, value, message shown)
CASES = [
    ("plan", "title", "", "Enter a title"),
    ("plan", "title", HUGE, "200 characters or fewer"),
    ("plan", "summary", HUGE, "5,000 characters or fewer"),
    ("plan", "kind", "galaxy", "Not a valid choice"),
    ("plan", "starts_on-day", "31", "must include a month and a year"),
    ("edit plan", "title", "   ", "Enter a title"),
    ("priority", "code", "", "Enter a reference"),
    ("priority", "code", "P1", "already used in this plan"),
    ("priority", "code", "P 9!", "letters, numbers"),
    ("priority", "code", HUGE, "12 characters or fewer"),
    ("priority", "title", HUGE, "200 characters or fewer"),
    ("priority", "parent_id", "999999", "Choose a priority from the list"),
    ("commitment", "title", "", "Enter what will be done"),
    ("commitment", "title", HUGE, "200 characters or fewer"),
    ("commitment", "progress", "lots", "whole number from 0 to 100"),
    ("commitment", "progress", "150", "whole number from 0 to 100"),
    ("commitment", "weight", "0", "whole number from 1 to 100"),
    ("commitment", "status", "finished", "Choose a status from the list"),
    ("update", "status", "finished", "Choose a status from the list"),
    ("commitment", "status", "dropped", "Say why it was dropped"),
    ("edit commitment", "description", HUGE, "5,000 characters or fewer"),
    ("update", "text", "", "Say what has happened"),
    ("update", "text", HUGE, "5,000 characters or fewer"),
    ("update", "evidence_url", "javascript:alert(1)", "starting with https://"),
    ("update", "evidence_url", "www.example.org", "starting with https://"),
    ("update", "progress", "-1", "whole number from 0 to 100"),
    ("update", "status", "dropped", "Say why it was dropped"),
]


def snapshot(app):
    with app.app_context():
        return (
            [(p.title, p.published_at) for p in db.session.scalars(select(LocalPlan))],
            [(p.code, p.title) for p in db.session.scalars(select(Priority))],
            [(c.title, c.status, c.progress) for c in db.session.scalars(select(Commitment))],
            db.session.scalars(select(ProgressUpdate.id)).all(),
        )


@pytest.mark.parametrize(
    "form,field,value,message", CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)]
)
@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_bad_value_gets_a_clear_message(
    app, client, auth, world, form, field, value, message, htmx
):
    url, data, who = FORMS[form]
    auth.login(who)
    before = snapshot(app)
    response = client.post_form(
        url.format(PLAN=PLAN, **vars(world)), {**data, field: value}, htmx=htmx
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:500]
    assert "There is a problem" in page
    assert message in page
    assert snapshot(app) == before


def test_dates_in_the_wrong_order(client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(
        "/areas/northshire/plans/new",
        {
            **PLAN_DATA,
            "starts_on-day": "1",
            "starts_on-month": "4",
            "starts_on-year": "2027",
            "ends_on-day": "1",
            "ends_on-month": "4",
            "ends_on-year": "2026",
        },
    )
    assert response.status_code == 422
    assert "after its start" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "parts",
    [
        ("30", "2", "2027"),
        ("1", "13", "2027"),
        ("1", "1", "27"),
        ("a", "b", "c"),
        ("1", "1", "1999"),
    ],
)
def test_impossible_due_dates(client, auth, world, parts):
    auth.login("org@example.org")
    day, month, year = parts
    response = client.post_form(
        f"{PLAN}/commitments/{world.c1}/edit",
        {
            **COMMITMENT_DATA,
            "partner_id": str(world.council_id),
            "due_on-day": day,
            "due_on-month": month,
            "due_on-year": year,
        },
    )
    assert response.status_code == 422
    assert "The due date must be" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", [SCRIPT, RTL_EMOJI])
def test_hostile_and_unusual_text_is_stored_as_text(app, client, auth, world, value):
    auth.login("council@example.org")
    response = client.post_form(
        f"{PLAN}/commitments/{world.c1}/updates", {**UPDATE_DATA, "text": value}
    )
    assert response.status_code == 303
    response = client.post_form(
        f"{PLAN}/priorities/{world.p2}/commitments/new", {**COMMITMENT_DATA, "title": value}
    )
    assert response.status_code == 303
    page = client.get(f"{PLAN}/commitments/{world.c1}").get_data(as_text=True)
    plan_page = client.get(PLAN).get_data(as_text=True)
    for html in (page, plan_page):
        assert "<script>alert" not in html and "<img src=x" not in html
    if value == RTL_EMOJI:
        assert RTL_EMOJI in page and RTL_EMOJI in plan_page
    else:
        assert "&lt;script&gt;" in page and "&lt;script&gt;" in plan_page


def test_refused_delete_explains_and_keeps_everything(app, client, auth, world):
    auth.login("org@example.org")
    before = snapshot(app)
    response = client.post_form(f"{PLAN}/priorities/{world.p1}/delete", {})
    assert response.status_code == 422
    assert "Delete or move them before deleting the priority" in response.get_data(as_text=True)
    response = client.post_form(f"{PLAN}/delete", {})
    assert response.status_code == 422
    assert "Unpublish the plan before deleting it" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_stale_submission_is_not_done_twice(app, client, auth, world):
    auth.login("council@example.org")
    data = {**UPDATE_DATA, "submission_key": "stale-key-1"}
    first = client.post_form(f"{PLAN}/commitments/{world.c1}/updates", data)
    second = client.post_form(f"{PLAN}/commitments/{world.c1}/updates", data)
    assert first.status_code == second.status_code == 303
    with app.app_context():
        assert len(db.session.scalars(select(ProgressUpdate.id)).all()) == 1
