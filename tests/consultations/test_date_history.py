"""Extending with a reason, the history of date changes, and the extend form's bad input."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.areas.models import Role
from forum.consultations.models import Consultation, DateChange, because
from forum.extensions import db
from forum.models import utcnow
from forum.web.time import LONDON
from tests.factories import make_area, make_consultation, make_person_in
from tests.support import HUGE, RTL_EMOJI, SCRIPT


@pytest.fixture
def north(app):
    with app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        make_person_in(area, Role.MEMBER, email="member@example.org")
        made = {
            state: make_consultation(area, state=state, title=f"The {state} one")
            for state in ("scheduled", "open", "closed")
        }
    return {"area": area, **made}


def date_fields(name, when):
    local = when.astimezone(LONDON)
    return {
        f"{name}-day": str(local.day),
        f"{name}-month": str(local.month),
        f"{name}-year": str(local.year),
        f"{name}-time": local.strftime("%H:%M"),
    }


def _url(north, state, action=""):
    base = f"/areas/northshire/consultations/{north[state].slug}"
    return f"{base}/{action}" if action else base


def _changes(app, consultation_id):
    with app.app_context():
        return [
            (c.field.value, c.kind.value, c.reason)
            for c in db.session.scalars(
                select(DateChange)
                .where(DateChange.consultation_id == consultation_id)
                .order_by(DateChange.id)
            )
        ]


def test_because_reads_as_the_end_of_a_sentence():
    assert because("the easy read version came late") == "the easy read version came late."
    assert because("Because parents asked!") == "parents asked!"
    assert because("because") == "because."


def test_extending_with_a_reason_is_shown_publicly_and_kept_in_the_history(
    app, client, auth, north
):
    auth.login("org@example.org")
    with app.app_context():
        old = db.session.get(Consultation, north["open"].id).closes_at
    later = old + timedelta(days=14)
    sent = {**date_fields("closes_at", later), "reason": "the easy read version came late"}
    response = client.post_form(_url(north, "open", "extend"), sent)
    assert response.status_code == 303
    assert _changes(app, north["open"].id) == [
        ("closes_at", "extended", "the easy read version came late"),
        ("response_due_at", "followed", ""),
    ]
    was = old.astimezone(LONDON).strftime("%-d %B %Y")
    now = later.astimezone(LONDON).strftime("%-d %B %Y")
    text = f"Extended from {was} to {now} because the easy read version came late."
    auth.logout()
    public = client.get(_url(north, "open")).get_data(as_text=True)
    assert text in public
    assert "Changes of dates" not in public
    auth.login("org@example.org")
    page = client.get(_url(north, "open")).get_data(as_text=True)
    assert "Changes of dates" in page and "Closing date: extended" in page
    assert "Response due: response due date moved with the closing date" in page


def test_closing_early_is_folded_into_the_history(app, client, auth, north):
    auth.login("org@example.org")
    sent = {"reason": "The council withdrew the plan"}
    assert client.post_form(_url(north, "open", "close"), sent).status_code == 303
    assert _changes(app, north["open"].id)[0] == (
        "closes_at",
        "closed_early",
        "The council withdrew the plan",
    )
    auth.logout()
    page = client.get(_url(north, "open")).get_data(as_text=True)
    assert "Closed early on " in page and ": The council withdrew the plan" in page
    assert page.count("The council withdrew the plan") == 1


def test_opening_early_and_reopening_are_recorded(app, client, auth, north):
    auth.login("org@example.org")
    assert client.post_form(_url(north, "scheduled", "open-now")).status_code == 303
    assert _changes(app, north["scheduled"].id) == [("opens_at", "opened_early", "")]
    assert "Opened early on " in client.get(_url(north, "scheduled")).get_data(as_text=True)
    sent = {**date_fields("closes_at", utcnow() + timedelta(days=9)), "reason": "late papers"}
    assert client.post_form(_url(north, "closed", "extend"), sent).status_code == 303
    kinds = [kind for _, kind, _ in _changes(app, north["closed"].id)]
    assert kinds[0] == "reopened"
    assert "Reopened on " in client.get(_url(north, "closed")).get_data(as_text=True)


def test_editing_dates_before_opening_is_recorded_and_the_due_date_follows(
    app, client, auth, north
):
    auth.login("org@example.org")
    url = _url(north, "scheduled", "edit")
    with app.app_context():
        c = db.session.get(Consultation, north["scheduled"].id)
        fields = {
            "title": c.title,
            "summary": c.summary or "s",
            "audience": c.audience.value,
            "kind": c.kind.value,
            "row_version": str(c.version),
            **date_fields("opens_at", c.opens_at),
            **date_fields("closes_at", c.closes_at + timedelta(days=7)),
            "response_due_at-time": "17:00",
        }
        new_close = c.closes_at.replace(second=0, microsecond=0) + timedelta(days=7)
    assert client.post_form(url, fields).status_code == 303
    with app.app_context():
        c = db.session.get(Consultation, north["scheduled"].id)
        assert not c.response_due_is_custom
        assert c.response_due_at == c.closes_at + timedelta(weeks=12)
        assert c.closes_at == new_close
    changes = {(f, k) for f, k, _ in _changes(app, north["scheduled"].id)}
    assert {("closes_at", "edited"), ("response_due_at", "followed")} <= changes


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Say why you are giving more time"),
        ("   ", "Say why you are giving more time"),
        ("x" * 501, "The reason must be 500 characters or fewer"),
        (HUGE, "The reason must be 500 characters or fewer"),
    ],
)
def test_extend_refuses_a_missing_or_long_reason(app, client, auth, north, reason, message):
    auth.login("org@example.org")
    sent = {**date_fields("closes_at", utcnow() + timedelta(days=60)), "reason": reason}
    response = client.post_form(_url(north, "open", "extend"), sent)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "govuk-error-summary" in html and message in html
    assert _changes(app, north["open"].id) == []


def test_extend_refuses_a_date_in_the_past_and_keeps_the_reason(app, client, auth, north):
    auth.login("org@example.org")
    sent = {**date_fields("closes_at", utcnow() - timedelta(days=3)), "reason": "late papers"}
    response = client.post_form(_url(north, "open", "extend"), sent)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The new closing date must be later than the current one" in html
    assert "late papers" in html
    assert _changes(app, north["open"].id) == []


def test_a_hostile_reason_is_shown_as_text(app, client, auth, north):
    auth.login("org@example.org")
    reason = f"{SCRIPT} {RTL_EMOJI}"
    sent = {**date_fields("closes_at", utcnow() + timedelta(days=60)), "reason": reason}
    assert client.post_form(_url(north, "open", "extend"), sent).status_code == 303
    page = client.get(_url(north, "open")).get_data(as_text=True)
    assert "<script>alert" not in page and "onerror=alert(1)>" not in page
    assert RTL_EMOJI in page


def test_a_stale_extend_page_is_refused_and_nothing_changes(app, client, auth, north):
    auth.login("org@example.org")
    with app.app_context():
        version = db.session.get(Consultation, north["open"].id).version
    first = {
        **date_fields("closes_at", utcnow() + timedelta(days=60)),
        "reason": "first",
        "row_version": str(version),
    }
    assert client.post_form(_url(north, "open", "extend"), first).status_code == 303
    second = {**first, "reason": "second", "row_version": str(version)}
    second.update(date_fields("closes_at", utcnow() + timedelta(days=90)))
    response = client.post_form(_url(north, "open", "extend"), second)
    assert response.status_code == 422
    assert [r for f, _, r in _changes(app, north["open"].id) if f == "closes_at"] == ["first"]


def test_only_organisers_see_the_extend_form(client, auth, north):
    auth.login("member@example.org")
    assert client.get(_url(north, "open", "extend")).status_code == 403


def _year_input(page: str) -> str:
    """The whole <input> tag of the response due date's year."""
    return re.search(r'<input[^>]*name="response_due_at-year"[^>]*>', page).group(0)


def test_the_edit_page_leaves_a_default_due_date_blank_and_shows_a_chosen_one(
    app, client, auth, north
):
    auth.login("org@example.org")
    url = _url(north, "scheduled", "edit")
    assert 'value=""' in _year_input(client.get(url).get_data(as_text=True))
    with app.app_context():
        c = db.session.get(Consultation, north["scheduled"].id)
        c.response_due_is_custom = True
        year = str(c.response_due_at.astimezone(LONDON).year)
        db.session.commit()
    assert f'value="{year}"' in _year_input(client.get(url).get_data(as_text=True))
