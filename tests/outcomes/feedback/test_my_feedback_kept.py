"""What happened to my feedback keeps each published theme's chain (its decisions, their
commitments, a national outcome) for everyone, under the area's data version: a change to any
of it shows on the next page; the chain is shared, but which items fed it, and the items
themselves, are each person's own; and the page costs the same number of statements whether
its chains were kept or made."""

from __future__ import annotations

from forum.extensions import db
from forum.outcomes.decisions.models import Decision
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment
from tests.outcomes.worlds import decide, link, theme_on_pats_answer
from tests.support import assert_same_count, statements_for

URL = "/account/feedback"


class Visits:
    """The page as one person or another, each signed in when their turn comes."""

    def __init__(self, client, auth):
        self.client, self.auth, self.who = client, auth, None

    def page_of(self, email: str) -> str:
        if self.who != email:
            if self.who:
                self.auth.logout()
            self.auth.login(email)
            self.who = email
        response = self.client.get(URL)
        assert response.status_code == 200
        return response.get_data(as_text=True)


def a_decided_theme(world) -> tuple[int, int]:
    theme = theme_on_pats_answer(world, title="Waiting too long")
    decision = decide(
        theme,
        world["council"],
        outcome="partly_adopted",
        explanation="We will hire two more assessors.",
        commitments=[world["commitment"]],
    )
    return theme.id, decision.id


def test_a_changed_decision_and_commitment_show_on_the_next_page(app, client, auth, feedback_world):
    visits = Visits(client, auth)
    assert app.config["FRAGMENT_CACHE_SECONDS"]
    with app.app_context():
        _theme_id, decision_id = a_decided_theme(feedback_world)
    first = visits.page_of("pat@example.org")
    assert "We will hire two more assessors." in first and "40% done" in first
    # kept now: the same words again
    assert "We will hire two more assessors." in visits.page_of("pat@example.org")
    with app.app_context():
        db.session.get(Decision, decision_id).explanation = "We will hire three more assessors."
        commitment = db.session.get(Commitment, feedback_world["commitment"].id)
        commitment.status = "at_risk"
        commitment.progress = 55
        db.session.commit()
    html = visits.page_of("pat@example.org")
    assert "We will hire three more assessors." in html
    assert "two more assessors" not in html
    assert "At risk" in html and "55% done" in html


def test_an_unpublished_theme_goes_at_once(app, client, auth, feedback_world):
    visits = Visits(client, auth)
    with app.app_context():
        theme_id, _decision_id = a_decided_theme(feedback_world)
    assert "Waiting too long" in visits.page_of("pat@example.org")
    with app.app_context():
        db.session.get(Theme, theme_id).published_at = None
        db.session.commit()
    html = visits.page_of("pat@example.org")
    assert "Waiting too long" not in html and "two more assessors" not in html
    # Pat's answer is still listed, now as feeding no published theme
    assert "Shorter waits for assessments" in html


def test_the_kept_chain_is_shared_but_each_person_sees_only_their_own_words(
    app, client, auth, feedback_world
):
    visits = Visits(client, auth)
    with app.app_context():
        theme_id, _decision_id = a_decided_theme(feedback_world)
        link(db.session.get(Theme, theme_id), "answer", answer_id=feedback_world["sam_text"].id)
    pats = visits.page_of("pat@example.org")
    assert "Shorter waits for assessments" in pats
    sams = visits.page_of("sam@example.org")
    # the same theme and decision, kept when Pat's page was made
    assert "Waiting too long" in sams and "We will hire two more assessors." in sams
    # with Sam's words under it, never Pat's
    assert "Sam&#39;s private words about school" in sams
    assert "Shorter waits for assessments" not in sams and "We waited a year" not in sams
    assert "Sam&#39;s private words" not in visits.page_of("pat@example.org")


def test_a_new_link_to_a_kept_theme_shows_at_once(app, client, auth, feedback_world):
    visits = Visits(client, auth)
    with app.app_context():
        theme_id, _decision_id = a_decided_theme(feedback_world)
    html = visits.page_of("pat@example.org")
    assert html.count("What you said that is part of it") == 1
    # the post fed no published theme yet
    assert "We waited a year" in html.split("Not in a published theme")[1]
    with app.app_context():
        link(db.session.get(Theme, theme_id), "post", post_id=feedback_world["post"].id)
    html = visits.page_of("pat@example.org")
    part_of_it = html.split("What you said that is part of it")[1]
    assert "We waited a year" in part_of_it and "Shorter waits for assessments" in part_of_it
    assert "Not in a published theme" not in html


def test_statements_are_the_same_kept_or_made(app, client, auth, feedback_world):
    with app.app_context():
        a_decided_theme(feedback_world)
    auth.login("pat@example.org")
    kept = statements_for(app, client, URL)
    app.config["FRAGMENT_CACHE_SECONDS"] = 0
    try:
        made = statements_for(app, client, URL)
    finally:
        app.config["FRAGMENT_CACHE_SECONDS"] = 600
    # made, the chains cost three statements (themes with decisions, national outcomes,
    # commitments) whatever their number; kept, none
    assert len(made) == len(kept) + 3
    with app.app_context():
        second = theme_on_pats_answer(feedback_world, title="Being listened to")
        decide(second, feedback_world["council"], commitments=[feedback_world["commitment"]])
    app.config["FRAGMENT_CACHE_SECONDS"] = 0
    try:
        made_two = statements_for(app, client, URL)
    finally:
        app.config["FRAGMENT_CACHE_SECONDS"] = 600
    assert_same_count(URL, made, made_two)
