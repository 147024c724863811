"""Every POST of the quoting pages answers a plain form with 303 See Other and htmx with
HX-Redirect. `POSTS` has one entry per POST endpoint they add, in the shape of
tests/web/test_post_responses.CASES: (who signs in, url(client), data)."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.extensions import db
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
)
from tests.support import assert_redirects_after_post


def _base(client) -> str:
    from sqlalchemy import select

    from forum.consultations.models import Consultation

    with client.application.app_context():
        slug = db.session.scalar(select(Consultation.slug))
    return f"/areas/north/consultations/{slug}/survey"


def _answered(client, *, signed_in: bool) -> None:
    """Send answers to the open survey, as the signed-in member or without an account; a
    visitor's private link is then dropped from the session, so a new one can be made."""
    from sqlalchemy import select

    from forum.surveys.models import Question

    with client.application.app_context():
        ids = dict(db.session.execute(select(Question.prompt, Question.id)).all())
    sent = client.post_form(
        _base(client) + "/answer", {f"q{ids['Words?']}": "More breaks", f"q{ids['Quote?']}": "yes"}
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)[:3000]
    if not signed_in:
        with client.session_transaction() as session:
            session.pop("survey_quote_links", None)


def _paper_reference(client) -> str:
    """A paper response that agreed to be quoted, typed straight into the database."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.surveys.answering import services as answering
    from forum.surveys.answering.forms import Given
    from forum.surveys.models import ResponseChannel, Survey
    from forum.surveys.queries import questions_of

    with client.application.app_context():
        survey = db.session.scalar(select(Survey))
        questions = questions_of(survey)
        response = answering.enter_response(
            survey,
            questions,
            {q.id: Given(value="yes" if q.prompt == "Quote?" else "Words") for q in questions},
            channel=ResponseChannel.PAPER,
            actor=db.session.scalar(select(User).where(User.email == "org@example.org")),
        )
        db.session.commit()
        return response.reference


POSTS = {
    "withdraw consent": (
        "member@example.org",
        lambda c: (_answered(c, signed_in=True), _base(c) + "/quoting")[-1],
        {"choice": "withdraw"},
    ),
    "withdraw on request": (
        "org@example.org",
        lambda c: _base(c) + "/quoting/on-request",
        None,
    ),
    "new quoting link": (
        None,
        lambda c: (_answered(c, signed_in=False), _base(c) + "/quoting-link")[-1],
        {},
    ),
}


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="north")
        make_person_in(area, Role.MEMBER, email="member@example.org")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        consultation = make_consultation(area, title="Short breaks")
        survey = make_survey(consultation)
        make_question(survey, kind="long_text", prompt="Words?")
        make_question(survey, kind="consent", prompt="Quote?")
        db.session.commit()


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods
        and r.endpoint
        in ("surveys.quoting", "surveys.new_quoting_link", "surveys.withdraw_on_request")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    if who:
        auth.login(who)
    if data is None:
        data = {"reference": _paper_reference(client)}
    response = client.post_form(url(client), data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)
