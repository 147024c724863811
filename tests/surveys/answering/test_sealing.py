"""Anonymous means anonymous: once an anonymous survey closes, however it closes (an organiser
closes it early, or its date passes and then the periodic job runs or someone opens one of its
pages), nothing stored can match a response to an account: every respondent key is gone, the
salt that made them is destroyed, and unsent drafts are deleted. Sent answers stay counted."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.areas.models import Role
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.models import Answer, Response, ResponseStatus, Survey
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
)


@pytest.fixture
def anonymous(app):
    """An open anonymous survey with three members' sent responses and a fourth's draft, and a
    named survey beside it, also answered."""
    with app.app_context():
        area = make_area(slug="north")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        people = [
            make_person_in(area, Role.MEMBER, email=f"parent{n}@example.org") for n in range(4)
        ]
        consultation = make_consultation(area, title="Short breaks")
        survey = make_survey(consultation, is_anonymous=True)
        question = make_question(survey, prompt="Colour?", options=("Red", "Blue"))
        for person in people[:3]:
            make_response(survey, user=person, status="submitted", answers={question: "red"})
        make_response(survey, user=people[3], answers={question: "blue"})
        named_consultation = make_consultation(area, title="Named")
        named = make_survey(named_consultation)
        named_q = make_question(named, prompt="Colour?", options=("Red", "Blue"))
        make_response(named, user=people[0], status="submitted", answers={named_q: "red"})
        db.session.commit()
        return {
            "survey_id": survey.id,
            "named_id": named.id,
            "consultation_id": consultation.id,
            "slug": consultation.slug,
            "salt": survey.salt,
            "named_salt": named.salt,
            "user_ids": [p.id for p in people],
        }


def _key(salt: str, user_id: int) -> str:
    """The key `answering.keys.respondent_key` makes for an account, recomputed by hand with the
    salt as it was while the survey was open."""
    return hmac.new(salt.encode(), f"user:{user_id}".encode(), hashlib.sha256).hexdigest()


def _pass_closing_date(consultation_id: int) -> None:
    from forum.consultations.models import Consultation

    consultation = db.session.get(Consultation, consultation_id)
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


def _assert_sealed(world) -> None:
    db.session.expire_all()
    survey = db.session.get(Survey, world["survey_id"])
    assert survey.salt is None and survey.sealed_at is not None
    stored = set(
        db.session.scalars(
            select(Response.respondent_key).where(Response.respondent_key.is_not(None))
        )
    )
    for user_id in world["user_ids"]:
        assert _key(world["salt"], user_id) not in stored
    responses = db.session.scalars(
        select(Response).where(Response.survey_id == world["survey_id"])
    ).all()
    # The three sent responses stay, and still count; the draft is gone with its answers.
    assert len(responses) == 3
    assert all(r.status is ResponseStatus.SUBMITTED and r.user_id is None for r in responses)
    answers = db.session.scalar(
        select(func.count())
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == world["survey_id"])
    )
    assert answers == 3
    # A named survey keeps its keys: the account is on the response anyway.
    named = db.session.get(Survey, world["named_id"])
    assert named.salt == world["named_salt"] and named.sealed_at is None


def test_the_keys_match_accounts_while_the_survey_is_open(app, anonymous):
    with app.app_context():
        stored = set(db.session.scalars(select(Response.respondent_key)))
        assert all(_key(anonymous["salt"], uid) in stored for uid in anonymous["user_ids"])


def test_closing_early_seals_the_anonymous_survey(app, client, auth, anonymous):
    auth.login("org@example.org")
    closed = client.post_form(
        f"/areas/north/consultations/{anonymous['slug']}/close", {"reason": "Enough replies"}
    )
    assert closed.status_code == 303
    with app.app_context():
        _assert_sealed(anonymous)


def test_the_periodic_job_seals_a_survey_whose_date_has_passed(app, anonymous):
    with app.app_context():
        _pass_closing_date(anonymous["consultation_id"])
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "anonymous surveys sealed at closing: 1" in result.output
    with app.app_context():
        _assert_sealed(anonymous)
    again = app.test_cli_runner().invoke(args=["purge"])
    assert "anonymous surveys sealed at closing: 0" in again.output


def test_the_first_page_read_after_closing_seals_it(app, client, anonymous):
    with app.app_context():
        _pass_closing_date(anonymous["consultation_id"])
    # The survey's own start page: it is closed, so it is refused, but sealed all the same.
    client.get(f"/areas/north/consultations/{anonymous['slug']}/survey/start")
    with app.app_context():
        _assert_sealed(anonymous)


def test_a_sealed_survey_opened_again_makes_a_new_salt(app, client, auth, anonymous):
    auth.login("org@example.org")
    base = f"/areas/north/consultations/{anonymous['slug']}"
    client.post_form(f"{base}/close", {"reason": "Enough replies"})
    with app.app_context():
        from forum.consultations import services as consultations
        from forum.consultations.models import Consultation

        consultation = db.session.get(Consultation, anonymous["consultation_id"])
        consultations.extend(
            consultation, utcnow() + timedelta(days=10), reason="more time", actor=None
        )
        db.session.commit()
    auth.logout()
    auth.login("parent3@example.org")
    with app.app_context():
        question_id = db.session.scalar(
            select(Answer.question_id)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.survey_id == anonymous["survey_id"])
            .limit(1)
        )
    sent = client.post_form(f"{base}/survey/answer", {f"q{question_id}": "blue"})
    assert sent.status_code == 303
    with app.app_context():
        survey = db.session.get(Survey, anonymous["survey_id"])
        assert survey.salt and survey.salt != anonymous["salt"]
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Response)
                .where(Response.survey_id == survey.id, Response.status == "submitted")
            )
            == 4
        )


def test_the_start_page_says_what_happens_at_closing(app, client, auth, anonymous):
    auth.login("parent0@example.org")
    page = client.get(f"/areas/north/consultations/{anonymous['slug']}/survey/start").text
    assert "This survey is anonymous." in page
    assert "when the consultation closes, we delete every code, the key" in page
    assert "nothing we hold links your answers to you or your account" in page
