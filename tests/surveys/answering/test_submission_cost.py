"""What a submission costs, and the form kept blank per survey version: the answers go in with
one INSERT and their chosen options with one more whatever was chosen, nothing is read again
after the commit, many people sending at once each get exactly one response, and the one-page
form's kept blank questions are the ones a fresh render gives, and change at once after an
edit."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import event, func, select, update

from forum.areas.models import Role
from forum.extensions import db
from forum.surveys.answering import blank_form
from forum.surveys.models import Answer, AnswerChoice, Question, Response, ResponseStatus
from tests.factories import (
    make_area,
    make_consultation,
    make_membership,
    make_question,
    make_survey,
    make_user,
)

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - the factories' test password
#: the form's per-render values, which differ between two GETs
_PER_RENDER = re.compile(r'(name="(?:csrf_token|submission_key)"[^>]*value=")[^"]*"')


@pytest.fixture
def world(app):
    """An open members-only survey asking one of each kind that stores chosen options, a
    written answer, and a number; members member1..member12@example.org."""
    with app.app_context():
        area = make_area(slug="north")
        for n in range(1, 13):
            make_membership(make_user(email=f"member{n}@example.org"), area, Role.MEMBER)
        consultation = make_consultation(area, audience="members", title="Short breaks")
        survey = make_survey(consultation)
        q = {
            "age": make_question(survey, prompt="Age?", options=("Under 5", "5 to 11")),
            "help": make_question(
                survey,
                kind="multiple_choice",
                prompt="Help had?",
                options=("Speech", "Sleep", "Transport"),
            ),
            "fair": make_question(survey, kind="scale", prompt="How fair?"),
            "rank": make_question(
                survey, kind="ranking", prompt="Order these", options=("Time", "Money", "Sleep")
            ),
            "why": make_question(survey, kind="long_text", prompt="Why?", is_required=False),
        }
        return {
            "base": f"/areas/north/consultations/{consultation.slug}/survey",
            "survey_id": survey.id,
            "q": {name: question.id for name, question in q.items()},
            "keys": {name: [c["value"] for c in question.choices] for name, question in q.items()},
        }


def _answers_form(world) -> dict:
    q, keys = world["q"], world["keys"]
    data = {
        f"q{q['age']}": keys["age"][1],
        f"q{q['help']}": keys["help"],  # all three
        f"q{q['fair']}": "4",
        f"q{q['why']}": "Because the bus never came.",
        "action": "submit",
    }
    for place, key in enumerate(reversed(keys["rank"]), start=1):
        data[f"q{q['rank']}-{place}"] = key
    return data


def _statements(app, send) -> list[str]:
    seen: list[str] = []

    def note(_conn, _cursor, statement, _params, _context, _many):
        seen.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        send()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_submission_inserts_answers_and_options_in_bulk_and_reads_nothing_after(
    app, client, auth, world
):
    auth.login("member1@example.org", PASSWORD)
    data = {**_answers_form(world), "submission_key": "bench-key-0001"}
    sent = []
    statements = _statements(
        app, lambda: sent.append(client.post_form(world["base"] + "/answer", data))
    )
    assert sent[0].status_code == 303 and sent[0].headers["Location"].endswith("/survey/done")

    def count(prefix: str) -> int:
        return sum(1 for s in statements if s.startswith(prefix))

    # 3 + 1 + 1 + 3 options chosen: one INSERT for all of them.
    assert count("INSERT INTO survey_answer_choices") == 1
    with app.app_context():
        response = db.session.scalar(
            select(Response).where(Response.survey_id == world["survey_id"])
        )
        assert response.status is ResponseStatus.SUBMITTED
        choices = db.session.scalar(
            select(func.count()).where(AnswerChoice.response_id == response.id)
        )
        answers = db.session.scalar(select(func.count()).where(Answer.response_id == response.id))
    assert (answers, choices) == (5, 8)
    # One INSERT … RETURNING for the five answers on both engines (each answer is placed by
    # its question, so the order SQLite gives them back in does not matter); the written
    # answer's text is in the same statement as the choices' NULLs.
    assert count("INSERT INTO survey_answers") == 1
    # The response: its INSERT, then one UPDATE for everything submitting sets.
    assert count("INSERT INTO survey_responses") == 1
    assert count("UPDATE survey_responses") == 1
    # The submission key: one upsert, no UPDATE that finds nothing, no savepoint for it.
    assert count("INSERT INTO submission_keys") == 1
    assert count("UPDATE submission_keys") == 0
    # A first submission has no response yet, so nothing asks whether its key was used.
    assert count("SELECT submission_keys") == 0
    # The area, its consultation and its survey: one statement; the priorities are not read.
    assert count("SELECT consultations.") == 0 and count("SELECT surveys.") == 0
    assert not any("consultation_priorities" in s for s in statements)
    # The response was made by this request: its answers are not looked for, and not read
    # again to submit it. The response is looked for once (the unique key catches a copy
    # made meanwhile), and the sections, needed only to show the form again, are not read.
    assert count("SELECT survey_answers.") == 0
    assert count("SELECT survey_responses.") == 1
    assert count("SELECT survey_sections.") == 0
    # Where the form went is worked out before the commit: nothing is loaded after it.
    last_write = max(i for i, s in enumerate(statements) if not s.startswith("SELECT"))
    assert all(not s.startswith("SELECT") for s in statements[last_write:])
    writes = [s for s in statements if not s.startswith(("SELECT", "SAVEPOINT", "RELEASE"))]
    assert writes[-1].startswith("INSERT INTO submission_keys")
    with app.app_context():
        texts = dict(
            db.session.execute(
                select(Answer.question_id, Answer.text).where(Answer.response_id == response.id)
            ).all()
        )
        values = dict(
            db.session.execute(
                select(Answer.question_id, Answer.value).where(Answer.response_id == response.id)
            ).all()
        )
    q, keys = world["q"], world["keys"]
    assert texts[q["why"]] == "Because the bus never came." and texts[q["age"]] is None
    assert values == {
        q["age"]: keys["age"][1],
        q["help"]: keys["help"],
        q["fair"]: "4",
        q["why"]: "Because the bus never came.",
        q["rank"]: list(reversed(keys["rank"])),
    }
    # The same form sent again goes to the same place, and nothing more is made.
    again = client.post_form(world["base"] + "/answer", data)
    assert again.status_code == 303 and again.headers["Location"] == sent[0].headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Answer.response_id == response.id)) == 5


def test_a_changed_draft_keeps_one_answer_per_question_and_the_new_options(
    app, client, auth, world
):
    """The bulk path also serves a second save over a draft: changed answers get their new
    options, unchanged ones are left, blanked ones go."""
    auth.login("member2@example.org", PASSWORD)
    q, keys = world["q"], world["keys"]
    first = {**_answers_form(world), "action": "save"}
    assert client.post_form(world["base"] + "/answer", first).status_code == 303
    second = {**first, f"q{q['help']}": [keys["help"][0]], f"q{q['why']}": ""}
    assert client.post_form(world["base"] + "/answer", second).status_code == 303
    with app.app_context():
        response = db.session.scalar(
            select(Response).where(Response.survey_id == world["survey_id"])
        )
        values = {
            a.question_id: a.value
            for a in db.session.scalars(select(Answer).where(Answer.response_id == response.id))
        }
        chosen = sorted(
            db.session.scalars(
                select(AnswerChoice.option_key).where(AnswerChoice.question_id == q["help"])
            )
        )
    assert values[q["help"]] == [keys["help"][0]] and chosen == [keys["help"][0]]
    assert q["why"] not in values and len(values) == 4


@pytest.mark.real_commits
def test_twelve_people_submitting_at_once_each_have_one_response(app, world, make_client):
    clients = []
    for n in range(1, 13):
        c = make_client()
        c.post_form("/sign-in", {"email": f"member{n}@example.org", "password": PASSWORD})
        c.csrf_token(refresh=True)
        clients.append(c)
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def go(c, n):
        data = {**_answers_form(world), "submission_key": f"twelve-at-once-{n:02d}"}
        barrier.wait()
        statuses.append(c.post_form(world["base"] + "/answer", data).status_code)

    threads = [threading.Thread(target=go, args=(c, n)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [303] * 12
    with app.app_context():
        rows = db.session.execute(
            select(Response.user_id, Response.status, func.count(Answer.id))
            .join(Answer, Answer.response_id == Response.id)
            .where(Response.survey_id == world["survey_id"])
            .group_by(Response.id, Response.user_id, Response.status)
        ).all()
        choices = db.session.scalar(
            select(func.count())
            .select_from(AnswerChoice)
            .join(Response, Response.id == AnswerChoice.response_id)
            .where(Response.survey_id == world["survey_id"])
        )
    assert len(rows) == 12 and len({user for user, _, _ in rows}) == 12
    assert all(status is ResponseStatus.SUBMITTED and n == 5 for _, status, n in rows)
    assert choices == 12 * 8


# --- the blank questions, kept per survey version --------------------------------------------


def _page(client, world) -> str:
    """The answer page's form, without what differs on every render (CSRF token, key)."""
    page = client.get(world["base"] + "/answer")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    start = html.index("data-survey-form>")
    form = html[start : html.index("</form>", start)]
    return _PER_RENDER.sub(r'\1"', form)


