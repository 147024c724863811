"""A consultation's page keeps the parts made from its date changes and its documents (issue 18,
`consultations.views.dates_and_formats`): made once for a standing until the area's data
changes, so a change shows on the next look; the organisers' audit history is read every time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.documents.models import Document, DocumentFormat
from forum.extensions import db
from forum.web.time import LONDON
from tests.conftest import base_config
from tests.factories import make_area, make_consultation, make_person_in
from tests.support import recorded_statements


@pytest.fixture
def app_config(database_url):
    return base_config(database_url, FRAGMENT_CACHE_SECONDS=600)


@pytest.fixture
def north(app):
    with app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        consultation = make_consultation(area, state="open", title="The open one")
        return {"area_id": area.id, "id": consultation.id, "slug": consultation.slug}


def _url(north, action=""):
    base = f"/areas/northshire/consultations/{north['slug']}"
    return f"{base}/{action}" if action else base


def _look(app, client, url) -> tuple[str, int]:
    with recorded_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


def _extend(app, client, north, reason: str) -> None:
    with app.app_context():
        closes = db.session.get(Consultation, north["id"]).closes_at + timedelta(days=14)
    local = closes.astimezone(LONDON)
    sent = {
        "closes_at-day": str(local.day),
        "closes_at-month": str(local.month),
        "closes_at-year": str(local.year),
        "closes_at-time": local.strftime("%H:%M"),
        "reason": reason,
    }
    assert client.post_form(_url(north, "extend"), sent).status_code == 303


def test_a_date_change_shows_at_once_to_organisers_and_visitors(app, client, auth, north):
    auth.login("org@example.org")
    first, made = _look(app, client, _url(north))
    assert "The dates have not changed since it was written." in first
    again, read = _look(app, client, _url(north))
    assert read < made, "the dates and formats were kept"
    assert again.count("Changes of dates") == first.count("Changes of dates") == 1

    _extend(app, client, north, "the easy read version came late")
    page, _ = _look(app, client, _url(north))
    assert "Closing date: extended" in page
    assert "because the easy read version came late." in page
    # the audit history is read every time: the extension is in it at once, with who did it
    history = page.split('<h3 class="govuk-heading-m">History</h3>', 1)[1]
    assert "extended by" in history

    auth.logout()
    public, _ = _look(app, client, _url(north))
    assert "because the easy read version came late." in public
    # the organisers' part is never shown to a visitor, though it was kept for organisers
    assert "Changes of dates" not in public
    assert "Add or change the other formats" not in public
    assert "Organiser actions" not in public


def test_a_document_added_and_a_name_changed_show_at_once(app, client, auth, north):
    auth.login("org@example.org")
    _extend(app, client, north, "parents asked for more time")
    page, _ = _look(app, client, _url(north))
    assert "Add or change the other formats" in page
    assert "Easy read version: The easy read version" not in page
    with app.app_context():
        organiser = db.session.scalar(select(User).where(User.email == "org@example.org"))
        old_name = organiser.display_name
        assert old_name in page
        db.session.add(
            Document(
                area_id=north["area_id"],
                owner_kind="consultation",
                owner_id=north["id"],
                format=DocumentFormat.EASY_READ,
                title="The easy read version",
                link_url="https://example.org/easy-read",
            )
        )
        organiser.display_name = "Renamed Organiser"
        db.session.commit()
    after, _ = _look(app, client, _url(north))
    assert "Easy read version: The easy read version" in after
    assert "Renamed Organiser" in after
    assert old_name not in after


def test_statements_do_not_grow_with_date_changes_and_history(app, client, auth, north):
    auth.login("org@example.org")
    _look(app, client, _url(north))
    _, before = _look(app, client, _url(north))
    for n in range(3):
        _extend(app, client, north, f"reason number {n}")
    _look(app, client, _url(north))
    _, after = _look(app, client, _url(north))
    assert after == before
