"""Representatives are people: their "Your data" lists the meetings they went to, and deleting
their account leaves the meeting with "a former member" in their place."""

from __future__ import annotations

from forum.extensions import db
from forum.representation import data_rights
from forum.representation.models import Meeting, Representative
from tests.representation.worlds import user


def test_a_representative_sees_the_meetings_they_went_to(app, world):
    with app.app_context():
        sections = {s.key: s for s in data_rights.personal_data(user("member@example.org"))}
        went = sections["representation_meetings"].records
        assert [r["meeting"] for r in went] == ["SEND Partnership Board"]
        assert went[0]["organisation"] == "Northshire County Council"
        assert sections["representation_work"].records == []
        wrote = data_rights.personal_data(user("org@example.org"))[1].records
        assert {r["meeting"] for r in wrote} >= {"SEND Partnership Board", "Autism pathway group"}


def test_erasing_keeps_the_meeting_with_a_former_member(app, world):
    with app.app_context():
        member, organiser = user("member@example.org"), user("org@example.org")
        data_rights.erase(member)
        data_rights.erase(organiser)
        db.session.expire_all()
        meeting = db.session.get(Meeting, world.board)
        names = [p.shown_name for p in meeting.representatives]
        assert names == ["A former member", "Sam Carer"]
        assert meeting.created_by_id is None and meeting.updated_by_id is None
        assert not db.session.query(Representative).filter_by(user_id=member.id).count()


def test_deleting_the_account_through_the_page(app, client, auth, world):
    from tests.factories import PASSWORD

    auth.login("member@example.org")
    page = client.get("/account/your-data").get_data(as_text=True)
    assert "Meetings you went to for the forum" in page and "SEND Partnership Board" in page
    response = client.post_form("/account/delete", {"password": PASSWORD})
    assert response.status_code == 303
    auth.login("org@example.org")
    page = client.get(f"/areas/northshire/representation/meetings/{world.board}").get_data(
        as_text=True
    )
    assert "A former member" in page
