"""National outcomes on themes: only the area's organisers record, change and remove them;
bad input is said beside its field; a stale save is caught; and a recorded one shows in the
published "you said, we did", the parent's "What happened to my feedback" page and the open
data, labelled national."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.national_outcomes import services
from forum.outcomes.national_outcomes.models import NationalOutcome
from forum.outcomes.themes.models import Evidence, EvidenceKind
from forum.surveys.models import Answer, Survey
from forum.surveys.queries import questions_of
from tests.factories import make_response
from tests.outcomes.forum_response.worlds import (
    EMAILS,
    build_response_world,
    consultation,
    theme,
    user,
)
from tests.support import HUGE, RTL_EMOJI, SCRIPT

GOOD = {
    "body_name": "Department for Education",
    "decision": "The improvement plan adds a national standard for waiting times.",
    "decided_on-day": "3",
    "decided_on-month": "3",
    "decided_on-year": "2026",
    "link": "https://www.gov.uk/improvement-plan",
}


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        return build_response_world(answers=1)


def url(world, action="") -> str:
    return f"{world.page}/themes/{world.theme_id}/national-outcome{action}"


def recorded(app, world, **fields):
    with app.app_context():
        values = {
            "body_name": "Department for Education",
            "decision": "A national standard for waiting times.",
            "decided_on": date(2026, 3, 3),
            "link": "https://www.gov.uk/improvement-plan",
            **fields,
        }
        services.save_national_outcome(theme(world), **values, actor=user("organiser"))
        db.session.commit()


def outcome(world) -> NationalOutcome | None:
    return db.session.scalar(
        select(NationalOutcome).where(NationalOutcome.theme_id == world.theme_id)
    )


def published(app, world):
    """Publish the theme and move the consultation to "responded"."""
    with app.app_context():
        row = theme(world)
        row.published_at = utcnow()
        consultation(world).responded_at = utcnow()
        db.session.commit()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("organiser", 200),
        ("admin", 200),
        ("member", 403),
        ("responder", 403),
        ("outsider", 403),
        ("other_organiser", 403),
        (None, 302),
    ],
)
def test_only_the_areas_organisers_record_one(app, client, auth, world, who, status):
    if who:
        auth.login(EMAILS[who])
    assert client.get(url(world)).status_code == status
    sent = client.post_form(url(world), GOOD)
    assert sent.status_code == (303 if status == 200 else status)
    removed = client.post_form(url(world, "/remove"))
    assert removed.status_code == (303 if status == 200 else status)
    with app.app_context():
        assert (outcome(world) is None) or status == 200


def test_recording_changing_and_removing(app, client, auth, world):
    auth.login(EMAILS["organiser"])
    assert client.post_form(url(world), GOOD).status_code == 303
    with app.app_context():
        assert outcome(world).body_name == "Department for Education"
    form = client.get(url(world)).get_data(as_text=True)
    assert "Change the national outcome" in form
    changed = {**GOOD, "decision": "Changed"}
    assert client.post_form(url(world), changed).status_code == 303
    with app.app_context():
        assert outcome(world).decision == "Changed"
    assert client.post_form(url(world, "/remove")).status_code == 303
    assert client.post_form(url(world, "/remove")).status_code == 303
    with app.app_context():
        assert outcome(world) is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"body_name": ""}, "body_name", "Enter who made the decision"),
        ({"body_name": "x" * 201}, "body_name", "The name must be 200 characters or fewer"),
        ({"decision": ""}, "decision", "Say what they decided"),
        ({"decision": HUGE}, "decision", "5,000 characters or fewer"),
        (
            {"decided_on-day": "", "decided_on-month": "", "decided_on-year": ""},
            "",
            "Enter the date",
        ),
        ({"decided_on-day": "32"}, "", "must be a real date"),
        ({"decided_on-year": "2099"}, "", "today or in the past"),
        ({"link": "javascript:alert(1)"}, "link", "starting with https://"),
        ({"link": "http://www.gov.uk/"}, "link", "starting with https://"),
        ({"link": "https://"}, "link", "starting with https://"),
        ({"link": "https://" + "a" * 600}, "link", "500 characters or fewer"),
    ],
)
def test_bad_input_is_said_and_nothing_is_saved(app, client, auth, world, change, field, message):
    auth.login(EMAILS["organiser"])
    response = client.post_form(url(world), {**GOOD, **change})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and message in text
    with app.app_context():
        assert outcome(world) is None


def test_hostile_text_is_kept_as_words(app, client, auth, world):
    auth.login(EMAILS["organiser"])
    sent = {**GOOD, "body_name": RTL_EMOJI, "decision": SCRIPT}
    assert client.post_form(url(world), sent).status_code == 303
    published(app, world)
    page = client.get(world.page).get_data(as_text=True)
    assert RTL_EMOJI in page and "<img src=x" not in page


def test_a_stale_save_is_caught(app, client, auth, world):
    recorded(app, world)
    auth.login(EMAILS["organiser"])
    form = client.get(url(world)).get_data(as_text=True)
    version = re.search(r'name="row_version"[^>]*value="(\d+)"', form).group(1)
    recorded(app, world, decision="Someone else’s record")
    response = client.post_form(url(world), {**GOOD, "row_version": version})
    assert response.status_code == 422
    assert "Someone else changed this national outcome" in response.get_data(as_text=True)
    with app.app_context():
        assert outcome(world).decision == "Someone else’s record"


def test_it_shows_beside_partners_answers_labelled_national(app, client, auth, world):
    recorded(app, world)
    assert "National decision" not in client.get(world.page).get_data(as_text=True)
    published(app, world)
    page = client.get(world.page).get_data(as_text=True)
    assert "National decision" in page
    assert "Department for Education" in page
    assert "Decided 3 March 2026" in page
    assert 'href="https://www.gov.uk/improvement-plan"' in page
    data = json.loads(client.get("/areas/north/open-data/ledger.json").get_data(as_text=True))
    assert data["schema_version"] == "2.2"
    (row,) = data["themes"]
    assert row["national_body"] == "Department for Education"
    assert row["national_decided_on"] == "2026-03-03"
    assert row["national_link"] == "https://www.gov.uk/improvement-plan"


def test_the_parent_sees_it_on_what_happened_to_my_feedback(app, client, auth, world):
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.id == world.survey_id))
        questions = {q.id: q for q in questions_of(survey)}
        waiting = questions[world.questions["waiting"]]
        made = make_response(
            survey, user=user("member"), status="submitted", answers={waiting: "Two years"}
        )
        answer_id = db.session.scalar(
            select(Answer.id).where(Answer.response_id == made.id, Answer.question_id == waiting.id)
        )
        db.session.add(
            Evidence(
                theme_id=world.theme_id,
                area_id=survey.area_id,
                kind=EvidenceKind.ANSWER,
                answer_id=answer_id,
            )
        )
        db.session.commit()
    recorded(app, world)
    published(app, world)
    auth.login(EMAILS["member"])
    page = client.get("/account/feedback").get_data(as_text=True)
    assert "Waiting too long" in page
    assert "National decision" in page and "Department for Education" in page


def test_the_theme_page_shows_it_with_the_link_to_change_it(app, client, auth, world):
    theme_page = f"{world.page}/themes/{world.theme_id}"
    auth.login(EMAILS["organiser"])
    page = client.get(theme_page).get_data(as_text=True)
    assert "None recorded." in page
    assert f'href="{url(world)}">Record a national outcome' in page
    recorded(app, world, decision="A national standard.\nStarting in 2027.")
    page = client.get(theme_page).get_data(as_text=True)
    assert "None recorded." not in page
    section = page[page.index('id="national-outcome"') :]
    assert "Department for Education" in section and "National decision" in section
    assert "A national standard.</p>" in section and "Starting in 2027.</p>" in section
    assert "Decided 3 March 2026" in section
    assert 'href="https://www.gov.uk/improvement-plan"' in section
    assert f'href="{url(world)}">Change or remove the national outcome' in section


def test_responders_read_it_on_the_theme_page_without_the_link(app, client, auth, world):
    theme_page = f"{world.page}/themes/{world.theme_id}"
    auth.login(EMAILS["responder"])
    page = client.get(theme_page).get_data(as_text=True)
    assert "National outcome" not in page and url(world) not in page
    recorded(app, world, body_name=RTL_EMOJI, decision=SCRIPT)
    page = client.get(theme_page).get_data(as_text=True)
    assert "National decision" in page and RTL_EMOJI in page
    assert "<img src=x" not in page and url(world) not in page
