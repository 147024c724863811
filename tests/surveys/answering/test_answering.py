"""Answering surveys: reading each kind of answer, show-if on the server, saving and resuming,
submitting once (also under twenty concurrent submits), editing, anonymity, consent, and
paper, phone and event entry."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from forum.areas.models import Role
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.surveys.answering import services as answering
from forum.surveys.answering.forms import Given, read_answer
from forum.surveys.answering.keys import new_reference, respondent_key
from forum.surveys.answering.queries import stored_answers
from forum.surveys.models import (
    Answer,
    AnswerChoice,
    Question,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
    SurveyLayout,
)
from tests.factories import (
    make_area,
    make_consultation,
    make_membership,
    make_question,
    make_survey,
    make_user,
)

REFERENCE = re.compile(r"\b[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}\b")


@pytest.fixture
def world(app):
    """Northshire with a member, an organiser, an outsider, and an open members-only
    consultation whose survey branches: "Colour?" then "Why red?" only for red."""
    with app.app_context():
        area = make_area(slug="north")
        member = make_user(email="member@example.org", name="Mina Member")
        make_membership(member, area, Role.MEMBER)
        organiser = make_user(email="org@example.org")
        make_membership(organiser, area, Role.ORGANISER)
        make_user(email="outsider@example.org")
        consultation = make_consultation(area, audience="members", title="Transport")
        survey = make_survey(consultation)
        colour = make_question(survey, prompt="Colour?", options=("Red", "Blue"))
        why = make_question(
            survey, kind="long_text", prompt="Why red?", show_if=colour, show_if_values=["red"]
        )
        age = make_question(
            survey, kind="number", prompt="Age?", min_value=0, max_value=25, is_required=False
        )
        consent = make_question(survey, kind="consent", prompt="May we quote you?")
        return {
            "base": f"/areas/north/consultations/{consultation.slug}/survey",
            "survey_id": survey.id,
            "consultation_id": consultation.id,
            "q": {"colour": colour.id, "why": why.id, "age": age.id, "consent": consent.id},
        }


def _survey(world) -> Survey:
    return db.session.get(Survey, world["survey_id"])


def _responses(app, world):
    with app.app_context():
        return list(
            db.session.scalars(select(Response).where(Response.survey_id == world["survey_id"]))
        )


def _answers(app, response_id):
    with app.app_context():
        rows = db.session.scalars(select(Answer).where(Answer.response_id == response_id))
        return {a.question_id: a.value for a in rows}


def _set(app, world, **fields):
    with app.app_context():
        survey = _survey(world)
        for name, value in fields.items():
            setattr(survey, name, value)
        db.session.commit()


# --- reading each kind of answer -------------------------------------------------------------


KINDS = [
    # kind, extra question fields, form data for q, expected value or error fragment
    ("single_choice", {}, {"q": "red"}, "red"),
    ("single_choice", {}, {"q": "green"}, "Choose one of the answers listed"),
    ("single_choice", {"has_other": True}, {"q": "other"}, "say what you mean"),
    ("single_choice", {"has_other": True}, {"q": "other", "q-other": " Purple "}, "other"),
    ("multiple_choice", {}, {"q": ["blue", "red"]}, ["red", "blue"]),
    ("multiple_choice", {}, {"q": ["red", "<script>"]}, "Choose from the answers listed"),
    ("yes_no", {}, {"q": "not_sure"}, "not_sure"),
    ("scale", {}, {"q": "5"}, "5"),
    ("scale", {}, {"q": "6"}, "Choose one of"),
    ("consent", {}, {"q": "yes"}, "yes"),
    ("short_text", {}, {"q": "  <b>bold</b>\u202e  "}, "<b>bold</b>"),
    ("short_text", {}, {"q": "x" * 201}, "200 characters or fewer"),
    ("long_text", {"max_length": 20}, {"q": "y" * 21}, "20 characters or fewer"),
    ("long_text", {"max_length": 20}, {"q": "y" * 19 + "😀"}, "y" * 19 + "😀"),
    ("long_text", {"max_length": None, "max_words": 3}, {"q": "one two-ish three"}, None),
    ("long_text", {"max_length": None, "max_words": 3}, {"q": "a b c d"}, "1 word too many"),
    (
        "long_text",
        {"max_length": 2000, "max_words": 2},
        {"q": "a\u00a0b\u2003c"},
        "2 words or fewer",
    ),
    ("short_text", {"max_words": 1}, {"q": "well-being"}, "well-being"),
    ("short_text", {"max_words": 1}, {"q": "well — being"}, "2 words too many"),
    ("long_text", {}, {"q": "line one\r\n\r\n\r\nline two"}, "line one\n\nline two"),
    ("number", {"min_value": 0, "max_value": 25}, {"q": "1,2"}, 12),
    ("number", {"min_value": 0, "max_value": 25}, {"q": "26"}, "from 0 to 25"),
    ("number", {}, {"q": "3.5"}, "whole number"),
    ("number", {}, {"q": "٣"}, "whole number"),
    ("number", {}, {"q": "9" * 40}, "from -1,000,000,000"),
    ("date", {}, {"q-day": "27", "q-month": "3", "q-year": "2025"}, "2025-03-27"),
    ("date", {}, {"q-day": "31", "q-month": "2", "q-year": "2025"}, "real date"),
    ("date", {}, {"q-day": "1", "q-month": "", "q-year": "2025"}, "include a month"),
    ("date", {}, {"q-day": "1", "q-month": "1", "q-year": "25"}, "4 numbers"),
    ("ranking", {}, {"q-1": "blue", "q-2": "red"}, ["blue", "red"]),
    ("ranking", {}, {"q-1": "blue", "q-2": "blue"}, "Use each option once"),
    ("ranking", {}, {"q-1": "blue"}, "Put all 2 options in order"),
]


@pytest.mark.parametrize(("kind", "fields", "sent", "expected"), KINDS)
def test_read_answer(app, kind, fields, sent, expected):
    with app.app_context():
        area = make_area()
        survey = make_survey(make_consultation(area))
        question = make_question(survey, kind=kind, options=("Red", "Blue"), **fields)
        form = MultiDict()
        for name, value in sent.items():
            name = name.replace("q", f"q{question.id}", 1)
            for one in value if isinstance(value, list) else [value]:
                form.add(name, one)
        given = read_answer(question, form, required=True)
        if expected is None:
            assert given.error is None, given.error
        elif isinstance(expected, str) and given.error:
            assert expected in given.error
        else:
            assert given.error is None, given.error
            assert given.value == expected


@pytest.mark.parametrize(
    "kind",
    [
        "single_choice",
        "multiple_choice",
        "short_text",
        "number",
        "date",
        "ranking",
        "yes_no",
        "consent",
        "scale",
        "long_text",
    ],
)
def test_blank_required_and_optional(app, kind):
    with app.app_context():
        survey = make_survey(make_consultation(make_area()))
        question = make_question(survey, kind=kind)
        assert read_answer(question, MultiDict(), required=True).error
        assert read_answer(question, MultiDict(), required=False).error is None


def test_choices_are_written_one_row_each(app, world):
    with app.app_context():
        survey = _survey(world)
        question = make_question(survey, kind="ranking", options=("A", "B", "C"))
        user = db.session.get(Response, 1) or None
        response = answering.response_for(survey, "key-1", user=user)
        given = {question.id: Given(value=["c", "a", "b"])}
        answering.save_answers(response, list(survey_questions(survey)), given)
        rows = db.session.execute(
            select(AnswerChoice.option_key, AnswerChoice.rank)
            .where(AnswerChoice.question_id == question.id)
            .order_by(AnswerChoice.rank)
        ).all()
        assert rows == [("c", 1), ("a", 2), ("b", 3)]
        # Changing the answer replaces the rows rather than adding to them.
        answering.save_answers(
            response,
            list(survey_questions(survey)),
            {question.id: Given(value=["a", "b", "c"])},
        )
        count = db.session.scalar(
            select(func.count()).where(AnswerChoice.question_id == question.id)
        )
        assert count == 3


def survey_questions(survey):
    from forum.surveys.queries import questions_of

    return questions_of(survey)


# --- show-if on the server -------------------------------------------------------------------


def test_show_if_question_is_not_required_when_hidden_and_is_required_when_shown(
    app, client, auth, world
):
    auth.login("member@example.org")
    q = world["q"]
    blue = client.post_form(
        world["base"] + "/answer",
        {f"q{q['colour']}": "blue", f"q{q['consent']}": "no", f"q{q['why']}": "sneaked in"},
    )
    assert blue.status_code == 303, blue.get_data(as_text=True)[:500]
    [response] = _responses(app, world)
    answers = _answers(app, response.id)
    assert q["why"] not in answers, "an answer to a question not shown is not stored"
    assert answers[q["colour"]] == "blue"


def test_show_if_question_required_when_shown(app, client, auth, world):
    auth.login("member@example.org")
    q = world["q"]
    red = client.post_form(
        world["base"] + "/answer", {f"q{q['colour']}": "red", f"q{q['consent']}": "no"}
    )
    assert red.status_code == 422
    page = red.get_data(as_text=True)
    assert "There is a problem" in page and f'href="#q{q["why"]}"' in page
    # What was valid was kept, and is shown again.
    assert 'value="red" checked' in page
    [response] = _responses(app, world)
    assert response.status is ResponseStatus.DRAFT
    assert _answers(app, response.id)[q["colour"]] == "red"


def test_changing_the_trigger_removes_the_dependent_answer(app, world):
    with app.app_context():
        survey = _survey(world)
        questions = survey_questions(survey)
        q = world["q"]
        response = answering.response_for(survey, "k")
        answering.save_answers(
            response,
            questions,
            {
                q["colour"]: Given(value="red"),
                q["why"]: Given(value="Because"),
            },
        )
        assert set(stored_answers(response)) == {q["colour"], q["why"]}
        answering.save_answers(response, questions, {q["colour"]: Given(value="blue")})
        assert set(stored_answers(response)) == {q["colour"]}


# --- one page: save, submit once, confirmation ------------------------------------------------


def _full(world, colour="blue", consent="yes"):
    q = world["q"]
    return {f"q{q['colour']}": colour, f"q{q['consent']}": consent, f"q{q['age']}": "7"}


def test_submit_shows_reference_and_a_copy_and_a_repeat_changes_nothing(app, client, auth, world):
    auth.login("member@example.org")
    first = client.post_form(world["base"] + "/answer", _full(world))
    assert first.status_code == 303 and first.headers["Location"].endswith("/survey/done")
    done = client.get(world["base"] + "/done").get_data(as_text=True)
    [response] = _responses(app, world)
    assert response.reference in done and REFERENCE.search(done)
    assert "A copy of your answers" in done and "Blue" in done
    # A double click, a replay and the back button: still one response, and the confirmation.
    again = client.post_form(world["base"] + "/answer", _full(world, colour="red"))
    assert again.status_code == 303 and again.headers["Location"].endswith("/survey/done")
    htmx = client.post_form(world["base"] + "/answer", _full(world), htmx=True)
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].endswith("/survey/done")
    assert client.get(world["base"] + "/answer").status_code == 303
    [same] = _responses(app, world)
    assert same.id == response.id and _answers(app, same.id)[world["q"]["colour"]] == "blue"
    with app.app_context():
        submitted = db.session.scalar(
            select(func.count()).where(AuditEvent.action == "survey.response_submitted")
        )
    assert submitted == 1


def test_save_and_come_back_later_keeps_a_draft_for_a_member(app, client, auth, world):
    auth.login("member@example.org")
    q = world["q"]
    saved = client.post_form(
        world["base"] + "/answer", {"action": "save", f"q{q['colour']}": "red"}
    )
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/survey/saved")
    page = client.get(world["base"] + "/saved").get_data(as_text=True)
    assert "Your answers are saved" in page and "/resume/" not in page
    auth.logout()
    auth.login("member@example.org")
    again = client.get(world["base"] + "/answer").get_data(as_text=True)
    assert 'value="red" checked' in again
    start = client.get(world["base"] + "/start").get_data(as_text=True)
    assert "Carry on where you left off" in start


def test_saving_a_draft_with_a_bad_answer_keeps_the_good_ones(app, client, auth, world):
    auth.login("member@example.org")
    q = world["q"]
    bad = client.post_form(
        world["base"] + "/answer",
        {"action": "save", f"q{q['colour']}": "red", f"q{q['age']}": "lots"},
    )
    assert bad.status_code == 422
    assert "Enter a whole number" in bad.get_data(as_text=True)
    [response] = _responses(app, world)
    assert _answers(app, response.id) == {q["colour"]: "red"}


@pytest.mark.real_commits
def test_twenty_concurrent_identical_submits_leave_one_response(app, world, make_client):
    """Twenty requests from the same person at once: one response, submitted once."""
    clients = []
    for _ in range(20):
        c = make_client()
        c.post_form(
            "/sign-in", {"email": "member@example.org", "password": "correct-horse-battery-staple"}
        )
        c.csrf_token(refresh=True)
        clients.append(c)
    barrier = threading.Barrier(len(clients))
    results: list[int] = []

    def go(c):
        barrier.wait()
        results.append(c.post_form(world["base"] + "/answer", _full(world)).status_code)

    threads = [threading.Thread(target=go, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(results)) == [303], results
    responses = _responses(app, world)
    assert len(responses) == 1 and responses[0].status is ResponseStatus.SUBMITTED
    with app.app_context():
        answers = db.session.scalar(
            select(func.count()).where(Answer.response_id == responses[0].id)
        )
        choices = db.session.scalar(
            select(func.count()).where(AnswerChoice.response_id == responses[0].id)
        )
        audits = db.session.scalar(
            select(func.count()).where(AuditEvent.action == "survey.response_submitted")
        )
    assert (answers, choices, audits) == (3, 2, 1)


def test_the_database_refuses_a_second_response_for_the_same_person(app, world):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        survey = _survey(world)
        for _ in range(2):
            db.session.add(
                Response(
                    survey_id=survey.id,
                    area_id=survey.area_id,
                    respondent_key="same",
                    reference=new_reference(),
                )
            )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


# --- editing after submit -----------------------------------------------------------------------


def test_edit_after_submit_when_the_organiser_allows_it(app, client, auth, world):
    _set(app, world, allow_edit_after_submit=True)
    auth.login("member@example.org")
    client.post_form(world["base"] + "/answer", _full(world))
    done = client.get(world["base"] + "/done").get_data(as_text=True)
    assert "Change your answers" in done
    form = client.get(world["base"] + "/answer").get_data(as_text=True)
    assert "Save changes" in form and 'value="blue" checked' in form
    # A change that needs a newly shown answer is refused until it is given.
    q = world["q"]
    refused = client.post_form(world["base"] + "/answer", _full(world, colour="red"))
    assert refused.status_code == 422
    changed = client.post_form(
        world["base"] + "/answer",
        {**_full(world, colour="red", consent="no"), f"q{q['why']}": "It is bright"},
    )
    assert changed.status_code == 303
    [response] = _responses(app, world)
    assert _answers(app, response.id)[q["why"]] == "It is bright"
    assert response.may_quote is False and response.status is ResponseStatus.SUBMITTED


def test_no_edit_after_submit_by_default(app, client, auth, world):
    auth.login("member@example.org")
    client.post_form(world["base"] + "/answer", _full(world))
    assert "Change your answers" not in client.get(world["base"] + "/done").get_data(as_text=True)


# --- consent ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("consent", "may_quote"), [("yes", True), ("no", False)])
def test_consent_decides_whether_words_may_be_quoted(app, client, auth, world, consent, may_quote):
    auth.login("member@example.org")
    client.post_form(world["base"] + "/answer", _full(world, consent=consent))
    [response] = _responses(app, world)
    assert response.may_quote is may_quote


# --- who may answer ----------------------------------------------------------------------------


def test_members_only_survey_turns_away_visitors_and_outsiders(app, client, auth, world):
    visitor = client.get(world["base"] + "/start")
    assert visitor.status_code == 302 and "/sign-in" in visitor.headers["Location"]
    auth.login("outsider@example.org")
    outsider = client.get(world["base"] + "/start")
    assert outsider.status_code == 403
    assert client.post_form(world["base"] + "/answer", _full(world)).status_code == 403
    assert _responses(app, world) == []


def test_closed_consultation_takes_no_answers(app, client, auth, world):
    from forum.consultations.models import Consultation
    from forum.models import utcnow

    with app.app_context():
        consultation = db.session.get(Consultation, world["consultation_id"])
        consultation.closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    auth.login("member@example.org")
    assert client.post_form(world["base"] + "/answer", _full(world)).status_code == 403


def test_a_survey_without_visible_questions_is_not_found(app, client, auth, world):
    with app.app_context():
        for question in db.session.scalars(select(Question)):
            question.is_hidden = True
        db.session.commit()
    auth.login("member@example.org")
    assert client.get(world["base"] + "/start").status_code == 404


# --- people without an account -----------------------------------------------------------------


@pytest.fixture
def public(app, world):
    from forum.consultations.models import Audience, Consultation

    with app.app_context():
        consultation = db.session.get(Consultation, world["consultation_id"])
        consultation.audience = Audience.PUBLIC
        db.session.commit()
    return world


def test_visitor_saves_gets_a_private_link_and_resumes_elsewhere(app, client, make_client, public):
    q = public["q"]
    saved = client.post_form(
        public["base"] + "/answer",
        {"action": "save", f"q{q['colour']}": "red", f"q{q['why']}": "Bright"},
    )
    assert saved.status_code == 303
    page = client.get(public["base"] + "/saved").get_data(as_text=True)
    link = re.search(r'href="(http://[^"]+/resume/[^"]+)"', page).group(1)
    path = link.split("localhost", 1)[1]
    [response] = _responses(app, public)
    assert response.user_id is None and response.respondent_key
    token = path.rsplit("/", 1)[1]
    assert token not in (response.respondent_key, response.reference)

    other = make_client()
    resumed = other.get(path)
    assert resumed.status_code == 302 and resumed.headers["Location"].endswith("/survey/answer")
    form = other.get(public["base"] + "/answer").get_data(as_text=True)
    assert "Bright" in form
    sent = other.post_form(
        public["base"] + "/answer",
        {f"q{q['colour']}": "red", f"q{q['why']}": "Bright", f"q{q['consent']}": "yes"},
    )
    assert sent.status_code == 303
    assert len(_responses(app, public)) == 1
    assert make_client().get(public["base"] + "/resume/not-a-real-token").status_code == 404


def test_each_browser_without_an_account_has_its_own_response(app, client, make_client, public):
    client.post_form(public["base"] + "/answer", _full(public))
    make_client().post_form(public["base"] + "/answer", _full(public))
    assert len(_responses(app, public)) == 2


# --- anonymous surveys --------------------------------------------------------------------------


def test_anonymous_responses_cannot_be_joined_to_accounts(app, client, auth, world):
    _set(app, world, is_anonymous=True)
    start = client.get(world["base"] + "/start")
    auth.login("member@example.org")
    start = client.get(world["base"] + "/start").get_data(as_text=True)
    assert "This survey is anonymous" in start
    client.post_form(world["base"] + "/answer", _full(world))
    [response] = _responses(app, world)
    with app.app_context():
        from forum.accounts.models import User

        member = db.session.scalar(select(User).where(User.email == "member@example.org"))
        survey = _survey(world)
        # Nothing stored with the response is the person, or made only from the person.
        assert response.user_id is None
        row = (
            db.session.execute(select(Response.__table__).where(Response.id == response.id))
            .mappings()
            .one()
        )
        for value in row.values():
            assert value != member.id or value in (response.id, survey.id, survey.area_id)
            assert str(value) not in (member.email, member.display_name)
        plain = [hashlib_hex(text) for text in (str(member.id), f"user:{member.id}", member.email)]
        assert response.respondent_key not in plain
        # The key needs the survey's salt: the same person has an unrelated key elsewhere.
        other = make_survey(
            make_consultation(db.session.get(type(survey.consultation.area), survey.area_id))
        )
        assert respondent_key(other, user=member) != response.respondent_key
        # Times are kept to the day, so they cannot be matched with sign-in or audit times.
        for when in (response.created_at, response.updated_at, response.submitted_at):
            assert (when.hour, when.minute, when.second, when.microsecond) == (0, 0, 0, 0)
        # The audit entry names neither the person nor the response.
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "survey.response_submitted")
        ).all()
        assert [(e.actor_id, e.subject_type) for e in events] == [(None, "Survey")]
        assert str(response.id) not in str(events[0].detail)
    # And it is still one response per person.
    again = client.post_form(world["base"] + "/answer", _full(world))
    assert again.headers["Location"].endswith("/survey/done")
    assert len(_responses(app, world)) == 1


def hashlib_hex(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


# --- one question on each page -----------------------------------------------------------------


def test_one_question_per_page_with_check_your_answers(app, client, auth, world):
    _set(app, world, layout=SurveyLayout.QUESTION_PER_PAGE)
    q = world["q"]
    base = world["base"]
    auth.login("member@example.org")
    first = client.get(base + "/answer")
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/answer/{q['colour']}")
    page = client.get(base + f"/answer/{q['colour']}").get_data(as_text=True)
    assert "Question 1 of 3" in page
    blank = client.post_form(base + f"/answer/{q['colour']}", {"action": "continue"})
    assert blank.status_code == 422 and "Choose an answer" in blank.get_data(as_text=True)
    # Blue skips "Why red?"
    step = client.post_form(base + f"/answer/{q['colour']}", {f"q{q['colour']}": "blue"})
    assert step.headers["Location"].endswith(f"/answer/{q['age']}")
    assert client.get(base + f"/answer/{q['why']}").status_code == 302
    step = client.post_form(base + f"/answer/{q['age']}", {f"q{q['age']}": ""})
    assert step.headers["Location"].endswith(f"/answer/{q['consent']}")
    # Save and leave on the last question; coming back goes to where they were.
    client.post_form(
        base + f"/answer/{q['consent']}", {"action": "save", f"q{q['consent']}": "yes"}
    )
    back = client.get(base + "/answer")
    assert back.headers["Location"].endswith("/survey/check")
    check = client.get(base + "/check").get_data(as_text=True)
    assert "Check your answers" in check and "Blue" in check and "Why red?" not in check
    # Change colour to red from the check page: "Why red?" is asked, then back to the check.
    change = client.post_form(
        base + f"/answer/{q['colour']}?return=check", {f"q{q['colour']}": "red"}
    )
    assert change.headers["Location"].endswith(f"/answer/{q['why']}?return=check")
    # Sending now is refused: "Why red?" needs an answer.
    refused = client.post_form(base + "/check", {})
    assert refused.status_code == 422 and "Why red?" in refused.get_data(as_text=True)
    client.post_form(base + f"/answer/{q['why']}?return=check", {f"q{q['why']}": "Bright"})
    sent = client.post_form(base + "/check", {})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/survey/done")
    [response] = _responses(app, world)
    assert response.status is ResponseStatus.SUBMITTED and response.may_quote
    assert client.post_form(base + "/check", {}).headers["Location"].endswith("/survey/done")


# --- paper, phone and event entry ---------------------------------------------------------------


def test_organiser_types_in_a_paper_response(app, client, auth, world):
    q = world["q"]
    url = world["base"] + "/responses/new"
    auth.login("member@example.org")
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login("org@example.org")
    assert client.get(url).status_code == 200
    missing = client.post_form(url, {f"q{q['colour']}": "red"})
    assert missing.status_code == 422 and "Choose how the response reached you" in missing.text
    for _ in range(2):
        made = client.post_form(
            url, {"channel": "paper", f"q{q['colour']}": "red", f"q{q['why']}": "Bright"}
        )
        assert made.status_code == 303
    responses = _responses(app, world)
    assert len(responses) == 2
    for response in responses:
        assert response.channel is ResponseChannel.PAPER
        assert response.user_id is None and response.respondent_key is None
        assert response.status is ResponseStatus.SUBMITTED and response.entered_by_id
    # The same form sent twice (a double click) is saved once.
    page = client.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    for _ in range(2):
        client.post_form(
            url, {"submission_key": key, "channel": "phone", f"q{q['colour']}": "blue"}
        )
    assert len(_responses(app, world)) == 3


# --- never stored --------------------------------------------------------------------------------

#: Pages showing a respondent's own answers or private link, for a visitor without an account:
#: path (after the survey's base), layout, what the visitor did first, the status it answers.
PRIVATE_PAGES = [
    ("/start", SurveyLayout.ONE_PAGE, "saved", 200),
    ("/answer", SurveyLayout.ONE_PAGE, "saved", 200),
    ("/saved", SurveyLayout.ONE_PAGE, "saved", 200),
    ("/resume/{token}", SurveyLayout.ONE_PAGE, "saved", 302),
    ("/done", SurveyLayout.ONE_PAGE, "sent", 200),
    ("/answer/{colour}", SurveyLayout.QUESTION_PER_PAGE, "saved", 200),
    ("/check", SurveyLayout.QUESTION_PER_PAGE, "saved", 200),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("path", "layout", "did", "status"), PRIVATE_PAGES)
def test_a_visitors_answers_and_resume_link_are_never_stored(
    app, client, public, path, layout, did, status, htmx
):
    q = public["q"]
    token = ""
    if did == "sent":
        client.post_form(public["base"] + "/answer", _full(public))
    else:
        client.post_form(
            public["base"] + "/answer",
            {"action": "save", f"q{q['colour']}": "red", f"q{q['why']}": "Bright"},
        )
        saved = client.get(public["base"] + "/saved").get_data(as_text=True)
        token = re.search(r'href="http://[^"]+/resume/([^"]+)"', saved).group(1)
    _set(app, public, layout=layout)
    url = public["base"] + path.format(token=token, colour=q["colour"])
    response = client.htmx_get(url) if htmx else client.get(url)
    assert response.status_code == status
    assert response.headers.get("Cache-Control") == "no-store"
    # The other headers are still sent.
    assert "HX-Request" in response.headers["Vary"] and response.headers["X-Frame-Options"]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_entered_paper_response_is_never_stored(client, auth, world, htmx):
    auth.login("org@example.org")
    url = world["base"] + "/responses/new"
    response = client.htmx_get(url) if htmx else client.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    sent = client.post_form(url, {"channel": "paper", f"q{world['q']['colour']}": "red"}, htmx=htmx)
    assert sent.headers["Cache-Control"] == "no-store"