def test_the_kept_blank_questions_are_what_a_fresh_render_gives(
    app, client, auth, world, monkeypatch
):
    auth.login("member3@example.org", PASSWORD)
    blank_form.forget()
    kept = _page(client, world)
    again = _page(client, world)  # from the kept copy
    from forum.surveys.answering import views

    monkeypatch.setattr(views, "blank_questions", lambda *args: None)
    fresh = _page(client, world)  # rendered with the page, as before there was a copy
    assert kept == again == fresh
    assert 'name="q{}"'.format(world["q"]["age"]) in fresh


def test_an_edit_shows_at_once_even_one_that_moves_no_version(app, client, auth, world):
    auth.login("member4@example.org", PASSWORD)
    assert "Age?" in _page(client, world)
    with app.app_context():
        question = db.session.get(Question, world["q"]["age"])
        question.prompt = "How old is your child?"
        db.session.commit()
    page = _page(client, world)
    assert "How old is your child?" in page and "Age?" not in page
    with app.app_context():
        # A bulk UPDATE moves no version column: the kept copy is keyed by every column.
        db.session.execute(
            update(Question).where(Question.id == world["q"]["fair"]).values(prompt="Fair enough?")
        )
        db.session.commit()
    page = _page(client, world)
    assert "Fair enough?" in page and "How fair?" not in page


