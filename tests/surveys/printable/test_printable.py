"""See all the questions, and the paper version with where to send it."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.extensions import db
from forum.surveys.models import Numbering, Section
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
)
from tests.support import assert_same_count, statements_for


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context(), world_app.test_request_context():
        area = make_area(slug="northshire", name="Northshire")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        make_person_in(area, Role.MEMBER, email="member@example.org")
        consultation = make_consultation(area, state="open", title="Green paper")
        survey = make_survey(consultation, numbering=Numbering.OWN)
        section = Section(
            survey_id=survey.id,
            area_id=area.id,
            position=1,
            number="A",
            title="Getting help early",
            intro="About support before a plan.",
        )
        db.session.add(section)
        db.session.flush()
        long = make_question(survey, kind="long_text", prompt="What helped most?")
        choice = make_question(survey, prompt="Which school?", options=("Primary", "Secondary"))
        for question, number, words in ((long, "1a", 250), (choice, "1b", None)):
            question = db.session.get(type(question), question.id)
            question.section_id, question.number, question.max_words = section.id, number, words
        long = db.session.get(type(long), long.id)
        long.hint = "Think about the last year."
        draft = make_consultation(area, state="draft", title="Secret")
        make_question(make_survey(draft), kind="short_text", prompt="Hidden?")
        db.session.commit()
        from forum.consultations.models import Consultation

        return {
            name: db.session.get(Consultation, made.id).url
            for name, made in (("open", consultation), ("draft", draft))
        }


def test_everyone_sees_all_the_questions_with_sections_numbers_hints_and_limits(client, world):
    page = client.get(f"{world['open']}/survey/questions").get_data(as_text=True)
    assert "A Getting help early" in page and "About support before a plan." in page
    assert "1a</span> What helped most?" in page and "Think about the last year." in page
    assert "Up to 250 words." in page
    assert "1b</span> Which school?" in page and "Secondary" in page
    assert "Print the questions" in page


def test_the_paper_version_has_space_to_write_and_where_to_send_it(client, auth, world):
    paper = client.get(f"{world['open']}/survey/questions/print").get_data(as_text=True)
    assert "app-paper__lines" in paper and "app-paper__box" in paper
    assert "Give or send it to Northshire" in paper
    auth.login("org@example.org")
    response = client.post_form(
        f"{world['open']}/survey/paper-responses",
        {"paper_responses_to": "Northshire PCF\n1 High Street\nNorthtown NT1 1AA"},
    )
    assert response.status_code == 303
    paper = client.get(f"{world['open']}/survey/questions/print").get_data(as_text=True)
    assert "1 High Street" in paper and "Give or send it" not in paper


def test_the_consultation_page_and_the_start_page_link_to_it(client, world):
    assert "/survey/questions" in client.get(world["open"]).get_data(as_text=True)
    start = client.get(f"{world['open']}/survey/start").get_data(as_text=True)
    assert "See all the questions" in start


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("member@example.org", 403), ("org@example.org", 200)]
)
def test_a_draft_s_questions_are_for_organisers(client, auth, world, who, status):
    if who:
        auth.login(who)
    assert client.get(f"{world['draft']}/survey/questions").status_code == status
    assert client.get(f"{world['draft']}/survey/questions/print").status_code == status


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("member@example.org", 403)])
def test_only_organisers_say_where_paper_goes(client, auth, world, who, status):
    if who:
        auth.login(who)
    assert client.get(f"{world['open']}/survey/paper-responses").status_code == status


def test_too_long_an_address_is_refused_beside_the_field(client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(
        f"{world['open']}/survey/paper-responses", {"paper_responses_to": "x" * 1001}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'href="#paper_responses_to"' in page


def test_a_hostile_address_is_shown_as_text(client, auth, world):
    auth.login("org@example.org")
    client.post_form(
        f"{world['open']}/survey/paper-responses",
        {"paper_responses_to": "<script>alert(1)</script>"},
    )
    paper = client.get(f"{world['open']}/survey/questions/print").get_data(as_text=True)
    assert "<script>alert(1)" not in paper


def test_the_questions_page_sends_as_many_statements_with_more_questions(app, client, world):
    from sqlalchemy import select

    from forum.consultations.models import Consultation
    from forum.surveys.models import Survey

    url = f"{world['open']}/survey/questions"
    small = statements_for(app, client, url)
    with app.app_context():
        survey = db.session.scalar(
            select(Survey).join(Consultation).where(Consultation.title == "Green paper")
        )
        for n in range(10):
            make_question(survey, kind="short_text", prompt=f"Extra {n}?")
        db.session.commit()
    large = statements_for(app, client, url)
    assert_same_count(url, small, large)
