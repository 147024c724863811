"""Telling people what happened to their feedback: who is emailed (only the people linked,
once each, never the actor, never anonymous respondents, only for published decisions), what
the email says (and never says), and that finding them is one query however many there are.

The world is `feedback_world` (tests/outcomes/conftest.py), shared with the "What happened to
my feedback" page's tests, as are the ledger helpers of tests/outcomes/worlds.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from forum.outcomes.decisions.models import Decision
from forum.outcomes.feedback import services as notify
from forum.plans.models import Commitment, CommitmentStatus
from tests.factories import (
    make_board,
    make_consultation,
    make_person_in,
    make_post,
    make_question,
    make_response,
    make_survey,
    make_thread,
)
from tests.outcomes.worlds import (
    answer_of,
    decide,
    link,
    publish,
    published_theme,
    tag,
    theme_on_pats_answer,
)
from tests.support import recorded_statements


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.to_address)))


# --- decisions published ---------------------------------------------------------------------


def test_one_email_per_linked_person_listing_their_themes(app, feedback_world):
    with app.app_context(), app.test_request_context():
        waits = theme_on_pats_answer(feedback_world, title="Waiting too long")
        link(waits, "post", post_id=feedback_world["post"].id)
        schools = published_theme(feedback_world["consultation"], title="Schools do not listen")
        link(schools, "question", question_id=feedback_world["choice_q"].id)  # Pat and Sam both
        d1 = decide(waits, feedback_world["council"], outcome="partly_adopted")
        d2 = decide(schools, feedback_world["council"], outcome="not_adopted", reason="No money")
        assert publish(feedback_world["consultation"].id, [d1, d2]) == 2
        messages = {m.to_address: m for m in outbox()}
        assert set(messages) == {"pat@example.org", "sam@example.org"}
        pat = messages["pat@example.org"]
        assert pat.kind == "decision_published"
        assert pat.subject == "What happened to your feedback: Getting an assessment"
        assert "Waiting too long" in pat.body_text and "Schools do not listen" in pat.body_text
        assert "Northshire County Council: Partly adopted" in pat.body_text
        assert "http://localhost/account/feedback" in pat.body_text
        sam = messages["sam@example.org"]
        assert "Schools do not listen" in sam.body_text
        assert "Waiting too long" not in sam.body_text
        # Nobody's words are quoted: not Pat's, not Sam's.
        for message in messages.values():
            for words in ("Shorter waits", "Sam's private words", "We waited a year"):
                assert words not in message.body_text


def test_only_published_decisions_tell_anyone(app, feedback_world):
    with app.app_context(), app.test_request_context():
        theme = theme_on_pats_answer(feedback_world)
        draft = decide(theme, feedback_world["council"], published=False)
        assert publish(feedback_world["consultation"].id, [draft]) == 0
        assert outbox() == []


def test_the_actor_is_not_told_about_their_own_publishing(app, feedback_world):
    with app.app_context(), app.test_request_context():
        theme = published_theme(feedback_world["consultation"])
        link(theme, "question", question_id=feedback_world["choice_q"].id)
        d = decide(theme, feedback_world["council"])
        actor = db.session.get(User, feedback_world["pat"].id)
        assert publish(feedback_world["consultation"].id, [d], actor=actor) == 1
        assert [m.to_address for m in outbox()] == ["sam@example.org"]


def test_people_not_linked_are_not_told(app, feedback_world):
    with app.app_context(), app.test_request_context():
        theme = published_theme(feedback_world["consultation"])
        link(theme, "question", question_id=feedback_world["choice_q"].id, option_key="no")
        coded = published_theme(feedback_world["consultation"])
        code = tag(feedback_world["sam_text"], feedback_world["survey"])
        link(coded, "code", code_id=code.id)
        d1, d2 = decide(theme, feedback_world["council"]), decide(coded, feedback_world["council"])
        assert publish(feedback_world["consultation"].id, [d1, d2]) == 1
        assert [m.to_address for m in outbox()] == ["sam@example.org"]


def test_anonymous_respondents_are_never_emailed(app, feedback_world):
    with app.app_context(), app.test_request_context():
        # An anonymous survey, answered by someone with an account.
        other = make_consultation(feedback_world["area"], state="open")
        anonymous = make_survey(other, is_anonymous=True)
        q = make_question(anonymous, kind="long_text", prompt="Tell us")
        alex = make_person_in(feedback_world["area"], Role.MEMBER, email="alex@example.org")
        response = make_response(anonymous, user=alex, status="submitted", answers={q: "Words"})
        theme = published_theme(other)
        link(theme, "answer", answer_id=answer_of(response, q).id)
        link(theme, "question", question_id=q.id)
        d = decide(theme, feedback_world["council"])
        assert publish(other.id, [d]) == 0
        assert outbox() == []


def test_hidden_posts_and_draft_responses_tell_no_one(app, feedback_world):
    with app.app_context(), app.test_request_context():
        db.session.get(Post, feedback_world["post"].id).status = PostStatus.HIDDEN
        q = feedback_world["text_q"]
        drafter = make_person_in(feedback_world["area"], Role.MEMBER, email="drafter@example.org")
        make_response(
            feedback_world["survey"], user=drafter, status="draft", answers={q: "Not sent"}
        )
        theme = published_theme(feedback_world["consultation"])
        link(theme, "post", post_id=feedback_world["post"].id)
        link(theme, "question", question_id=q.id)
        d = decide(theme, feedback_world["council"])
        # Pat and Sam answered the question; the drafter did not send theirs.
        assert publish(feedback_world["consultation"].id, [d]) == 2
        assert "drafter@example.org" not in [m.to_address for m in outbox()]


def test_finding_recipients_is_one_query_however_many(app, feedback_world):
    def selects_for(extra_people: int) -> int:
        with app.app_context(), app.test_request_context():
            board = make_board(
                feedback_world["area"], name=f"Board {extra_people}", visibility="members"
            )
            theme = published_theme(feedback_world["consultation"])
            for n in range(extra_people):
                person = make_person_in(feedback_world["area"], Role.MEMBER)
                thread = make_thread(board, person, title=f"Thread {n}", body=f"Words {n}")
                reply = make_post(thread, person, body=f"More words {n}")
                link(theme, "post", post_id=reply.id)
            d = decide(theme, feedback_world["council"])
            consultation = db.session.get(Consultation, feedback_world["consultation"].id)
            decision = db.session.get(Decision, d.id)
            _ = (consultation.area, decision.partner)
            with recorded_statements(app) as statements:
                sent = notify.decisions_published(consultation, [decision], actor=None)
            db.session.rollback()
            assert sent == extra_people
            return len([s for s in statements if s.upper().startswith("SELECT")])

    assert selects_for(2) == selects_for(12)


# --- commitment status changed ----------------------------------------------------------------


def change(commitment_id, status, reason="") -> tuple[Commitment, CommitmentStatus]:
    commitment = db.session.get(Commitment, commitment_id)
    before = commitment.status
    commitment.status = CommitmentStatus(status)
    commitment.dropped_reason = reason
    db.session.flush()
    return commitment, before


def test_commitment_change_tells_people_behind_published_decisions(app, feedback_world):
    with app.app_context(), app.test_request_context():
        theme = theme_on_pats_answer(feedback_world, title="Waiting too long")
        link(theme, "post", post_id=feedback_world["post"].id)
        decide(theme, feedback_world["council"], commitments=[feedback_world["commitment"]])
        other = published_theme(feedback_world["consultation"], title="Sam's theme")
        link(other, "answer", answer_id=feedback_world["sam_text"].id)
        decide(
            other,
            feedback_world["council"],
            published=False,
            commitments=[feedback_world["commitment"]],
        )
        commitment, before = change(feedback_world["commitment"].id, "delayed")
        assert notify.commitment_status_changed(commitment, before, actor=None) == 1
        [message] = outbox()
        assert message.to_address == "pat@example.org"
        assert message.kind == "commitment_changed"
        assert "Cut waiting times" in message.subject
        assert "Status: Delayed (was on track)" in message.body_text
        assert "Waiting too long" in message.body_text and "Sam's theme" not in message.body_text
        commitment_page = f"http://localhost/areas/northshire/plans/local-inclusion-plan/commitments/{commitment.id}"
        assert commitment_page in message.body_text
        assert "http://localhost/account/feedback" in message.body_text


def test_dropped_commitments_say_why(app, feedback_world):
    with app.app_context(), app.test_request_context():
        theme = theme_on_pats_answer(feedback_world)
        decide(theme, feedback_world["council"], commitments=[feedback_world["commitment"]])
        commitment, before = change(
            feedback_world["commitment"].id, "dropped", "The funding ended."
        )
        assert notify.commitment_status_changed(commitment, before, actor=None) == 1
        assert "Why it was dropped: The funding ended." in outbox()[0].body_text


def test_no_change_no_email_and_the_actor_is_skipped(app, feedback_world):
    with app.app_context(), app.test_request_context():
        theme = published_theme(feedback_world["consultation"])
        link(theme, "question", question_id=feedback_world["choice_q"].id)
        decide(theme, feedback_world["council"], commitments=[feedback_world["commitment"]])
        commitment = db.session.get(Commitment, feedback_world["commitment"].id)
        assert notify.commitment_status_changed(commitment, commitment.status, actor=None) == 0
        commitment, before = change(commitment.id, "done")
        sam = db.session.get(User, feedback_world["sam"].id)
        assert notify.commitment_status_changed(commitment, before.value, actor=sam) == 1
        assert [m.to_address for m in outbox()] == ["pat@example.org"]


@pytest.mark.parametrize("people", [1, 9])
def test_commitment_recipients_in_one_query(app, feedback_world, people):
    with app.app_context(), app.test_request_context():
        theme = published_theme(feedback_world["consultation"])
        board = make_board(feedback_world["area"], name="Chat", visibility="members")
        for n in range(people):
            person = make_person_in(feedback_world["area"], Role.MEMBER)
            thread = make_thread(board, person, title=f"Thread {n}", body=f"Words {n}")
            link(
                theme,
                "post",
                post_id=db.session.scalar(select(Post.id).where(Post.thread_id == thread.id)),
            )
        decide(theme, feedback_world["council"], commitments=[feedback_world["commitment"]])
        commitment, before = change(feedback_world["commitment"].id, "at_risk")
        _ = (commitment.partner, commitment.priority.plan.area)
        with recorded_statements(app) as statements:
            assert notify.commitment_status_changed(commitment, before, actor=None) == people
        selects = [s for s in statements if s.upper().startswith("SELECT")]
        # The recipients, the contacts from paper and phone responses, their themes, then
        # their choices of email: nothing per person.
        assert len(selects) == 4
