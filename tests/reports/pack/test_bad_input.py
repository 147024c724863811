"""Bad input on the pack's forms: windows in the future, reversed, 20 years long, impossible
or empty; share names empty, far too long, hostile or unusual; expiry in the past or too far
ahead. Each gets a clear message beside its field and nothing is saved; hostile text is stored
as text and shown escaped; never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.reports.pack.models import PackShare
from tests.reports.pack.worlds import BASE, today, window, window_args
from tests.support import HUGE, RTL_EMOJI, SCRIPT


def _boxes(name: str, day) -> dict:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _window(**changes) -> dict:
    return {**window_args(window().start, window().end), **changes}


#: (changed fields, message shown) for the window, on the preview and the share form alike
WINDOWS = [
    (_boxes("start", today() + timedelta(days=3)), "must start today or earlier"),
    (
        {
            **_boxes("start", today() - timedelta(days=3)),
            **_boxes("end", today() - timedelta(days=30)),
        },
        "must end on or after the day it starts",
    ),
    (
        {**_boxes("start", today().replace(year=today().year - 20)), **_boxes("end", today())},
        "can be up to 5 years long",
    ),
    ({"start-day": "31", "start-month": "2"}, "must be a real date"),
    ({"end-month": "13"}, "must be a real date"),
    ({"start-year": "25"}, "must be a real date"),
    ({"start-day": "x"}, "must be a real date"),
    ({"start-year": "1999"}, "between the years 2000 and 2100"),
    ({"start-day": "", "start-month": "", "start-year": ""}, "Enter the date the period starts"),
    ({"end-day": "", "end-month": "", "end-year": ""}, "Enter the date the period ends"),
    ({"start-day": "1", "start-month": "", "start-year": ""}, "must include a month and a year"),
]


@pytest.mark.parametrize("changes,message", WINDOWS)
def test_a_bad_window_is_refused_beside_its_field_on_the_preview(
    client, auth, world, changes, message
):
    auth.login("org@example.org")
    response = client.get(f"{BASE}/preview", query_string=_window(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:300]
    assert "There is a problem" in page and message in page
    assert "govuk-error-message" in page


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PackShare))


SHARE = {"partner_name": "Lead inspector", "organisation": "Ofsted and CQC"}

#: (changed fields, message shown) on the share form
SHARES = [
    *WINDOWS,
    ({"partner_name": ""}, "Enter who the link is for"),
    ({"partner_name": "   "}, "Enter who the link is for"),
    ({"partner_name": HUGE}, "Who it is for must be 120 characters or fewer"),
    ({"organisation": ""}, "Enter their organisation"),
    ({"organisation": "x" * 161}, "The organisation must be 160 characters or fewer"),
    (_boxes("expires_on", today() - timedelta(days=1)), "must be today or later"),
    (_boxes("expires_on", today() + timedelta(days=200)), "can work for up to 6 months"),
    (
        {"expires_on-day": "30", "expires_on-month": "2", "expires_on-year": "2027"},
        "must be a real date",
    ),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("changes,message", SHARES)
def test_a_bad_share_is_refused_beside_its_field(app, client, auth, world, changes, message, htmx):
    auth.login("org@example.org")
    before = _count(app)
    response = client.post_form(f"{BASE}/shares/new", {**SHARE, **_window(**changes)}, htmx=htmx)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:300]
    assert "There is a problem" in page and message in page
    assert _count(app) == before


@pytest.mark.parametrize("value", [SCRIPT, RTL_EMOJI])
def test_hostile_and_unusual_names_are_stored_as_text(app, client, auth, world, value):
    auth.login("org@example.org")
    response = client.post_form(
        f"{BASE}/shares/new", {"partner_name": value, "organisation": value, **_window()}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    share_page = response.headers["Location"]
    first = client.get(share_page).get_data(as_text=True)
    link = first.split('id="pack-link" type="text" value="')[1].split('"')[0]
    pages = [first, client.get(BASE).get_data(as_text=True)]
    auth.logout()
    shared = client.get(link)
    assert shared.status_code == 200
    pages.append(shared.get_data(as_text=True))
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        if value == RTL_EMOJI:
            assert RTL_EMOJI in html


def test_odd_share_ids_and_tokens_are_not_found(client, auth, world):
    auth.login("org@example.org")
    for bad in ("0", "99999999", "99999999999999999999", "-1", "abc"):
        assert client.get(f"{BASE}/shares/{bad}").status_code == 404
    auth.logout()
    for bad in ("%00", "..%2F..", "a" * 2000, "💥"):
        assert client.get(f"/pack/{bad}").status_code == 404
