"""Contact details typed in with a paper or phone response: the form's rules (an address in
the right format and the box ticked, or neither; never in anonymous surveys), the unsubscribe
page's bad tokens, and the retention purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.areas.models import Role
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.answering.contacts import CONTACT_KEPT, make_token, purge_contacts
from forum.surveys.models import Response, ResponseContact, Survey
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
)


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="north")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        consultation = make_consultation(area, state="open", title="Transport")
        survey = make_survey(consultation)
        words = make_question(survey, kind="long_text", prompt="What would help?")
        return {
            "url": f"/areas/north/consultations/{consultation.slug}/survey/responses/new",
            "words": words.id,
            "survey": survey.id,
            "consultation": consultation.id,
        }


def send(client, world, **contact):
    data = {"channel": "phone", f"q{world['words']}": "Buses are late", **contact}
    return client.post_form(world["url"], data)


def contacts() -> int:
    return db.session.scalar(select(func.count()).select_from(ResponseContact))


@pytest.mark.parametrize(
    "contact, field, message",
    [
        (
            {"contact_email": "not an address", "contact_agreed": "yes"},
            "contact_email",
            "correct format",
        ),
        ({"contact_email": "a@example.org"}, "contact_agreed", "Tick the box"),
        ({"contact_agreed": "yes"}, "contact_email", "Enter their email address"),
        (
            {"contact_email": "x" * 250 + "@example.org", "contact_agreed": "yes"},
            "contact_email",
            "254",
        ),
        (
            {"contact_email": '<script>alert("x")</script>@x.org', "contact_agreed": "yes"},
            "contact_email",
            "correct format",
        ),
        (
            {"contact_email": "a@exa\u202emple.org\u200b", "contact_agreed": "yes"},
            "contact_email",
            "correct format",
        ),
    ],
)
def test_bad_contact_details_are_explained_and_nothing_is_saved(
    app, client, auth, world, contact, field, message
):
    auth.login("org@example.org")
    sent = send(client, world, **contact)
    assert sent.status_code == 422
    text = sent.get_data(as_text=True)
    assert "There is a problem" in text and message in text
    assert f'href="#{field}"' in text
    assert '<script>alert("x")</script>' not in text
    assert "Buses are late" in text, "what was typed is kept"
    with app.app_context():
        assert contacts() == 0
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_good_address_is_kept_lower_cased(app, client, auth, world):
    auth.login("org@example.org")
    assert (
        send(client, world, contact_email="Ann@Example.ORG", contact_agreed="yes").status_code
        == 303
    )
    with app.app_context():
        assert db.session.scalar(select(ResponseContact.email)) == "ann@example.org"


def test_anonymous_surveys_take_no_contact_details(app, client, auth, world):
    with app.app_context():
        db.session.get(Survey, world["survey"]).is_anonymous = True
        db.session.commit()
    auth.login("org@example.org")
    assert "Their email address" not in client.get(world["url"]).get_data(as_text=True)
    sent = send(client, world, contact_email="ann@example.org", contact_agreed="yes")
    assert sent.status_code == 422 and "anonymous" in sent.get_data(as_text=True)
    with app.app_context():
        assert contacts() == 0


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "WzEsIDJd.forged"])
def test_a_link_that_is_not_ours_changes_nothing(app, client, auth, world, token):
    auth.login("org@example.org")
    send(client, world, contact_email="ann@example.org", contact_agreed="yes")
    auth.logout()
    assert client.get(f"/contact/unsubscribe/{token}").status_code == 404
    assert client.post(f"/contact/unsubscribe/{token}").status_code == 404
    assert (
        client.post(
            f"/contact/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 404
    )
    with app.app_context():
        assert contacts() == 1


def test_a_link_for_a_deleted_contact_does_not_open_a_later_one(app, client, auth, world):
    auth.login("org@example.org")
    send(client, world, contact_email="ann@example.org", contact_agreed="yes")
    with app.app_context(), app.test_request_context():
        contact = db.session.scalar(select(ResponseContact))
        token = make_token(contact)
        contact.agreed_at = contact.agreed_at - timedelta(seconds=5)  # as if a new row
        db.session.commit()
    assert client.get(f"/contact/unsubscribe/{token}").status_code == 404


def test_contact_details_go_two_years_after_the_consultation_closed(app, client, auth, world):
    from forum.consultations.models import Consultation

    auth.login("org@example.org")
    send(client, world, contact_email="ann@example.org", contact_agreed="yes")
    with app.app_context():
        now = utcnow()
        consultation = db.session.get(Consultation, world["consultation"])
        consultation.opens_at = now - CONTACT_KEPT - timedelta(days=60)
        consultation.closes_at = now - CONTACT_KEPT + timedelta(days=1)
        db.session.commit()
        assert purge_contacts(now) == 0, "not yet"
        consultation.closes_at = now - CONTACT_KEPT - timedelta(days=1)
        db.session.commit()
        assert purge_contacts(now) == 1
        db.session.commit()
        assert contacts() == 0
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        assert purge_contacts(now) == 0, "runs any number of times"
