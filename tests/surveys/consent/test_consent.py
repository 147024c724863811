"""Consent to be quoted: withdrawn at any time (also after closing) by account holders from their
account and by everyone else through a private link, given again only while open; quotes leave
every published page at once; the history keeps each change with its time and wording."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.publishing import services as publishing
from forum.surveys.answering.keys import token_digest
from forum.surveys.consent.queries import consent_history_for
from forum.surveys.consent.services import GIVE_WORDING, WITHDRAW_WORDING
from forum.surveys.models import (
    Answer,
    AnswerChoice,
    ConsentChange,
    QuoteConsent,
    Response,
    Survey,
)
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
)
from tests.outcomes.worlds import answers_behind_waiting, base, build_ledger_world, user

LINK = re.compile(r"https?://[^\s\"<]+/survey/quoting/([A-Za-z0-9_\-]+)")


# --- quotes leave every published page -----------------------------------------------------


@pytest.fixture
def published(app):
    """The ledger world, closed, with six people's written answers behind the published
    "waiting" theme; all six agreed to be quoted."""
    with app.app_context():
        world = build_ledger_world()
        answers_behind_waiting(world, 6, words="Words of person {n}")
        db.session.commit()
        publishing.publish_response(
            db.session.get(Consultation, world.consultation_id), actor=user("organiser")
        )
        db.session.commit()
        quoted = db.session.scalars(
            select(Response).where(Response.may_quote.is_(True)).order_by(Response.id)
        ).all()
        world.emails = [db.session.get(User, r.user_id).email for r in quoted]
        return world


def _quoted_people(page: str) -> set[int]:
    """Whose words the page quotes (inside its quote blocks, not its list of evidence)."""
    quotes = re.findall(r'<blockquote class="[^"]*app-quote.*?</blockquote>', page, re.S)
    return {int(n) for q in quotes for n in re.findall(r"Words of person (\d)", q)}


def test_withdrawing_after_closing_takes_the_quote_off_every_published_page(
    app, client, auth, published
):
    theme_page = f"{base(published)}/themes/{published.waiting}"
    auth.login(published.emails[0])
    # Quotes as published: at most three, the newest first (persons 5, 4, 3).
    before = client.get(base(published)).get_data(as_text=True)
    assert _quoted_people(before) == {3, 4, 5}
    mine = client.get("/account/responses").get_data(as_text=True)
    assert "Speech therapy" in mine and "Stop quoting my words" in mine
    # The newest three withdraw, one after the other, after the consultation closed.
    auth.logout()
    for email in published.emails[3:]:
        auth.login(email)
        quoting = f"{base(published)}/survey/quoting"
        page = client.get(quoting).get_data(as_text=True)
        assert "You said Northshire Parent Carer Forum may quote" in page or "may quote" in page
        done = client.post_form(quoting, {"choice": "withdraw"})
        assert done.status_code == 303 and done.headers["Location"].endswith("/survey/quoting")
        assert "will not quote your words" in client.get(quoting).get_data(as_text=True)
        auth.logout()
    after = client.get(base(published)).get_data(as_text=True)
    assert _quoted_people(after) == {0, 1, 2}
    auth.login(published.emails[0])
    with app.app_context():
        from forum.outcomes.themes.queries import theme_quotes

        texts = [q.text for q in theme_quotes([published.waiting], limit=10)[published.waiting]]
    assert sorted(texts) == [f"Words of person {n}" for n in range(3)]
    auth.logout()
    with app.app_context():
        organiser = user("organiser").email
    auth.login(organiser)
    staff_theme = client.get(theme_page).get_data(as_text=True)
    assert _quoted_people(staff_theme) == {0, 1, 2}
    # The history keeps what happened; the answers now agree with the consent.
    with app.app_context():
        withdrawn = db.session.scalars(
            select(QuoteConsent).where(QuoteConsent.change == ConsentChange.WITHDRAWN)
        ).all()
        assert len(withdrawn) == 3
        assert all(not r.is_given and r.wording == WITHDRAW_WORDING for r in withdrawn)
        keys = db.session.scalars(
            select(AnswerChoice.option_key)
            .join(Response, Response.id == AnswerChoice.response_id)
            .where(Response.may_quote.is_(False))
        ).all()
        assert keys and set(keys) == {"no"}


def test_consent_cannot_be_given_again_after_closing(app, client, auth, published):
    quoting = f"{base(published)}/survey/quoting"
    auth.login(published.emails[0])
    client.post_form(quoting, {"choice": "withdraw"})
    page = client.get(quoting).get_data(as_text=True)
    assert "can no longer be given" in page and 'value="give"' not in page
    refused = client.post_form(quoting, {"choice": "give"})
    assert refused.status_code == 422
    assert "There is a problem" in refused.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                select(Response.may_quote).where(Response.user_id == user_id(published.emails[0]))
            )
            is False
        )


def user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


@pytest.mark.parametrize("choice", ["", "maybe", "<b>withdraw</b>"])
def test_a_bad_choice_changes_nothing(app, client, auth, published, choice):
    auth.login(published.emails[0])
    response = client.post_form(f"{base(published)}/survey/quoting", {"choice": choice})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(
            select(Response.may_quote).where(Response.user_id == user_id(published.emails[0]))
        )


def test_nobody_reaches_someone_elses_response(app, client, auth, published):
    quoting = f"{base(published)}/survey/quoting"
    # Visitors and people who did not answer see nothing of anyone's, and can change nothing.
    page = client.get(quoting).get_data(as_text=True)
    assert "We cannot find your answers" in page and "Words of person" not in page
    assert client.post_form(quoting, {"choice": "withdraw"}).status_code == 404
    auth.login(published.emails[0])
    assert client.get(f"{base(published)}/survey/quoting/not-a-real-link").status_code == 404
    with app.app_context():
        # Nobody's consent changed: every response still may be quoted.
        consents = list(db.session.scalars(select(Response.may_quote)))
        assert consents and all(consents)


# --- an open named survey: history, giving again, editing, the account list ----------------


@pytest.fixture
def open_survey(app):
    with app.app_context():
        area = make_area(slug="north")
        make_person_in(area, Role.MEMBER, email="member@example.org")
        consultation = make_consultation(area, title="Short breaks")
        survey = make_survey(consultation, allow_edit_after_submit=True)
        words = make_question(survey, kind="long_text", prompt="What would help?")
        consent = make_question(
            survey, kind="consent", prompt="May we quote you?", hint="We never use names."
        )
        db.session.commit()
        return {
            "base": f"/areas/north/consultations/{consultation.slug}/survey",
            "words": words.id,
            "consent": consent.id,
            "survey_id": survey.id,
        }


def _answer(client, world, consent="yes", words="More short breaks"):
    return client.post_form(
        world["base"] + "/answer",
        {f"q{world['words']}": words, f"q{world['consent']}": consent},
    )


def test_sending_records_the_answer_with_its_exact_words(app, client, auth, open_survey):
    auth.login("member@example.org")
    assert _answer(client, open_survey).status_code == 303
    done = client.get(open_survey["base"] + "/done").get_data(as_text=True)
    assert "Change whether we may quote you" in done
    with app.app_context():
        member = user_id("member@example.org")
        [record] = db.session.scalars(select(QuoteConsent)).all()
        assert record.is_given and record.change is ConsentChange.ANSWERED
        assert record.wording == (
            "May we quote you? We never use names.\n"
            "Answer: Yes, you may quote my words without my name"
        )
        history = consent_history_for(db.session.get(User, member))
    assert history == [
        {
            "consultation": "Short breaks",
            "response_reference": history[0]["response_reference"],
            "may_quote": True,
            "change": "answered",
            "change_label": "Answered the question",
            "wording": record.wording,
            "recorded_at": history[0]["recorded_at"],
        }
    ]


def test_withdrawn_and_given_again_while_open_and_an_edit_keeps_the_choice(
    app, client, auth, open_survey
):
    auth.login("member@example.org")
    _answer(client, open_survey)
    quoting = open_survey["base"] + "/quoting"
    client.post_form(quoting, {"choice": "withdraw"})
    # Changing another answer later does not bring consent back: the consent answer says no.
    edited = _answer(client, open_survey, consent="no", words="Longer short breaks")
    assert edited.status_code == 303
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.may_quote is False
    assert 'value="give"' in client.get(quoting).get_data(as_text=True)
    assert client.post_form(quoting, {"choice": "give"}).status_code == 303
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.may_quote is True
        consent_answer = db.session.scalar(
            select(Answer).where(Answer.question_id == open_survey["consent"])
        )
        assert consent_answer.value == "yes"
        changes = [
            (r.change, r.is_given, r.wording)
            for r in db.session.scalars(select(QuoteConsent).order_by(QuoteConsent.id))
        ]
    assert [c[:2] for c in changes] == [
        (ConsentChange.ANSWERED, True),
        (ConsentChange.WITHDRAWN, False),
        (ConsentChange.GIVEN, True),
    ]
    assert changes[1][2] == WITHDRAW_WORDING and changes[2][2] == GIVE_WORDING
    page = client.get(quoting).get_data(as_text=True)
    assert "Withdrew consent" in page and "Gave consent" in page


def test_the_account_list_shows_only_the_persons_named_responses(app, client, auth, open_survey):
    auth.login("member@example.org")
    empty = client.get("/account/responses")
    assert empty.status_code == 200 and "You have not sent answers" in empty.text
    assert empty.headers["Cache-Control"] == "no-store"
    _answer(client, open_survey)
    listed = client.get("/account/responses").get_data(as_text=True)
    assert "Short breaks" in listed and open_survey["base"] + "/quoting" in listed
    auth.logout()
    assert client.get("/account/responses").status_code == 302


def test_a_survey_without_a_consent_question_has_no_quoting_page(app, client, open_survey):
    with app.app_context():
        area = db.session.scalar(select(Survey)).consultation.area
        other = make_consultation(area, title="No consent")
        make_question(make_survey(other), prompt="Colour?")
        db.session.commit()
        slug = other.slug
    assert client.get(f"/areas/north/consultations/{slug}/survey/quoting").status_code == 404


# --- without an account: the private link ------------------------------------------------


@pytest.fixture
def public_survey(open_survey):
    """The open survey is public: anyone may answer without an account."""
    return open_survey


def _link(page: str) -> str:
    found = LINK.search(page)
    assert found, "no private quoting link on the page"
    return found.group(0)


def test_someone_without_an_account_withdraws_through_their_private_link(
    app, client, public_survey
):
    assert _answer(client, public_survey).status_code == 303
    done = client.get(public_survey["base"] + "/done").get_data(as_text=True)
    link = _link(done)
    token = LINK.search(done).group(1)
    with app.app_context():
        response = db.session.scalar(select(Response))
        # Only a digest is kept, and the response names nobody.
        assert response.quote_token_digest == token_digest(token)
        assert token not in (response.respondent_key, response.reference)
        assert response.user_id is None
    # Later, in another browser (a fresh client), after the survey has closed.
    with app.app_context():
        consultation = db.session.get(Survey, public_survey["survey_id"]).consultation
        from datetime import timedelta

        from forum.models import utcnow

        consultation.closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    other = app.test_client()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    opened = other.get(path)
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/survey/quoting")
    page = other.get(public_survey["base"] + "/quoting").get_data(as_text=True)
    assert "Stop quoting my words" in page and "Answered the question" in page
    assert (
        other.post_form(public_survey["base"] + "/quoting", {"choice": "withdraw"}).status_code
        == 303
    )
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.may_quote is False
        assert response.quote_token_digest == token_digest(token)
    # The secret leaves the address bar at once, and the access log hides it.
    from forum.web.access_log import redact

    assert token not in redact(path)


def test_a_private_link_made_later_replaces_the_first(app, client, public_survey):
    _answer(client, public_survey)
    first = LINK.search(client.get(public_survey["base"] + "/done").text).group(1)
    with client.session_transaction() as session:
        session.pop("survey_quote_links")
    done = client.get(public_survey["base"] + "/done").get_data(as_text=True)
    assert "Make a private link" in done
    made = client.post_form(public_survey["base"] + "/quoting-link", {})
    assert made.status_code == 303
    second = LINK.search(client.get(public_survey["base"] + "/done").text).group(1)
    assert second != first
    assert client.get(public_survey["base"] + f"/quoting/{first}").status_code == 404
    assert client.get(public_survey["base"] + f"/quoting/{second}").status_code == 302


# --- an organiser withdraws consent for someone who asks ----------------------------------


@pytest.fixture
def paper(app, open_survey):
    """A paper response that agreed to be quoted, typed in by the organiser."""
    from forum.surveys.answering import services as answering
    from forum.surveys.answering.forms import Given
    from forum.surveys.queries import questions_of

    with app.app_context():
        survey = db.session.get(Survey, open_survey["survey_id"])
        organiser = make_person_in(
            survey.consultation.area, Role.ORGANISER, email="org@example.org"
        )
        from forum.surveys.models import ResponseChannel

        response = answering.enter_response(
            survey,
            questions_of(survey),
            {
                open_survey["words"]: Given(value="Written on paper"),
                open_survey["consent"]: Given(value="yes"),
            },
            channel=ResponseChannel.PAPER,
            actor=db.session.get(User, organiser.id),
        )
        db.session.commit()
        return dict(open_survey, reference=response.reference, response_id=response.id)


def test_an_organiser_withdraws_consent_by_the_reference_someone_gives(app, client, auth, paper):
    from forum.audit.models import AuditEvent

    url = paper["base"] + "/quoting/on-request"
    auth.login("org@example.org")
    assert (
        "Stop quoting someone who asked you"
        in client.get(paper["base"].removesuffix("/survey") + "/survey").text
    )
    # Read out on the phone: lower case, spaces instead of dashes.
    typed = paper["reference"].lower().replace("-", " ")
    done = client.post_form(url, {"reference": typed})
    assert done.status_code == 303
    assert f"no longer quote response {paper['reference']}" in client.get(url).text
    with app.app_context():
        response = db.session.get(Response, paper["response_id"])
        assert response.may_quote is False
        [answered, withdrawn] = db.session.scalars(
            select(QuoteConsent).order_by(QuoteConsent.id)
        ).all()
        assert answered.change is ConsentChange.ANSWERED and answered.is_given
        assert (
            withdrawn.change is ConsentChange.WITHDRAWN and "asked the forum" in withdrawn.wording
        )
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "survey.quote_consent_withdrawn")
        )
        assert event.detail == {"reference": paper["reference"]} and event.actor_id
    # Again: it says so beside the field, and nothing more is recorded.
    again = client.post_form(url, {"reference": paper["reference"]})
    assert again.status_code == 422 and "already does not quote" in again.text


@pytest.mark.parametrize("typed", ["", "ZZZ-ZZZ-ZZZ", "x" * 30, "<script>"])
def test_an_unknown_or_bad_reference_is_refused_beside_the_field(app, client, auth, paper, typed):
    auth.login("org@example.org")
    response = client.post_form(paper["base"] + "/quoting/on-request", {"reference": typed})
    assert response.status_code == 422
    assert "There is a problem" in response.text and 'href="#reference"' in response.text
    with app.app_context():
        assert db.session.get(Response, paper["response_id"]).may_quote is True


@pytest.mark.parametrize("who, status", [(None, 302), ("member@example.org", 403)])
def test_only_organisers_withdraw_for_someone(app, client, auth, paper, who, status):
    if who:
        auth.login(who)
    url = paper["base"] + "/quoting/on-request"
    assert client.get(url).status_code == status
    assert client.post_form(url, {"reference": paper["reference"]}).status_code == status
    with app.app_context():
        assert db.session.get(Response, paper["response_id"]).may_quote is True
