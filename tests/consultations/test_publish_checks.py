"""Check and publish: errors block publishing with a link to fix each, warnings do not, and
higher areas add rows through `hooks.publish_checks`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum import hooks
from forum.areas.models import Role
from forum.consultations.checks import Check, Level, publish_checks
from forum.consultations.models import Audience, Consultation
from forum.extensions import db
from forum.mailings.announcements.checks import announcement_check
from forum.models import utcnow
from forum.surveys.builder.checks import survey_check
from forum.surveys.models import Section
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
)


@pytest.fixture
def north(app):
    with app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        make_person_in(area, Role.MEMBER, email="member@example.org")
        bare = make_consultation(area, state="draft", title="Bare")
        ready = make_consultation(area, state="draft", title="Ready")
        row = db.session.get(Consultation, ready.id)
        row.easy_read_summary = "We want to know about buses."
        survey = make_survey(ready)
        make_question(survey, prompt="Before any chapter?")
        for position, title in enumerate(("Travel", "School"), start=1):
            section = Section(
                survey_id=survey.id, area_id=area.id, position=position, title=title, number=""
            )
            db.session.add(section)
            db.session.flush()
            for n in range(position + 1):
                make_question(survey, prompt=f"{title} {n}?", section_id=section.id)
        make_question(survey, prompt="Hidden", is_hidden=True)
        db.session.commit()
        return {"bare": bare.slug, "ready": ready.slug, "ready_id": ready.id, "bare_id": bare.id}


def _url(slug, action=""):
    return f"/areas/northshire/consultations/{slug}" + (f"/{action}" if action else "")


def _published(app, consultation_id) -> bool:
    with app.app_context():
        return db.session.get(Consultation, consultation_id).published_at is not None


def test_the_consultation_page_leads_to_the_check_not_straight_to_publishing(client, auth, north):
    auth.login("org@example.org")
    page = client.get(_url(north["bare"])).get_data(as_text=True)
    assert f'href="{_url(north["bare"], "publish")}"' in page and "Check and publish" in page


def test_errors_are_listed_with_links_to_fix_them_and_block_publishing(app, client, auth, north):
    auth.login("org@example.org")
    page = client.get(_url(north["bare"], "publish")).get_data(as_text=True)
    assert "Fix this before you publish" in page
    assert "There is no survey yet, so there is nothing to answer." in page
    assert f'href="{_url(north["bare"], "survey")}"' in page
    assert 'href="#check-survey-questions"' in page
    assert "There is no easy read summary" in page  # a warning, listed too
    assert ">Publish<" not in page
    response = client.post_form(_url(north["bare"], "publish"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(_url(north["bare"], "publish"))
    assert not _published(app, north["bare_id"])
    again = client.get(_url(north["bare"], "publish")).get_data(as_text=True)
    assert "There is no survey yet" in again


def test_a_ready_consultation_shows_its_questions_by_section_and_publishes(
    app, client, auth, north
):
    auth.login("org@example.org")
    page = client.get(_url(north["ready"], "publish")).get_data(as_text=True)
    assert "govuk-error-summary" not in page
    assert "The survey asks 6 questions." in page
    assert "Before the first section: 1 question" in page
    assert "Travel: 2 questions" in page and "School: 3 questions" in page
    assert "An announcement is emailed when it opens to 2 people" in page
    assert "A reminder goes 3 days before it closes." in page
    assert "Partners’ response is due" in page and "12 weeks after it closes" in page
    response = client.post_form(_url(north["ready"], "publish"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(_url(north["ready"]))
    assert _published(app, north["ready_id"])


def test_warnings_do_not_block(app, client, auth, north):
    with app.app_context():
        row = db.session.get(Consultation, north["ready_id"])
        row.easy_read_summary = ""
        row.opens_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    auth.login("org@example.org")
    page = client.get(_url(north["ready"], "publish")).get_data(as_text=True)
    assert "There is no easy read summary" in page
    assert "it opens as soon as you publish it" in page
    assert client.post_form(_url(north["ready"], "publish")).status_code == 303
    assert _published(app, north["ready_id"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closes_at": -1}, "has passed"),
        ({"response_due_at": -2}, "The response due date is before it closes."),
    ],
)
def test_date_errors_block(app, client, auth, north, change, message):
    with app.app_context():
        row = db.session.get(Consultation, north["ready_id"])
        for name, days in change.items():
            if name == "closes_at":
                row.opens_at = utcnow() - timedelta(days=10)
            setattr(
                row,
                name,
                (row.closes_at if name != "closes_at" else utcnow()) + timedelta(days=days),
            )
        db.session.commit()
    auth.login("org@example.org")
    page = client.get(_url(north["ready"], "publish")).get_data(as_text=True)
    assert message in page and "govuk-error-summary" in page
    client.post_form(_url(north["ready"], "publish"))
    assert not _published(app, north["ready_id"])


def test_a_members_only_consultation_says_how_many_members(app, north):
    with app.test_request_context():
        row = db.session.get(Consultation, north["ready_id"])
        row.audience = Audience.MEMBERS
        rows = {r.topic: r for r in publish_checks(row)}
        assert rows["Who can take part"].text.startswith("Members of the forum only: 2 members")
        assert rows["Who can take part"].level is Level.READY


def test_other_areas_add_rows_through_the_hook(app, north):
    def documents(consultation):
        return [Check("Accessible versions", Level.WARNING, "No easy read PDF attached.")]

    with (
        app.test_request_context(),
        hooks.publish_checks.replaced(survey_check, announcement_check, documents),
    ):
        row = db.session.get(Consultation, north["ready_id"])
        topics = [r.topic for r in publish_checks(row)]
        assert "Accessible versions" in topics and "Survey questions" in topics


@pytest.mark.parametrize("who", ["member@example.org", None])
def test_only_organisers_may_check_and_publish(app, client, auth, north, who):
    if who:
        auth.login(who)
    page = client.get(_url(north["ready"], "publish"))
    assert page.status_code in (302, 403, 404)
    client.post_form(_url(north["ready"], "publish"))
    assert not _published(app, north["ready_id"])


def test_an_already_published_consultation_says_so(app, client, auth, north):
    with app.app_context():
        db.session.get(Consultation, north["ready_id"]).published_at = utcnow()
        db.session.commit()
    auth.login("org@example.org")
    page = client.get(_url(north["ready"], "publish")).get_data(as_text=True)
    assert "already published" in page and ">Publish<" not in page


def test_other_formats_are_checked_before_publishing(app, client, auth, north):
    from forum.accounts.models import User
    from forum.documents import services as documents
    from forum.documents.models import DocumentFormat
    from forum.documents.owners import find_owner

    auth.login("org@example.org")
    page = client.get(_url(north["ready"], "publish")).get_data(as_text=True)
    assert "No other formats are attached" in page and "Add other formats" in page
    with app.test_request_context():
        organiser = db.session.scalar(db.select(User).where(User.email == "org@example.org"))
        owner = find_owner("consultation", north["ready_id"])
        documents.add_link(
            owner,
            url="https://video.example.org/bsl",
            format_=DocumentFormat.BSL,
            title="BSL video",
            actor=organiser,
        )
        db.session.commit()
        row = {r.topic: r for r in publish_checks(db.session.get(Consultation, north["ready_id"]))}
    check = row["Other formats"]
    assert check.level is Level.READY
    assert check.text.startswith("1 attached: British Sign Language (BSL) version.")
    assert "Not attached: easy read version, large print version." in check.text
