"""A survey's results are kept (issue 18, forum/surveys/results/views.py): made once for a
standing until the area's data changes or, while the survey takes responses, until one more is
sent, which shows on the next look without counting the responses again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.surveys.answering import services as answering
from forum.surveys.models import ResultsVisibility, SentCount
from forum.surveys.queries import questions_of
from tests.conftest import AuthActions, base_config
from tests.factories import make_question, make_response
from tests.support import recorded_statements, statements_for
from tests.surveys.worlds import make_lone_survey


@pytest.fixture
def app_config(database_url):
    return base_config(database_url, FRAGMENT_CACHE_SECONDS=600)


@pytest.fixture
def open_survey(app):
    with app.app_context():
        consultation, survey = make_lone_survey(
            state="open", results_visibility=ResultsVisibility.MEMBERS
        )
        make_question(survey, kind="yes_no", prompt="Is the bus on time?")
        db.session.commit()
        return f"/areas/northshire/consultations/{consultation.slug}/survey/results", survey.id


def _look(app, client, url) -> tuple[str, int]:
    with recorded_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


def _send(app, survey_id: int) -> None:
    """A response sent the way the answering page sends it (`answering.submit`)."""
    from forum.surveys.models import Response, Survey

    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        question = questions_of(survey)[0]
        draft = make_response(survey, status="draft", answers={question: "yes"})
        draft = db.session.get(Response, draft.id)  # the factory's copy is detached
        assert answering.submit(draft, questions_of(survey))
        db.session.commit()


def test_a_response_sent_shows_on_the_next_look_and_nothing_is_counted_to_know(
    app, client, open_survey
):
    url, survey_id = open_survey
    AuthActions(client).login("org@example.org")
    _send(app, survey_id)
    first, made = _look(app, client, url)
    assert "1 person responded" in first
    again, read = _look(app, client, url)
    assert read < made, "the results were kept"
    _send(app, survey_id)
    with app.app_context():
        assert (
            db.session.scalar(select(SentCount.sent).where(SentCount.survey_id == survey_id)) == 2
        )
    after, _ = _look(app, client, url)
    assert "2 people responded" in after


def test_a_kept_look_reads_the_survey_and_its_sent_count_with_the_area(app, client, open_survey):
    """The area, its consultation, the survey and the number sent come in one statement: a kept
    look sends nothing else but the viewer's own account, session and memberships."""
    url, survey_id = open_survey
    AuthActions(client).login("org@example.org")
    _send(app, survey_id)
    statements = statements_for(app, client, url)
    loader = [s for s in statements if "survey_sent_counts" in s]
    assert len(loader) == 1 and "FROM areas" in loader[0] and "consultations" in loader[0]
    assert not any(s.startswith(("SELECT consultations.", "SELECT surveys.")) for s in statements)
    assert not any("consultation_priorities" in s for s in statements)
    assert len(statements) == 2  # the account with its session and memberships; the loader
    # And the number read with the survey names the kept results: one more shows at once.
    _send(app, survey_id)
    after, _ = _look(app, client, url)
    assert "2 people responded" in after


def test_the_organisers_publish_form_is_kept_with_each_ones_own_token(
    app, client, make_client, open_survey
):
    """The unfilled "who can see the results" form is kept for the organisers, each page with
    its own CSRF token (a kept form with another's token would be refused), and a new choice
    shows as checked on the next look."""
    import re

    from forum.areas.models import Area, Role
    from tests.factories import make_person_in

    url, _survey_id = open_survey
    with app.app_context():
        northshire = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        make_person_in(northshire, Role.ORGANISER, email="org2@example.org")
    first, other = client, make_client()
    AuthActions(first).login("org@example.org")
    AuthActions(other).login("org2@example.org")
    checked = re.compile(r'value="(\w+)" checked')
    token = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    from flask import template_rendered

    rendered: list[str] = []

    def note(_sender, template, **_extra):
        rendered.append(template.name)

    with template_rendered.connected_to(note, app):
        mine, _ = _look(app, first, url)
        made_first, rendered[:] = list(rendered), []
        theirs, _ = _look(app, other, url)
    assert "surveys/_results_publish.html" in made_first
    assert "surveys/results.html" in rendered
    assert "surveys/_results_publish.html" not in rendered, "the form was made again"
    assert checked.findall(mine) == checked.findall(theirs) == ["members"]
    assert [_secret_in(app, t) for t in token.findall(mine)] == [_secret_of(first)]
    assert [_secret_in(app, t) for t in token.findall(theirs)] == [_secret_of(other)]
    assert _secret_of(first) != _secret_of(other)
    assert "\x00" not in theirs

    response = other.post_form(url + "/publish", {"visibility": "public"})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    again, _ = _look(app, first, url)
    assert checked.findall(again) == ["public"]
    assert [_secret_in(app, t) for t in token.findall(again)] == [_secret_of(first)]


def _secret_in(app, token: str) -> str:
    """The session secret a page's CSRF token was signed from (tokens made at different
    seconds differ; the secret they carry does not)."""
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").loads(token)


def _secret_of(client) -> str:
    with client.session_transaction() as session:
        return session["csrf_token"]
