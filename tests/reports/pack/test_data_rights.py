"""The organiser who made a share is a person: their "Your data" lists the shares they made
or revoked, and deleting their account keeps the shares (the forum's record, still working
until they expire or are revoked) without their name."""

from __future__ import annotations

from forum.extensions import db
from forum.reports.pack import data_rights
from forum.reports.pack.models import PackShare
from tests.factories import PASSWORD
from tests.reports.pack.worlds import BASE, user


def test_an_organiser_sees_the_shares_they_made(app, world):
    with app.app_context():
        [section] = data_rights.personal_data(user("org@example.org"))
        assert [r["for"] for r in section.records] == [
            "the council’s SEND lead, Northshire County Council"
        ]
        assert section.records[0]["what"] == "Made"
        assert data_rights.personal_data(user("member@example.org"))[0].records == []


def test_deleting_the_account_keeps_the_share_without_the_name(app, client, auth, world):
    auth.login("org@example.org")
    page = client.get("/account/your-data").get_data(as_text=True)
    assert "Inspection evidence packs you shared" in page and "the council’s SEND lead" in page
    client.post_form(f"{BASE}/shares/{world.share_id}/revoke")
    response = client.post_form("/account/delete", {"password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    with app.app_context():
        share = db.session.get(PackShare, world.share_id)
        assert share.created_by_id is None and share.revoked_by_id is None
        assert share.revoked_at is not None
    auth.login("admin@example.org")
    page = client.get(f"{BASE}/shares/{world.share_id}")
    assert page.status_code == 200 and "Revoked" in page.get_data(as_text=True)
