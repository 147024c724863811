"""'You have answers saved but not sent': on the consultation page and the account page, for
named and anonymous surveys, found the way the answering pages find a person's draft."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.areas.models import Membership, Role
from forum.extensions import db
from forum.surveys.models import Survey
from tests.factories import (
    make_area,
    make_consultation,
    make_membership,
    make_question,
    make_survey,
    make_user,
)
from tests.support import statements_for

BANNER = "You have answers saved but not sent"


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="north")
        member = make_user(email="member@example.org", name="Mina Member")
        make_membership(member, area, Role.MEMBER)
        make_membership(make_user(email="other@example.org"), area, Role.MEMBER)
        consultation = make_consultation(area, audience="members", title="Transport")
        survey = make_survey(consultation)
        colour = make_question(survey, prompt="Colour?", options=("Red", "Blue"))
        return {
            "page": f"/areas/north/consultations/{consultation.slug}",
            "base": f"/areas/north/consultations/{consultation.slug}/survey",
            "survey_id": survey.id,
            "colour": colour.id,
            "area_id": area.id,
        }


def _save(client, world):
    sent = {"action": "save", f"q{world['colour']}": "red"}
    assert client.post_form(world["base"] + "/answer", sent).status_code == 303


def test_a_saved_draft_shows_on_the_consultation_page_until_it_is_sent(client, auth, world):
    auth.login("member@example.org")
    assert BANNER not in client.get(world["page"]).get_data(as_text=True)
    _save(client, world)
    response = client.get(world["page"])
    page = response.get_data(as_text=True)
    assert BANNER in page and f'href="{world["base"]}/answer"' in page
    assert response.headers["Cache-Control"] == "no-store"
    sent = {"action": "submit", f"q{world['colour']}": "red"}
    assert client.post_form(world["base"] + "/answer", sent).status_code == 303
    assert BANNER not in client.get(world["page"]).get_data(as_text=True)


def test_nobody_else_sees_the_banner(client, auth, world):
    auth.login("member@example.org")
    _save(client, world)
    auth.logout()
    assert BANNER not in client.get(world["page"]).get_data(as_text=True)
    auth.login("other@example.org")
    assert BANNER not in client.get(world["page"]).get_data(as_text=True)
    assert BANNER not in client.get("/account").get_data(as_text=True)


def test_the_account_page_lists_unsent_answers(client, auth, world):
    auth.login("member@example.org")
    assert BANNER not in client.get("/account").get_data(as_text=True)
    _save(client, world)
    page = client.get("/account").get_data(as_text=True)
    assert BANNER in page and "Carry on with “Transport”" in page
    assert f'href="{world["base"]}/answer"' in page


def test_an_anonymous_surveys_draft_is_found_without_storing_the_account(app, client, auth, world):
    with app.app_context():
        db.session.get(Survey, world["survey_id"]).is_anonymous = True
        db.session.commit()
    auth.login("member@example.org")
    _save(client, world)
    with app.app_context():
        from forum.surveys.models import Response

        rows = db.session.execute(select(Response.user_id, Response.status)).all()
        assert [(user_id, status.value) for user_id, status in rows] == [(None, "draft")]
    assert BANNER in client.get(world["page"]).get_data(as_text=True)
    assert "Carry on with “Transport”" in client.get("/account").get_data(as_text=True)


def test_someone_who_left_the_forum_is_not_sent_to_a_page_they_cannot_use(app, client, auth, world):
    auth.login("member@example.org")
    _save(client, world)
    with app.app_context():
        for membership in db.session.scalars(select(Membership)):
            if membership.user.email == "member@example.org":
                db.session.delete(membership)
        db.session.commit()
    assert BANNER not in client.get(world["page"]).get_data(as_text=True)


def test_the_account_page_sends_the_same_statements_however_many_drafts(app, client, auth, world):
    auth.login("member@example.org")
    _save(client, world)
    few = statements_for(app, client, "/account")
    with app.app_context():
        area_id = world["area_id"]
        from forum.accounts.models import User
        from forum.areas.models import Area
        from tests.factories import make_response

        area = db.session.get(Area, area_id)
        member = db.session.scalar(select(User).where(User.email == "member@example.org"))
        for n in range(4):
            other = make_consultation(area, title=f"More {n}")
            survey = make_survey(other, is_anonymous=n % 2 == 0)
            question = make_question(survey, prompt="Colour?", options=("Red", "Blue"))
            make_response(survey, user=member, answers={question: "red"})
        db.session.commit()
    many = statements_for(app, client, "/account")
    assert client.get("/account").get_data(as_text=True).count("Carry on with") == 5
    assert len(many) == len(few)
