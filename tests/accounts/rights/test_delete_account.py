"""Delete my account: what the person is shown first, and what is left afterwards (issue 12,
families' data rights). The canary test plants a unique word in every personal field the person
can fill and, after the deletion, reads every text column of every table for it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import JSON, String, Text, func, select, text

from forum.accounts.models import User
from forum.areas.models import Membership
from forum.audit.models import AuditEvent
from forum.discussions.models import Post, PostStatus, Report, Thread
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from forum.notifications.services import deliver_pending
from forum.outcomes.themes.models import Evidence
from forum.surveys.models import Answer, AnswerChoice, Question, Response, Survey
from forum.surveys.queries import questions_of
from forum.surveys.results.queries import survey_results
from tests.accounts.rights.worlds import World, populate
from tests.conftest import AuthActions
from tests.factories import PASSWORD


@pytest.fixture(scope="module")
def world(world_app) -> World:
    """Built once for the module; each test deletes inside a savepoint rolled back when it
    ends, so the next one finds the account again."""
    with world_app.app_context():
        return populate()


def delete(client, password=PASSWORD, **kwargs):
    return client.post_form("/account/delete", {"password": password}, **kwargs)


def _text_columns(table):
    return [
        column
        for column in table.columns
        if isinstance(column.type, String | Text | JSON)
        or isinstance(getattr(column.type, "impl", None), String | Text)
    ]


def survivors(needle: str) -> list[str]:
    """Every table.column (of every table in the models) whose text holds `needle`."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = _text_columns(table)
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                shown = value if isinstance(value, str) else json.dumps(value)
                if value is not None and needle.lower() in shown.lower():
                    found.append(f"{table.name}.{column.name}")
    return sorted(set(found))


def _counts(survey_id: int) -> dict:
    survey = db.session.get(Survey, survey_id)
    questions = questions_of(survey)
    results = survey_results(survey, questions, exact=True)
    return {
        "total": results.total.value,
        "questions": [
            (
                q.question.prompt,
                q.answered.value,
                [(o.key, o.count.value) for o in q.options],
            )
            for q in results.questions
        ],
        "choices": db.session.scalar(select(func.count()).select_from(AnswerChoice)),
    }


def test_the_page_says_what_will_happen_before_anything_does(app, client, auth, world):
    auth.login(world.person_email)
    response = client.get("/account/delete")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    for words in (
        "cannot be undone",
        "Your posts (3)",
        "reads “removed”",
        "still count in the results",
        "You are the only organiser of Southshire Parent Carer Forum",
        'type="password"',
    ):
        assert words in page, words
    with app.app_context():
        assert db.session.get(User, world.person_id) is not None


@pytest.mark.parametrize(
    "password, message",
    [
        ("", "Enter your password to delete your account"),
        ("not-my-password-at-all", "Your password is not right"),
        ("bad\x01control", "Password must not contain control characters"),
        ("x" * 2000, "characters or fewer"),
    ],
    ids=["empty", "wrong", "control", "too long"],
)
def test_a_wrong_password_deletes_nothing(app, client, auth, world, password, message):
    auth.login(world.person_email)
    response = delete(client, password)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    with app.app_context():
        assert db.session.get(User, world.person_id) is not None
    assert client.get("/account").status_code == 200