def test_someone_with_answers_saved_sees_their_own_not_the_blank_copy(app, client, auth, world):
    auth.login("member5@example.org", PASSWORD)
    q, keys = world["q"], world["keys"]
    blank = _page(client, world)
    assert "checked" not in blank.split('name="q{}"'.format(q["age"]))[1][:200]
    saved = {f"q{q['age']}": keys["age"][1], "action": "save"}
    assert client.post_form(world["base"] + "/answer", saved).status_code == 303
    mine = _page(client, world)
    assert re.search(r'value="{}"\s+checked'.format(re.escape(keys["age"][1])), mine)


@pytest.mark.real_commits
def test_answer_pages_of_people_last_seen_a_while_ago_never_fail_while_others_send(
    app, world, make_client
):
    """Each GET by someone last seen over a minute ago writes that they were seen. On SQLite
    that write comes after the GET's reads; while others' submissions commit it must wait for
    the lock, not fail with "database is locked"."""
    from datetime import timedelta

    from forum.accounts.security.models import UserSession
    from forum.models import utcnow

    clients = []
    for n in range(1, 13):
        c = make_client()
        c.post_form("/sign-in", {"email": f"member{n}@example.org", "password": PASSWORD})
        c.csrf_token(refresh=True)
        clients.append(c)
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=2)))
        db.session.commit()
    barrier = threading.Barrier(len(clients))
    statuses: list[tuple[int, int]] = []

    def go(c, n):
        barrier.wait()
        page = c.get(world["base"] + "/answer").status_code
        data = {**_answers_form(world), "submission_key": f"seen-a-while-ago-{n:02d}"}
        statuses.append((page, c.post_form(world["base"] + "/answer", data).status_code))

    threads = [threading.Thread(target=go, args=(c, n)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [(200, 303)] * 12
    with app.app_context():
        stale = db.session.scalar(
            select(func.count())
            .select_from(UserSession)
            .where(UserSession.last_seen_at < utcnow() - timedelta(minutes=1))
        )
    assert stale == 0
