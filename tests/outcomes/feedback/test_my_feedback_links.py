"""What happened to my feedback links each promise and each post without a query per link:
commitments under different priorities (a commitment's link needs its priority, plan and area)
and posts on different boards (a post's link needs its board) cost no more statements than
one of each."""

from __future__ import annotations

from forum.extensions import db
from forum.models import utcnow
from tests.factories import (
    make_board,
    make_commitment,
    make_consultation,
    make_post,
    make_priority,
    make_question,
    make_response,
    make_survey,
    make_thread,
)
from tests.outcomes.worlds import answer_of, decide, link, published_theme, theme_on_pats_answer
from tests.support import assert_same_count, statements_for

URL = "/account/feedback"


def _responded(consultation_id) -> None:
    from forum.consultations.models import Consultation

    db.session.get(Consultation, consultation_id).responded_at = utcnow()
    db.session.commit()


def _consultation_with_its_own_links(world, n: int) -> None:
    """A responded consultation where Pat answered once and posted once (on the
    consultation's own board), the answer in a theme whose decision promises a commitment
    under a priority of its own."""
    area, pat = world["area"], world["pat"]
    consultation = make_consultation(area, state="responded", title=f"Round {n}")
    survey = make_survey(consultation)
    question = make_question(survey, kind="long_text", prompt=f"Q{n}")
    response = make_response(
        survey, user=pat, status="submitted", answers={question: f"Answer {n}"}
    )
    theme = published_theme(consultation, title=f"Theme {n}")
    link(theme, "answer", answer_id=answer_of(response, question).id)
    priority = make_priority(area, code=f"Q{n}", title=f"Priority {n}")
    commitment = make_commitment(priority, world["council"], title=f"Promise {n}")
    decide(theme, world["council"], commitments=[commitment])
    board = make_board(area, consultation=consultation, visibility="public")
    thread = make_thread(board, pat, title=f"Talk {n}", body=f"Opening {n}")
    make_post(thread, pat, body=f"Reply {n}")


def test_links_to_promises_and_posts_cost_no_query_each(app, client, auth, feedback_world):
    with app.app_context():
        theme = theme_on_pats_answer(feedback_world, title="Waiting too long")
        decide(theme, feedback_world["council"], commitments=[feedback_world["commitment"]])
        _responded(feedback_world["consultation"].id)
    auth.login("pat@example.org")
    small = statements_for(app, client, URL)
    with app.app_context():
        for n in range(4):
            _consultation_with_its_own_links(feedback_world, n)
    large = statements_for(app, client, URL)
    page = client.get(URL).get_data(as_text=True)
    assert "Promise 3" in page and "Reply 3" in page and "Cut waiting times" in page
    assert_same_count(URL, small, large)
