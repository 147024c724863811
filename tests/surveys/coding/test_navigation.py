"""Coding beyond one question: "Previous question" and "Next question" (skipping questions
that cannot be coded), one response across every question (organisers only, never who sent
it, in anonymous surveys too), and answers counted by section, flat in statements."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.areas.models import Role
from forum.extensions import db
from forum.surveys.coding import queries as coding
from forum.surveys.coding import services as coding_services
from forum.surveys.models import Answer, Question, Response, Section, Survey
from tests.factories import (
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
)
from tests.support import assert_same_count, statements_for
from tests.surveys.worlds import make_northshire


def make_section(survey, title: str, position: int, number: str = "") -> Section:
    section = Section(
        survey_id=survey.id, area_id=survey.area_id, title=title, position=position, number=number
    )
    db.session.add(section)
    db.session.flush()
    return section


@pytest.fixture
def world(app):
    """A survey in two sections: "A Getting help" (a long text, a yes/no, a short text) and
    "B School" (a choice with "Other", a choice without, a long text). Two submitted
    responses, one coded, and a draft."""
    with app.app_context():
        area = make_northshire()
        make_person_in(area, Role.MEMBER, email="rita@example.org", name="Rita Respondent")
        consultation = make_consultation(area, state="closed", title="Green paper")
        survey = make_survey(consultation)
        help_ = make_section(survey, "Getting help", 1, number="A")
        school = make_section(survey, "School", 2, number="B")
        q = {
            "wait": make_question(survey, kind="long_text", prompt="How long did you wait?"),
            "happy": make_question(survey, kind="yes_no", prompt="Were you happy?"),
            "who": make_question(survey, kind="short_text", prompt="Who helped?"),
            "heard": make_question(
                survey, prompt="How did you hear?", options=("School", "Friend"), has_other=True
            ),
            "age": make_question(survey, prompt="Age group", options=("0-5", "6-11")),
            "more": make_question(survey, kind="long_text", prompt="Anything else?"),
        }
        for key, section in (("wait", help_), ("happy", help_), ("who", help_)) + (
            ("heard", school),
            ("age", school),
            ("more", school),
        ):
            db.session.get(Question, q[key].id).section_id = section.id
        db.session.flush()
        from forum.accounts.models import User

        rita = db.session.scalar(select(User).where(User.email == "rita@example.org"))
        first = make_response(
            survey,
            user=rita,
            status="submitted",
            answers={q["wait"]: "Two years", q["happy"]: "no", q["more"]: "Nothing"},
        )
        make_response(
            survey, status="submitted", answers={q["wait"]: "Six weeks", q["who"]: "A nurse"}
        )
        make_response(survey, status="draft", answers={q["wait"]: "Draft words"})
        org = db.session.scalar(select(User).where(User.email == "org@example.org"))
        answer = db.session.scalar(select(Answer).where(Answer.text == "Two years"))
        coding_services.tag_answer(survey, answer, "Waiting", actor=org)
        db.session.commit()
        ids = {key: question.id for key, question in q.items()}
        return {"consultation": consultation, "survey": survey, "q": ids, "first": first.reference}


def base(world) -> str:
    return f"/areas/northshire/consultations/{world['consultation'].slug}/survey/coding"


def test_previous_and_next_skip_questions_that_cannot_be_coded(app, client, auth, world):
    q = world["q"]
    with app.app_context():
        survey = db.session.get(Survey, world["survey"].id)
        order = []
        current = db.session.get(Question, q["wait"])
        while current is not None:
            order.append(current.id)
            around = coding.neighbours(survey, current)
            current = around.next
    assert order == [q["wait"], q["who"], q["heard"], q["more"]]
    auth.login("org@example.org")
    first = client.get(f"{base(world)}/{q['wait']}").get_data(as_text=True)
    assert "Previous question" not in first and "Next question" in first
    assert f"{base(world)}/{q['who']}" in first
    middle = client.get(f"{base(world)}/{q['heard']}").get_data(as_text=True)
    assert f'href="{base(world)}/{q["who"]}"' in middle
    assert f'href="{base(world)}/{q["more"]}"' in middle
    last = client.get(f"{base(world)}/{q['more']}").get_data(as_text=True)
    assert "Previous question" in last and "Next question" not in last
    # htmx "Show more answers" gets only the list: no navigation in the fragment
    fragment = client.htmx_get(f"{base(world)}/{q['wait']}?after=999999").get_data(as_text=True)
    assert "Next question" not in fragment


def test_the_index_counts_answers_and_coded_answers_by_section(app, client, auth, world):
    auth.login("org@example.org")
    page = client.get(base(world)).get_data(as_text=True)
    table = page[page.index('id="sections-heading"') :]
    cells = re.findall(r"<t[hd][^>]*>\s*([^<]*?)\s*</t[hd]>", table)
    # section, questions with written answers, answers, coded, not coded yet
    assert cells[5:10] == ["A Getting help", "2", "3", "1", "2"]
    assert cells[10:15] == ["B School", "2", "1", "0", "1"]
    assert cells[15:20] == ["Total", "4", "4", "1", "3"]


def test_one_response_across_every_question(app, client, auth, world):
    auth.login("org@example.org")
    url = f"{base(world)}/responses/{world['first']}"
    page = client.get(url).get_data(as_text=True)
    assert f"Response {world['first']}" in page
    for words in ("Two years", "No", "Nothing", "How did you hear?", "Not answered", "Waiting"):
        assert words in page, words
    assert "A Getting help" in page and "B School" in page
    assert "Rita" not in page, "never who sent it"
    assert "Six weeks" not in page, "another response's answer"
    # every answer row on a coding page links to its whole response
    coding_page = client.get(f"{base(world)}/{world['q']['wait']}").get_data(as_text=True)
    assert f'href="{url}"' in coding_page


def test_the_response_page_in_an_anonymous_survey_names_nobody(app, client, auth, world):
    with app.app_context():
        survey = db.session.get(Survey, world["survey"].id)
        survey.is_anonymous = True
        db.session.commit()
    auth.login("org@example.org")
    page = client.get(f"{base(world)}/responses/{world['first']}").get_data(as_text=True)
    assert "Two years" in page and "Rita" not in page and "rita@" not in page


def test_drafts_other_surveys_and_odd_references_are_not_found(app, client, auth, world):
    with app.app_context():
        draft = db.session.scalar(select(Response.reference).where(Response.status == "draft"))
        area = db.session.get(Survey, world["survey"].id).consultation.area
        other = make_survey(make_consultation(area, state="closed"))
        prompt = make_question(other, kind="short_text", prompt="Elsewhere")
        theirs = make_response(other, status="submitted", answers={prompt: "Elsewhere words"})
        db.session.commit()
        theirs_ref = theirs.reference
    auth.login("org@example.org")
    for reference in (draft, theirs_ref, "nope", "<script>", "A" * 40):
        assert client.get(f"{base(world)}/responses/{reference}").status_code == 404, reference


PEOPLE = {
    "member": "member@example.org",
    "responder": "responder@example.org",
    "organiser": "org@example.org",
    "admin": "admin@example.org",
}


@pytest.mark.parametrize("who", sorted(PEOPLE) + ["visitor"])
def test_only_organisers_and_admins_read_a_whole_response(app, client, auth, world, who):
    if who != "visitor":
        auth.login(PEOPLE[who])
    response = client.get(f"{base(world)}/responses/{world['first']}")
    if who == "visitor":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if who in ("organiser", "admin") else 403)


def test_index_and_response_pages_send_as_many_statements_for_more_data(app, client, auth, world):
    auth.login("org@example.org")
    urls = [base(world), f"{base(world)}/responses/{world['first']}"]
    small = {url: statements_for(app, client, url) for url in urls}
    with app.app_context():
        from forum.accounts.models import User

        survey = db.session.get(Survey, world["survey"].id)
        org = db.session.scalar(select(User).where(User.email == "org@example.org"))
        extra = make_section(survey, "C More", 3)
        questions = {key: db.session.get(Question, qid) for key, qid in world["q"].items()}
        for n in range(4):
            added = make_question(survey, kind="long_text", prompt=f"Extra {n}")
            db.session.get(Question, added.id).section_id = extra.id
        db.session.flush()
        for n in range(30):
            make_response(
                survey, status="submitted", answers={questions["wait"]: f"Waited {n} weeks"}
            )
        for answer in db.session.scalars(select(Answer).where(Answer.text.like("Waited%"))):
            coding_services.tag_answer(survey, answer, f"Code {answer.id % 7}", actor=org)
        first = db.session.scalar(select(Response).where(Response.reference == world["first"]))
        for added in db.session.scalars(select(Question).where(Question.prompt.like("Extra%"))):
            db.session.add(Answer(response_id=first.id, question_id=added.id, value="x", text="x"))
        db.session.commit()
    for url in urls:
        assert_same_count(url, small[url], statements_for(app, client, url))
