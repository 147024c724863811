"""The "What happened to my feedback" page: whose feedback is listed, where it went, paging,
htmx, escaping and the number of queries.

The world is `feedback_world` (tests/outcomes/conftest.py), fresh for each test; the helpers
that build a small ledger directly (themes, evidence, decisions and links), as the outcome
services would, are in tests/outcomes/worlds.py, shared with the notify tests.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from forum.areas.models import Role
from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.feedback import queries as my_feedback
from forum.outcomes.feedback.views import with_chains
from forum.plans.models import Commitment
from forum.surveys.models import Answer
from tests.factories import (
    make_area,
    make_board,
    make_commitment,
    make_consultation,
    make_partner,
    make_person_in,
    make_post,
    make_priority,
    make_question,
    make_response,
    make_survey,
    make_theme,
    make_thread,
    make_user,
)
from tests.outcomes.worlds import (
    answer_of,
    decide,
    link,
    published_theme,
    tag,
    theme_on_pats_answer,
)
from tests.support import RTL_EMOJI, SCRIPT, assert_same_count, statements_for

#: this page has no POST endpoints; the shared "every POST route is covered" count adds these
POSTS: dict = {}

URL = "/account/feedback"


def mark_responded(consultation_id) -> None:
    from forum.consultations.models import Consultation

    db.session.get(Consultation, consultation_id).responded_at = utcnow()
    db.session.commit()


def page_of(client, auth, email: str, url: str = URL) -> str:
    auth.login(email)
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- access ----------------------------------------------------------------------------------


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    htmx = client.htmx_get(URL)
    assert htmx.status_code == 204 and "/sign-in" in htmx.headers["HX-Redirect"]


def test_account_page_links_to_it(app, client, auth, feedback_world):
    html = page_of(client, auth, "pat@example.org", "/account")
    assert 'href="/account/feedback"' in html
    assert "What happened to my feedback" in html


def test_someone_with_no_feedback_sees_that_plainly(app, client, auth):
    with app.app_context():
        make_user(email="new@example.org")
    html = page_of(client, auth, "new@example.org")
    assert "You have not answered a consultation or written in a discussion yet" in html
    assert "anonymous surveys are not listed" in html


# --- what is listed --------------------------------------------------------------------------


def test_lists_own_answers_and_posts_never_anyone_elses(app, client, auth, feedback_world):
    html = page_of(client, auth, "pat@example.org")
    assert "Getting an assessment" in html
    assert "Shorter waits for assessments" in html
    assert "We waited a year" in html
    assert "Waiting lists" in html
    assert "Sam&#39;s private words" not in html and "Sam's private words" not in html
    # A choice with no words of their own is not something they said.
    assert "2 things you said" in html
    assert "Your answer to “Did you wait long?”" not in html


def test_anonymous_surveys_and_drafts_are_not_listed(app, client, auth, feedback_world):
    with app.app_context():
        other = make_consultation(feedback_world["area"], state="open", title="Short breaks")
        survey = make_survey(other, is_anonymous=True)
        q = make_question(survey, kind="short_text", prompt="Anything else?")
        make_response(
            survey, user=feedback_world["pat"], status="submitted", answers={q: "Anonymous words"}
        )
        third = make_consultation(feedback_world["area"], state="open", title="Transport")
        survey3 = make_survey(third)
        q3 = make_question(survey3, kind="short_text", prompt="How do you travel?")
        make_response(
            survey3, user=feedback_world["pat"], status="draft", answers={q3: "Draft words"}
        )
    html = page_of(client, auth, "pat@example.org")
    assert "Anonymous words" not in html and "Short breaks" not in html
    assert "Draft words" not in html and "Transport" not in html
    assert "Answers you gave to anonymous surveys are not listed here" in html


@pytest.mark.parametrize("status", [PostStatus.HIDDEN, PostStatus.DELETED, PostStatus.REPORTED])
def test_hidden_and_deleted_posts_are_not_listed(app, client, auth, feedback_world, status):
    with app.app_context():
        db.session.get(Post, feedback_world["post"].id).status = status
        db.session.commit()
    html = page_of(client, auth, "pat@example.org")
    assert "We waited a year" not in html
    assert "1 thing you said" in html


def test_posts_waiting_for_an_organiser_are_listed_and_say_so(app, client, auth, feedback_world):
    with app.app_context():
        db.session.get(Post, feedback_world["post"].id).status = PostStatus.HELD
        db.session.commit()
    html = page_of(client, auth, "pat@example.org")
    assert "We waited a year" in html
    assert my_feedback.HELD in html


def test_area_board_posts_are_under_other_discussions(app, client, auth, feedback_world):
    with app.app_context():
        board = make_board(feedback_world["area"], name="General chat", visibility="members")
        make_thread(
            board, feedback_world["pat"], title="Summer clubs", body="Any ideas for summer?"
        )
    html = page_of(client, auth, "pat@example.org")
    assert "Other discussions" in html
    assert "Any ideas for summer?" in html
    # The newest group comes first.
    assert html.index("Other discussions") < html.index("Getting an assessment")


def test_what_people_wrote_is_escaped(app, client, auth, feedback_world):
    with app.app_context():
        consultation = make_consultation(feedback_world["area"], state="open", title="Words")
        survey = make_survey(consultation)
        q = make_question(survey, kind="long_text", prompt="Tell us")
        make_response(
            survey,
            user=feedback_world["pat"],
            status="submitted",
            answers={q: SCRIPT + " " + RTL_EMOJI},
        )
    html = page_of(client, auth, "pat@example.org")
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;" in html
    assert RTL_EMOJI in html


def test_long_answers_are_cut_short(app, client, auth, feedback_world):
    with app.app_context():
        consultation = make_consultation(feedback_world["area"], state="open", title="Long")
        survey = make_survey(consultation)
        q = make_question(survey, kind="long_text", prompt="Tell us everything")
        make_response(
            survey, user=feedback_world["pat"], status="submitted", answers={q: "word " * 300}
        )
    html = page_of(client, auth, "pat@example.org")
    assert "word word…" in html
    assert "word " * 60 not in html


# --- where it went ---------------------------------------------------------------------------


def test_closed_with_nothing_published_says_the_forum_is_still_working(
    app, client, auth, feedback_world
):
    with app.app_context():
        make_theme(feedback_world["consultation"], title="Unpublished theme")  # not published
    html = page_of(client, auth, "pat@example.org")
    assert my_feedback.STILL_WORKING in html
    assert "Unpublished theme" not in html


def test_open_consultations_say_still_open(app, client, auth, feedback_world):
    with app.app_context():
        consultation = make_consultation(feedback_world["area"], state="open", title="Now open")
        survey = make_survey(consultation)
        q = make_question(survey, kind="short_text", prompt="Hello?")
        make_response(survey, user=feedback_world["pat"], status="submitted", answers={q: "Hi"})
    html = page_of(client, auth, "pat@example.org")
    assert "Still open" in html


def test_published_theme_decision_and_current_commitment_status(app, client, auth, feedback_world):
    with app.app_context():
        theme = theme_on_pats_answer(feedback_world, title="Waiting too long")
        decide(
            theme,
            feedback_world["council"],
            outcome="partly_adopted",
            explanation="We will hire two more assessors.",
            commitments=[feedback_world["commitment"]],
        )
        other = make_partner(feedback_world["area"], name="Northshire ICB")
        decide(theme, other, published=False, explanation="Draft words of the ICB")
        mark_responded(feedback_world["consultation"].id)
        # The commitment moves on later: the page shows where it is now.
        db.session.get(Commitment, feedback_world["commitment"].id).status = "at_risk"
        db.session.commit()
    html = page_of(client, auth, "pat@example.org")
    assert "Waiting too long" in html
    assert "Northshire County Council" in html
    assert "Partly adopted" in html
    assert "We will hire two more assessors." in html
    assert "Cut waiting times" in html
    assert "At risk" in html and "40% done" in html
    assert "Northshire ICB" not in html and "Draft words of the ICB" not in html


def test_unpublished_themes_are_never_shown(app, client, auth, feedback_world):
    with app.app_context():
        theme = make_theme(feedback_world["consultation"], title="Secret draft theme")
        link(theme, "answer", answer_id=feedback_world["pat_text"].id)
        decide(theme, feedback_world["council"], explanation="Hidden decision")
    html = page_of(client, auth, "pat@example.org")
    assert "Secret draft theme" not in html and "Hidden decision" not in html


def test_a_theme_with_no_answers_yet_says_so(app, client, auth, feedback_world):
    with app.app_context():
        theme = published_theme(feedback_world["consultation"], title="Nobody answered")
        link(theme, "post", post_id=feedback_world["post"].id)
        mark_responded(feedback_world["consultation"].id)
    html = page_of(client, auth, "pat@example.org")
    assert "Nobody answered" in html
    assert "No partner has answered this theme yet." in html


def test_answers_feed_themes_through_codes_questions_and_chosen_options(
    app, client, auth, feedback_world
):
    with app.app_context():
        code = tag(feedback_world["pat_text"], feedback_world["survey"])
        by_code = published_theme(feedback_world["consultation"], title="Theme by code")
        link(by_code, "code", code_id=code.id)
        by_question = published_theme(feedback_world["consultation"], title="Theme by question")
        link(by_question, "question", question_id=feedback_world["text_q"].id)
        chosen = published_theme(feedback_world["consultation"], title="Theme by chosen option")
        link(chosen, "question", question_id=feedback_world["choice_q"].id, option_key="yes")
        not_chosen = published_theme(feedback_world["consultation"], title="Theme by other option")
        link(not_chosen, "question", question_id=feedback_world["choice_q"].id, option_key="no")
        mark_responded(feedback_world["consultation"].id)
    html = page_of(client, auth, "pat@example.org")
    assert "Theme by code" in html
    assert "Theme by question" in html
    # A chosen option is not something Pat said in her own words, so it is not listed (the
    # theme it feeds is still published on the consultation's page); nor is Sam's "no".
    assert "Theme by chosen option" not in html
    assert "Theme by other option" not in html
    # The post is not linked to a published theme.
    assert my_feedback.NOT_IN_A_THEME in html


def test_feedback_page_groups_and_links_in_queries(app, feedback_world):
    with app.app_context(), app.test_request_context():
        from forum.accounts.models import User

        theme = published_theme(feedback_world["consultation"], title="Waiting too long")
        link(theme, "post", post_id=feedback_world["post"].id)
        mark_responded(feedback_world["consultation"].id)
        found = my_feedback.feedback_page(db.session.get(User, feedback_world["pat"].id))
        assert [g.title for g in found.groups] == ["Getting an assessment"]
        items = found.groups[0].items
        assert {i.kind for i in items} == {"answer", "post"}
        post_item = next(i for i in items if i.kind == "post")
        assert post_item.theme_ids == [theme.id]
        with_chains(found)
        assert found.groups[0].chains[theme.id].title == "Waiting too long"
        assert "Waiting too long" in found.groups[0].chains[theme.id].html
        assert post_item.url.endswith("#post-1")
        assert post_item.where == "Waiting lists"


# --- paging, htmx and queries ----------------------------------------------------------------


def add_many(area, user, *, consultations: int, questions: int, posts: int) -> None:
    """Many answers, in many consultations, each consultation responded with a published
    theme, a decision and a commitment of its own, plus posts in an area board."""
    priority = make_priority(area, code=f"P{utcnow().microsecond}", title="More")
    for n in range(consultations):
        consultation = make_consultation(area, state="responded", title=f"Consultation {n}")
        survey = make_survey(consultation)
        qs = [
            make_question(survey, kind="short_text", prompt=f"Q{n}.{i}") for i in range(questions)
        ]
        response = make_response(
            survey,
            user=user,
            status="submitted",
            answers={q: f"Answer {n}.{i}" for i, q in enumerate(qs)},
        )
        partner = make_partner(area, name=f"Partner {n}")
        commitment = make_commitment(priority, partner, title=f"Promise {n}")
        for q in qs:
            theme = published_theme(consultation, title=f"Theme {n} {q.prompt}")
            link(theme, "answer", answer_id=answer_of(response, q).id)
            decide(theme, partner, commitments=[commitment])
    if posts:
        board = make_board(area, name="Chat", visibility="members")
        for n in range(posts):
            thread = make_thread(board, user, title=f"Thread {n}", body=f"Opening {n}")
            make_post(thread, user, body=f"Reply {n}")


def test_paging_keeps_groups_in_order(app, client, auth, feedback_world):
    with app.app_context():
        add_many(
            feedback_world["area"], feedback_world["pat"], consultations=3, questions=10, posts=0
        )
    first = page_of(client, auth, "pat@example.org")
    assert "32 things you said, page 1 of 2" in first
    assert "?page=2" in first
    second = client.get(URL + "?page=2").get_data(as_text=True)
    assert "page 2 of 2" in second
    # The oldest consultation is last.
    assert "Getting an assessment" in second and "Getting an assessment" not in first


def test_htmx_gets_only_the_list(app, client, auth, feedback_world):
    auth.login("pat@example.org")
    response = client.htmx_get(URL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "Shorter waits for assessments" in html
    assert "HX-Request" in response.headers["Vary"]
    full = client.get(URL)
    assert "<html" in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]


def test_query_count_does_not_grow_with_feedback(app, client, auth, feedback_world):
    with app.app_context():
        theme = theme_on_pats_answer(feedback_world, title="Waiting too long")
        decide(theme, feedback_world["council"], commitments=[feedback_world["commitment"]])
        mark_responded(feedback_world["consultation"].id)
    auth.login("pat@example.org")
    small = statements_for(app, client, URL)
    with app.app_context():
        add_many(
            feedback_world["area"], feedback_world["pat"], consultations=29, questions=10, posts=5
        )
    large = statements_for(app, client, URL)
    assert_same_count(URL, small, large)
    # Every page of a heavy user's feedback costs the same.
    last = statements_for(app, client, URL + "?page=13")
    assert_same_count(URL + "?page=13", small, last)


def test_decide_by_overdue_flag_on_the_page(app, client, auth, feedback_world):
    with app.app_context():
        theme = theme_on_pats_answer(feedback_world, title="Needs thought")
        decide(
            theme,
            feedback_world["council"],
            outcome="under_consideration",
            decide_by=date.today() - timedelta(days=3),
        )
        mark_responded(feedback_world["consultation"].id)
    html = page_of(client, auth, "pat@example.org")
    assert "Under consideration" in html
    assert "Overdue by" in html


# --- whoever asks, it is only ever their own -------------------------------------------------


@pytest.mark.parametrize(
    "who", ["member", "organiser", "responder", "other_responder", "other_organiser", "admin"]
)
def test_everyone_sees_only_their_own_feedback(app, client, auth, feedback_world, who):
    with app.app_context():
        area = feedback_world["area"]
        elsewhere = make_area(slug="southshire")
        person = {
            "member": lambda: make_person_in(area, Role.MEMBER),
            "organiser": lambda: make_person_in(area, Role.ORGANISER),
            "responder": lambda: make_person_in(area, None),
            "other_responder": lambda: make_person_in(area, None),
            "other_organiser": lambda: make_person_in(elsewhere, Role.ORGANISER),
            "admin": lambda: make_user(is_admin=True),
        }[who]()
        if who in ("responder", "other_responder"):
            from tests.factories import make_membership

            partner = feedback_world["council"] if who == "responder" else make_partner(area)
            make_membership(person, area, Role.RESPONDER, partner=partner)
        theme = theme_on_pats_answer(feedback_world, title="Waiting too long")
        decide(theme, feedback_world["council"])
        mark_responded(feedback_world["consultation"].id)
    html = page_of(client, auth, person.email)
    for words in ("Shorter waits", "We waited a year", "Sam&#39;s private", "Waiting too long"):
        assert words not in html
    assert "You have not answered a consultation" in html
    # No address takes someone else's id: the page has no such parameter.
    other = client.get(URL + f"?user={feedback_world['pat'].id}").get_data(as_text=True)
    assert "Shorter waits" not in other


# --- excerpts --------------------------------------------------------------------------------


def test_post_excerpts_leave_out_quoted_lines_and_markup():
    body = "> Someone else's words\n\nI **really** agree, see [the report](https://x.org/a).\n- one"
    assert my_feedback.post_excerpt(body) == "I really agree, see the report. one"
    assert my_feedback.post_excerpt("snake_case and 2*3*4") == "snake_case and 2*3*4"


@pytest.mark.parametrize(
    ("kind", "value", "text", "expected"),
    [
        ("multiple_choice", ["yes_please", "other"], "Respite", "Yes please, Other: Respite"),
        ("ranking", ["no_thanks", "yes_please"], None, "No thanks > Yes please"),
        ("yes_no", "not_sure", None, "Not sure"),
        ("scale", "5", None, "5 – Very good"),
        ("number", 3, None, "3"),
        ("date", "2026-03-27", None, "27 March 2026"),
        ("short_text", "Hello", "Hello", "Hello"),
        ("single_choice", None, None, ""),
    ],
)
def test_answer_excerpts_in_words(kind, value, text, expected):
    from forum.surveys.models import Question, QuestionKind

    question = Question(
        kind=QuestionKind(kind),
        options=[
            {"value": "yes_please", "label": "Yes please"},
            {"value": "no_thanks", "label": "No thanks"},
        ],
        has_other=True,
        scale_low_label="Very poor",
        scale_high_label="Very good",
    )
    assert my_feedback.answer_excerpt(Answer(value=value, text=text), question) == expected
