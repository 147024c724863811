"""The organisers' "Emails about this consultation" page: who may use it, what it says, and the
reminder form's answers to every kind of input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.mailings.announcements.models import ReminderSettings
from forum.mailings.announcements.permissions import can_manage_announcements
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_response,
    make_survey,
    make_user,
)

URL = "/areas/north/consultations/{slug}/emails"


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="north")
        other = make_area(slug="south")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        make_person_in(area, Role.MEMBER, email="member@example.org")
        make_person_in(area, Role.RESPONDER, email="responder@example.org")
        make_person_in(other, Role.ORGANISER, email="elsewhere@example.org")
        make_user(email="admin@example.org", is_admin=True)
        consultation = make_consultation(area, state="open", title="Short breaks")
        make_survey(consultation)
        return {"slug": consultation.slug, "id": consultation.id}


def url(world) -> str:
    return URL.format(slug=world["slug"])


@pytest.mark.parametrize(
    "who, status",
    [
        ("org@example.org", 200),
        ("admin@example.org", 200),
        ("member@example.org", 403),
        ("responder@example.org", 403),
        ("elsewhere@example.org", 403),
        (None, 302),
    ],
)
def test_who_may_open_the_page(client, auth, world, who, status):
    if who:
        auth.login(who)
    response = client.get(url(world))
    assert response.status_code == status
    if who is None:
        assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    "who, status",
    [
        ("member@example.org", 403),
        ("responder@example.org", 403),
        ("elsewhere@example.org", 403),
    ],
)
def test_who_may_not_save(app, client, auth, world, who, status):
    auth.login(who)
    response = client.post_form(url(world), {"reminder": "off", "days_before": "3"})
    assert response.status_code == status
    with app.app_context():
        assert db.session.get(ReminderSettings, world["id"]) is None


def test_permission_function_matrix(app, world):
    from flask_login import AnonymousUserMixin

    from forum.accounts.models import User
    from forum.areas.models import Area

    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == "north"))

        def person(email):
            return db.session.scalar(select(User).where(User.email == email))

        assert can_manage_announcements(person("org@example.org"), area)
        assert can_manage_announcements(person("admin@example.org"), area)
        assert not can_manage_announcements(person("member@example.org"), area)
        assert not can_manage_announcements(person("responder@example.org"), area)
        assert not can_manage_announcements(person("elsewhere@example.org"), area)
        assert not can_manage_announcements(AnonymousUserMixin(), area)


def test_the_page_explains_and_saves(app, client, auth, world):
    auth.login("org@example.org")
    page = client.get(url(world)).get_data(as_text=True)
    assert "Emails about this consultation" in page
    assert "only to people who have not sent their answers" in page
    assert "Nothing yet." in page
    response = client.post_form(url(world), {"reminder": "on", "days_before": "5"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/consultations/{world['slug']}")
    with app.app_context():
        settings = db.session.get(ReminderSettings, world["id"])
        assert (settings.is_on, settings.days_before) == (True, 5)
    page = client.get(url(world)).get_data(as_text=True)
    assert "With the saved settings, it goes on" in page
    response = client.post_form(url(world), {"reminder": "off", "days_before": ""})
    assert response.status_code == 303
    with app.app_context():
        settings = db.session.get(ReminderSettings, world["id"])
        assert (settings.is_on, settings.days_before) == (False, 5)


def test_the_consultation_page_links_to_it_for_organisers_only(client, auth, world):
    consultation_page = f"/areas/north/consultations/{world['slug']}"
    assert url(world) not in client.get(consultation_page).get_data(as_text=True)
    auth.login("member@example.org")
    assert url(world) not in client.get(consultation_page).get_data(as_text=True)
    auth.logout()
    auth.login("org@example.org")
    assert url(world) in client.get(consultation_page).get_data(as_text=True)


def test_an_anonymous_survey_offers_everyone_or_nobody_and_says_why(app, client, auth, world):
    with app.app_context():
        from forum.surveys.models import Survey

        survey = db.session.scalar(select(Survey).where(Survey.consultation_id == world["id"]))
        survey.is_anonymous = True
        db.session.commit()
        make_response(survey, status="submitted")
    auth.login("org@example.org")
    page = client.get(url(world)).get_data(as_text=True)
    assert "The survey is anonymous, so we do not keep who has answered" in page
    assert "Send the reminder to everyone, including people who have already answered" in page
    assert "people who have not answered yet" not in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"days_before": "3"}, "Choose whether to send a reminder"),
        ({"reminder": "maybe", "days_before": "3"}, "Not a valid choice"),
        ({"reminder": "on", "days_before": ""}, "Enter how many days before it closes"),
        ({"reminder": "on", "days_before": "0"}, "whole number from 1 to 14"),
        ({"reminder": "on", "days_before": "15"}, "whole number from 1 to 14"),
        ({"reminder": "on", "days_before": "three"}, "whole number from 1 to 14"),
        ({"reminder": "on", "days_before": "2.5"}, "whole number from 1 to 14"),
        ({"reminder": "on", "days_before": "-3"}, "whole number from 1 to 14"),
        ({"reminder": "on", "days_before": "\uff13"}, "whole number from 1 to 14"),
        ({"reminder": "on", "days_before": "\u00b2"}, "whole number from 1 to 14"),
        ({"reminder": "on", "days_before": "<script>alert(1)</script>"}, "whole number"),
        ({"reminder": "on", "days_before": "9" * 5000}, "whole number from 1 to 14"),
        ({"reminder": "on\u202e", "days_before": "3"}, "Not a valid choice"),
    ],
)
def test_mistakes_come_back_beside_their_field(app, client, auth, world, data, message):
    auth.login("org@example.org")
    response = client.post_form(url(world), data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and message in page
    assert "<script>alert" not in page
    with app.app_context():
        assert db.session.get(ReminderSettings, world["id"]) is None


def test_a_stale_form_is_caught_not_lost(app, client, auth, world):
    auth.login("org@example.org")
    first = client.post_form(url(world), {"reminder": "on", "days_before": "4", "row_version": "0"})
    assert first.status_code == 303
    second = client.post_form(
        url(world), {"reminder": "off", "days_before": "2", "row_version": "0"}
    )
    assert second.status_code == 422
    assert "Someone else changed the reminder settings" in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ReminderSettings, world["id"]).days_before == 4


def test_a_double_submit_saves_once(app, client, auth, world):
    auth.login("org@example.org")
    data = {"reminder": "on", "days_before": "6", "submission_key": "same-key-twice"}
    assert client.post_form(url(world), data).status_code == 303
    assert client.post_form(url(world), {**data, "days_before": "9"}).status_code == 303
    with app.app_context():
        assert db.session.get(ReminderSettings, world["id"]).days_before == 6
        from forum.audit.models import AuditEvent

        changes = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "consultation.reminder_changed")
        ).all()
        assert len(changes) == 1


def test_a_draft_consultation_can_have_its_reminder_chosen(app, client, auth, world):
    with app.app_context():
        row = db.session.get(Consultation, world["id"])
        row.published_at = None
        row.opens_at = row.opens_at + timedelta(days=30)
        row.closes_at = row.closes_at + timedelta(days=30)
        db.session.commit()
    auth.login("org@example.org")
    assert client.get(url(world)).status_code == 200


def test_the_page_sends_as_many_statements_however_much_was_sent(app, client, auth, world):
    from forum.mailings.announcements.models import Announcement
    from tests.support import assert_same_count, statements_for

    auth.login("org@example.org")
    with app.app_context():
        db.session.add(Announcement(consultation_id=world["id"], occasion="opened", recipients=3))
        db.session.commit()
    small = statements_for(app, client, url(world))
    with app.app_context():
        for n in range(6):
            db.session.add(
                Announcement(consultation_id=world["id"], occasion=f"extended:{n}", recipients=n)
            )
        db.session.commit()
    large = statements_for(app, client, url(world))
    assert_same_count(url(world), small, large)
    assert client.get(url(world)).get_data(as_text=True).count("More time to have your say") == 6