def test_no_canary_survives_in_any_table(app, client, auth, world):
    with app.app_context():
        # Every planted value is somewhere before, so the scan below can see each one.
        before = survivors(world.canary)
        assert {"users.display_name", "users.email", "account_tokens.new_email"} <= set(before)
        assert {"posts.body", "post_revisions.body", "threads.title"} <= set(before)
        assert {"survey_answers.text", "post_reports.detail", "memberships.request_note"} <= set(
            before
        )
        assert {
            "outbox_messages.to_address",
            "outbox_messages.body_text",
            "outbox_messages.body_html",
            "email_address_status.address",
        } <= set(before)
    auth.login(world.person_email)
    response = delete(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/deleted"
    with app.app_context():
        # The one email left is the goodbye; once it is sent, nothing of the person is left.
        waiting = db.session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.to_address == world.person_email)
        ).all()
        assert waiting == ["account_deleted"]
        assert survivors(world.canary) == ["outbox_messages.to_address"]
        app.config["MAIL_TRANSPORT"] = "console"
        deliver_pending()
        assert survivors(world.canary) == []
        # The search indexes (SQLite's FTS5 tables) find none of the words either.
        if db.engine.dialect.name == "sqlite":
            for table in ("post_search", "thread_search"):
                hits = db.session.execute(
                    text(f"SELECT count(*) FROM {table} WHERE {table} MATCH :word"),  # noqa: S608 - our own table names
                    {"word": f'"{world.canary}"*'},
                ).scalar()
                assert hits == 0, table


def test_nothing_points_at_the_deleted_account(app, client, auth, world):
    auth.login(world.person_email)
    delete(client)
    with app.app_context():
        wrong = []
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                points = any(fk.column.table.name == "users" for fk in column.foreign_keys)
                if points and db.session.scalar(
                    select(func.count()).select_from(table).where(column == world.person_id)
                ):
                    wrong.append(f"{table.name}.{column.name}")
        assert wrong == []
        about = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.subject_type == "User")
            .where(AuditEvent.subject_id == world.person_id)
        )
        assert about == 0
        # The anonymous response can no longer be found from the account either.
        keys = db.session.scalars(
            select(Response.respondent_key).where(Response.survey_id == world.anonymous_survey_id)
        ).all()
        assert keys == [None]


def test_counts_stay_and_the_answers_become_anonymous(app, client, auth, world):
    with app.app_context():
        before = _counts(world.survey_id)
        evidence = db.session.scalar(select(func.count()).select_from(Evidence))
        responses = db.session.scalar(select(func.count()).select_from(Response))
    auth.login(world.person_email)
    delete(client)
    with app.app_context():
        assert _counts(world.survey_id) == before
        assert db.session.scalar(select(func.count()).select_from(Evidence)) == evidence
        # Only the draft, never counted, is gone.
        assert db.session.scalar(select(func.count()).select_from(Response)) == responses - 1
        mine = db.session.scalars(
            select(Response).where(
                Response.survey_id == world.survey_id, Response.may_quote.is_(False)
            )
        ).all()
        assert len(mine) == 1
        (response,) = mine
        assert response.user_id is None and response.respondent_key is None
        assert response.submitted_at.hour == 0 and response.submitted_at.minute == 0
        answers = {
            prompt: (value, words)
            for prompt, value, words in db.session.execute(
                select(Question.prompt, Answer.value, Answer.text)
                .join(Answer, Answer.question_id == Question.id)
                .where(Answer.response_id == response.id)
            )
        }
        assert answers["How many children?"][0] == 3
        assert answers["How do you travel?"][0] == "other"
        assert answers["When did it start?"][0] is None
        assert answers["Tell us more"][1].startswith("[Removed")


def test_posts_read_removed_and_threads_keep_their_shape(app, client, auth, world):
    with app.app_context():
        posts = db.session.scalar(select(func.count()).select_from(Post))
        replies = db.session.get(Thread, world.thread_id).reply_count
    auth.login(world.person_email)
    delete(client)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == posts
        thread = db.session.get(Thread, world.thread_id)
        assert thread.author_id is None and thread.reply_count == replies
        opening = db.session.scalar(
            select(Post).where(Post.thread_id == thread.id, Post.number == 1)
        )
        assert opening.status is PostStatus.DELETED and opening.body == ""
        assert db.session.scalar(select(func.count()).select_from(Report)) == 1
    auth.login(world.other_email)
    page = client.get(f"/areas/{world.area_slug}/discussions/threads/{world.thread_id}")
    text_ = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Post removed by its author" in text_ and "Welcome" in text_


