"""Issue 12, point 4: the area's responders (council and health officers) never read a
parent's words unless the forum publishes or deliberately shares them.

Every page and fragment that shows written answers is walked as a responder: nothing written
by someone who said "do not quote", nor by someone never asked, nor (with the sharing setting
off) by anyone at all, may appear. With "share written answers with partners" on, they read
the words of people who agreed to be quoted, and still nobody else's. Organisers read all.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.consultations.models import Consultation, ConsultationState
from forum.extensions import db
from forum.outcomes.themes import services as themes
from forum.outcomes.themes.models import Theme
from forum.surveys.models import Answer, Survey
from tests.areas.worlds import AREA, PEOPLE
from tests.factories import (
    make_area,
    make_consultation,
    make_membership,
    make_question,
    make_response,
    make_survey,
    make_theme,
    make_user,
)

ORGANISER, RESPONDER = "org@example.org", "council@example.org"
#: the words of someone who agreed to be quoted
QUOTABLE = "The bus never comes"
#: the words of someone who said "do not quote"
REFUSED = "My son was excluded twice"
#: the words of someone who was never asked (a survey answer with no consent given)
UNASKED = "We moved house because of it"


@pytest.fixture
def place(app):
    with app.app_context():
        area = make_area(slug="northshire")
        organiser = make_user(email=ORGANISER)
        make_membership(organiser, area, Role.ORGANISER)
        make_membership(make_user(email=RESPONDER), area, Role.RESPONDER)
        consultation = make_consultation(area, state="closed", title="Transport")
        survey = make_survey(consultation, results_visibility="organisers")
        stage = make_question(survey, prompt="Which stage?", options=("Primary", "Secondary"))
        words = make_question(survey, kind="long_text", prompt="What happened?")
        consent = make_question(survey, kind="consent", prompt="May we quote you?")
        say = {
            QUOTABLE: ("primary", "yes"),
            REFUSED: ("secondary", "no"),
            UNASKED: ("primary", None),
        }
        for text, (phase, quote) in say.items():
            answers = {stage: phase, words: text}
            if quote:
                answers[consent] = quote
            make_response(survey, status="submitted", answers=answers)
        for _ in range(5):
            make_response(survey, status="submitted", answers={stage: "primary", consent: "no"})
        theme = db.session.get(Theme, make_theme(consultation, title="Getting there").id)
        organiser = db.session.get(User, organiser.id)
        for text in (REFUSED, QUOTABLE):
            answer_id = db.session.scalar(select(Answer.id).where(Answer.text == text))
            themes.add_evidence(theme, "answer", answer_id, actor=organiser)
        db.session.commit()
        return SimpleNamespace(
            slug=consultation.slug,
            survey_id=survey.id,
            theme_id=theme.id,
            stage_id=stage.id,
            words_id=words.id,
        )


def share(app, place, on: bool) -> None:
    with app.app_context():
        db.session.get(Survey, place.survey_id).shares_answers_with_partners = on
        db.session.commit()


def pages(place) -> list[tuple[str, str, bool]]:
    """(method, address, as htmx) of every route and fragment that shows written answers."""
    c = f"/areas/northshire/consultations/{place.slug}"
    s = f"{c}/survey"
    return [
        ("GET", f"{s}/results", False),
        ("GET", f"{s}/results", True),
        ("GET", f"{s}/results?by={place.stage_id}&is=primary", False),
        ("GET", f"{s}/results?filter={place.stage_id}:secondary", True),
        ("GET", f"{s}/coding", False),
        ("GET", f"{s}/coding/{place.words_id}", False),
        ("GET", f"{s}/coding/{place.words_id}", True),
        ("GET", f"{s}/coding/{place.words_id}?q=bus", True),
        ("GET", f"{s}/export", False),
        ("POST", f"{s}/export.csv", False),
        ("POST", f"{s}/export.json", False),
        ("GET", f"{c}/themes", False),
        ("GET", f"{c}/themes/{place.theme_id}", False),
        ("GET", f"{c}/themes/{place.theme_id}/evidence?show=answers", False),
        ("GET", f"{c}/themes/{place.theme_id}/evidence?show=answers&q=excluded", True),
        ("GET", f"{c}/decisions", False),
        ("GET", "/areas/northshire/discussions/search?q=excluded", False),
        ("GET", f"{s}/bursts", False),
    ]


def read(client, method: str, url: str, htmx: bool) -> str:
    if method == "POST":
        response = client.post_form(url, {})
    elif htmx:
        response = client.htmx_get(url)
    else:
        response = client.get(url)
    assert response.status_code < 500, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("shared", [False, True], ids=["not-shared", "shared"])
def test_a_responder_never_reads_words_that_were_not_for_quoting(app, client, auth, place, shared):
    share(app, place, shared)
    auth.login(RESPONDER)
    for method, url, htmx in pages(place):
        text = read(client, method, url, htmx)
        assert REFUSED not in text, f"{url} shows words someone said not to quote"
        assert UNASKED not in text, f"{url} shows words of someone never asked to be quoted"


def test_without_sharing_a_responder_reads_no_written_answer_on_the_results(
    app, client, auth, place
):
    share(app, place, False)
    auth.login(RESPONDER)
    results = f"/areas/northshire/consultations/{place.slug}/survey/results"
    for text in (client.get(results).get_data(as_text=True), read(client, "GET", results, True)):
        assert QUOTABLE not in text
        assert "What people wrote is not published" in text


def test_with_sharing_a_responder_reads_consented_answers_only(app, client, auth, place):
    share(app, place, True)
    auth.login(RESPONDER)
    results = f"/areas/northshire/consultations/{place.slug}/survey/results"
    text = client.get(results).get_data(as_text=True)
    assert QUOTABLE in text
    assert REFUSED not in text and UNASKED not in text
    assert "agreed to be quoted" in text


def test_the_theme_page_shows_a_responder_the_quote_but_not_the_refused_words(
    app, client, auth, place
):
    auth.login(RESPONDER)
    url = f"/areas/northshire/consultations/{place.slug}/themes/{place.theme_id}"
    text = client.get(url).get_data(as_text=True)
    assert QUOTABLE in text, "consented quotes are what the forum gives partners"
    assert REFUSED not in text
    assert "did not agree to be quoted" in text


def test_organisers_read_every_written_answer(app, client, auth, place):
    auth.login(ORGANISER)
    text = client.get(f"/areas/northshire/consultations/{place.slug}/survey/results").get_data(
        as_text=True
    )
    assert QUOTABLE in text and REFUSED in text and UNASKED in text
    theme = client.get(
        f"/areas/northshire/consultations/{place.slug}/themes/{place.theme_id}"
    ).get_data(as_text=True)
    assert REFUSED in theme


def test_the_setting_is_plain_in_the_survey_settings(app, client, auth, place):
    share(app, place, False)
    auth.login(ORGANISER)
    # Settings can change until the consultation closes: reopen it for this test.
    with app.app_context():
        from datetime import timedelta

        from forum.models import utcnow

        survey = db.session.get(Survey, place.survey_id)
        consultation = db.session.get(Consultation, survey.consultation_id)
        consultation.closes_at = utcnow() + timedelta(days=3)
        db.session.commit()
    url = f"/areas/northshire/consultations/{place.slug}/survey/settings"
    page = client.get(url).get_data(as_text=True)
    assert "Share written answers with partners?" in page
    assert "never see the words of people who said not to quote them" in page
    response = client.post_form(
        url,
        {
            "layout": "one_page",
            "allow_edit_after_submit": "no",
            "shares_answers_with_partners": "yes",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Survey, place.survey_id).shares_answers_with_partners


@pytest.mark.parametrize("shares", [False, True], ids=["not-shared", "shared"])
@pytest.mark.parametrize("state", list(ConsultationState), ids=lambda s: s.value)
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_who_reads_which_written_answers(who, state, shares):
    """The rule as a matrix: organisers and admins all; responders the consented ones when
    shared (never in a draft); everyone else none."""
    from forum.surveys.results.permissions import written_answers_shown

    consultation = SimpleNamespace(area=AREA, state=state)
    survey = SimpleNamespace(shares_answers_with_partners=shares)
    if who in ("organiser", "admin"):
        expected = "all"
    elif who == "responder" and shares and state is not ConsultationState.DRAFT:
        expected = "consented"
    else:
        expected = "none"
    assert written_answers_shown(PEOPLE[who], consultation, survey) == expected