def test_sessions_end_at_once_on_every_device(app, client, auth, make_client, world):
    other_device = make_client()
    AuthActions(other_device).login(world.person_email, PASSWORD)
    assert other_device.get("/account").status_code == 200
    auth.login(world.person_email)
    delete(client)
    for browser in (client, other_device):
        response = browser.get("/account")
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert client.get("/account/deleted").status_code == 200
    # Nor can anyone sign in with the old address and password.
    client.csrf = None
    again = client.post_form("/sign-in", {"email": world.person_email, "password": PASSWORD})
    assert again.status_code == 422


def test_another_members_data_is_untouched(app, client, auth, world):
    def theirs():
        with app.app_context():
            other = db.session.get(User, world.other_id)
            return {
                "user": (other.email, other.display_name, other.session_token),
                "memberships": db.session.scalars(
                    select(Membership.request_note).where(Membership.user_id == other.id)
                ).all(),
                "posts": db.session.scalars(
                    select(Post.body).where(Post.author_id == other.id).order_by(Post.id)
                ).all(),
                "answers": db.session.scalars(
                    select(Answer.text)
                    .join(Response, Response.id == Answer.response_id)
                    .where(Response.user_id == other.id)
                ).all(),
                "emails": db.session.scalars(
                    select(OutboxMessage.subject)
                    .where(OutboxMessage.to_address == other.email)
                    .order_by(OutboxMessage.id)
                ).all(),
                "audit": db.session.scalar(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.actor_id == other.id)
                ),
            }

    before = theirs()
    assert before["posts"] and before["answers"] and before["emails"]
    auth.login(world.person_email)
    delete(client)
    after = theirs()
    # The reply emails they got name the deleted person's thread: its title is gone from them.
    assert [s for s in after["emails"] if world.canary in s] == []
    assert len(after["emails"]) == len(before["emails"])
    assert {k: v for k, v in after.items() if k != "emails"} == {
        k: v for k, v in before.items() if k != "emails"
    }


def test_admins_are_told_an_area_lost_its_only_organiser(app, client, auth, world):
    auth.login(world.person_email)
    delete(client)
    with app.app_context():
        told = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "area_without_organiser")
        ).all()
        assert [m.to_address for m in told] == [world.admin_email]
        assert "Southshire Parent Carer Forum has no organiser" in told[0].subject
        assert world.canary not in told[0].body_text


def test_the_goodbye_email_is_erased_once_sent(app, client, auth, world):
    auth.login(world.person_email)
    delete(client)
    with app.app_context():
        goodbye = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "account_deleted")
        )
        assert goodbye.to_address == world.person_email
        assert "has been deleted" in goodbye.subject and world.canary not in goodbye.body_text
        app.config["MAIL_TRANSPORT"] = "console"
        assert deliver_pending()["sent"] >= 1
        assert (
            db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "account_deleted"))
            is None
        )
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "account.deleted", AuditEvent.actor_id.is_(None))
            )
            == 1
        )


def test_htmx_gets_a_redirect_header(client, auth, world):
    auth.login(world.person_email)
    response = delete(client, htmx=True)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/account/deleted"


def test_their_quote_leaves_the_ledger_and_the_theme_keeps_its_count(app, client, auth, world):
    from forum.outcomes.themes.models import Theme
    from forum.outcomes.themes.queries import theme_quotes

    with app.app_context():
        theme_id = db.session.scalar(select(Theme.id).where(Theme.title == "Getting to school"))
        before = theme_quotes([theme_id])[theme_id]
        assert [quote.text for quote in before] == [world.planted["long"]]
    auth.login(world.person_email)
    delete(client)
    with app.app_context():
        assert theme_quotes([theme_id]) == {}
        assert (
            db.session.scalar(
                select(func.count()).select_from(Evidence).where(Evidence.theme_id == theme_id)
            )
            == 1
        )


def test_the_only_administrator_is_warned_and_may_still_go(app, client, auth, world):
    auth.login(world.admin_email)
    page = client.get("/account/delete").get_data(as_text=True)
    assert "You are the only platform administrator" in page
    assert delete(client).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.is_admin)) == 0
