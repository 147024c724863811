"""Publishing the response, and the public "We asked, you said, we did" section.

Every test uses the ledger world of tests/outcomes/worlds.py, built once for the module; that
nothing can be published before the consultation closes is in test_before_closing.py, which
builds worlds of its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from forum.accounts.models import User
from forum.areas.models import PartnerOrganisation
from forum.audit.models import AuditEvent
from forum.consultations.models import Consultation, ConsultationState
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.decisions import services as service
from forum.outcomes.decisions.models import Decision, DecisionCommitment, ForumView, Outcome
from forum.outcomes.publishing import queries as publishing_queries
from forum.outcomes.publishing import services as publishing
from forum.outcomes.themes.models import Theme
from tests.factories import (
    make_consultation,
    make_decision,
    make_theme,
)
from tests.outcomes.worlds import (
    LEDGER_EMAILS,
    answers_behind_waiting,
    base,
    build_ledger_world,
    theme,
    user,
)
from tests.support import assert_same_count, statements_for


@pytest.fixture(scope="module")
def world(world_app):
    """The ledger world (tests/outcomes/worlds.py), built once for the module; each test's
    changes are rolled back (see `world_app`)."""
    with world_app.app_context():
        return build_ledger_world()


def partner(id_):
    return db.session.get(PartnerOrganisation, id_)


def consultation(world) -> Consultation:
    return db.session.get(Consultation, world.consultation_id)


def audit(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def answered(world):
    """The council answers "waiting" (agreed by the forum, linked to its commitment); the ICB
    answers "calls" (not reviewed)."""
    decision = service.answer_theme(
        theme(world),
        world.council_id,
        service.Answer(
            outcome=Outcome.PARTLY_ADOPTED,
            explanation="We will hire two therapists.",
            commitment_ids=[world.c_council],
        ),
        actor=user("council"),
    )
    service.review_decision(decision, ForumView.AGREED, "", actor=user("organiser"))
    service.answer_theme(
        theme(world, "calls"),
        world.icb_id,
        service.Answer(
            outcome=Outcome.NOT_ADOPTED, explanation="We cannot.", reason="No budget this year"
        ),
        actor=user("icb"),
    )
    db.session.commit()


# --- the service ---------------------------------------------------------------------------


def test_publishing_sets_published_at_moves_to_responded_and_notifies(app, world, monkeypatch):
    told = []
    from forum.outcomes.feedback import services as notify

    monkeypatch.setattr(
        notify,
        "decisions_published",
        lambda c, decisions, *, actor: told.append((c.id, sorted(d.id for d in decisions))),
    )
    with app.app_context():
        answered(world)
        result = publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.commit()
        assert result.first_time and len(result.themes) == 2 and len(result.decisions) == 2
        assert consultation(world).state is ConsultationState.RESPONDED
        assert all(
            t.published_at
            for t in db.session.scalars(select(Theme).where(Theme.area_id == world.area_id))
        )
        assert all(d.published_at for d in db.session.scalars(select(Decision)))
        assert told == [
            (world.consultation_id, sorted(d.id for d in db.session.scalars(select(Decision))))
        ]
        assert audit("consultation.responded")
        assert audit("consultation.response_published")[0].detail == {
            "themes": 2,
            "decisions": 2,
            "first_time": True,
        }
        # Publishing does not make a decision read "Updated".
        assert not any(d.is_changed_since_published for d in db.session.scalars(select(Decision)))


def test_publishing_again_publishes_only_what_is_new(app, world):
    with app.app_context():
        answered(world)
        publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.commit()
        first = {d.id: d.published_at for d in db.session.scalars(select(Decision))}
        again = publishing.publish_response(consultation(world), actor=user("organiser"))
        assert again.themes == [] and again.decisions == [] and not again.first_time
        late = make_decision(theme(world, "calls"), partner(world.council_id), outcome="adopted")
        new_theme = make_theme(consultation(world), title="Transport")
        result = publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.commit()
        assert [d.id for d in result.decisions] == [late.id]
        assert [t.id for t in result.themes] == [new_theme.id]
        for decision in db.session.scalars(select(Decision).where(Decision.id.in_(first))):
            assert decision.published_at == first[decision.id]
        assert len(audit("consultation.responded")) == 1


def test_no_themes_no_publishing(app, world):
    with app.app_context():
        empty = make_consultation(consultation(world).area, state="closed")
        with pytest.raises(publishing.PublishRefused, match="no themes"):
            publishing.publish_response(empty, actor=user("organiser"))


def test_plan_warns_about_unanswered_themes_and_unreviewed_answers(app, world):
    with app.app_context():
        make_decision(theme(world), partner(world.council_id))
        plan = publishing_queries.plan_publishing(consultation(world))
        assert [t.id for t in plan.unanswered] == [world.calls]
        assert len(plan.unreviewed) == 1 and plan.has_news


# --- the publish page ----------------------------------------------------------------------


def test_publish_page_lists_and_warns_then_publishes_once(app, client, auth, world):
    with app.app_context():
        make_decision(theme(world), partner(world.council_id))
    auth.login(LEDGER_EMAILS["organiser"])
    url = f"{base(world)}/publish-response"
    page = client.get(url).get_data(as_text=True)
    assert "Waiting times" in page and "Nobody calls back" in page
    assert "1 theme has no answer from a partner yet" in page
    assert "1 answer has not been agreed or disputed" in page
    key = page.split('name="submission_key" type="hidden" value="')[1].split('"')[0]
    first = client.post_form(url, {"submission_key": key})
    assert first.status_code == 303 and first.headers["Location"].endswith("#we-did")
    second = client.post_form(url, {"submission_key": key})
    assert second.status_code == 303
    with app.app_context():
        assert len(audit("consultation.response_published")) == 1
    page = client.get(url).get_data(as_text=True)
    assert "Everything is already published" in page


def test_publishing_with_no_themes_is_explained_on_the_page(app, client, auth, world):
    with app.app_context():
        empty = make_consultation(consultation(world).area, state="closed")
    auth.login(LEDGER_EMAILS["organiser"])
    response = client.post_form(
        f"/areas/{world.area_slug}/consultations/{empty.slug}/publish-response"
    )
    assert response.status_code == 422
    assert "There are no themes yet" in response.get_data(as_text=True)


# --- the public section --------------------------------------------------------------------


def test_visitors_see_nothing_before_publishing(app, client, auth, world):
    with app.app_context():
        answered(world)
    page = client.get(base(world)).get_data(as_text=True)
    assert "We asked, you said, we did" not in page and "We will hire" not in page
    auth.login(LEDGER_EMAILS["organiser"])
    assert "We asked, you said, we did" not in client.get(base(world)).get_data(as_text=True)


def test_published_section_shows_themes_decisions_and_the_forums_view(app, client, world):
    with app.app_context():
        answered(world)
        publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.commit()
    page = client.get(base(world)).get_data(as_text=True)
    assert "We asked, you said, we did" in page
    assert "Waiting times" in page and "People wait too long." in page
    assert "Northshire Council" in page and "Partly adopted" in page
    assert "We will hire two therapists." in page
    assert "Speech therapists in schools" in page and "On track" in page
    link = f'href="/areas/northshire/plans/local-inclusion-plan/commitments/{world.c_council}"'
    assert link in page
    assert "The forum agrees." in page
    assert "Why not:</strong> No budget this year" in page
    assert "The forum has not given its view on this answer yet." in page
    assert "Nobody took part online." in page
    assert "Updated" not in page


def test_a_commitments_current_status_is_shown(app, client, world):
    from forum.plans.models import Commitment, CommitmentStatus

    with app.app_context():
        answered(world)
        publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.get(Commitment, world.c_council).status = CommitmentStatus.DELAYED
        db.session.commit()
    assert "Delayed" in client.get(base(world)).get_data(as_text=True)


def test_a_dispute_is_shown_publicly_with_its_comment(app, client, world):
    with app.app_context():
        decision = make_decision(theme(world), partner(world.council_id))
        service.review_decision(
            db.session.get(Decision, decision.id),
            ForumView.DISPUTED,
            "Nothing changed",
            actor=user("organiser"),
        )
        publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.commit()
    page = client.get(base(world)).get_data(as_text=True)
    assert "The forum disputes this:</strong>" in page and "Nothing changed" in page


def test_changed_after_publishing_reads_updated(app, client, world):
    with app.app_context():
        answered(world)
        publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.execute(
            Decision.__table__.update().values(
                published_at=utcnow() - timedelta(days=3), updated_at=utcnow() - timedelta(days=4)
            )
        )
        db.session.commit()
        service.answer_theme(
            theme(world),
            world.council_id,
            service.Answer(outcome=Outcome.ADOPTED, explanation="All of it now."),
            actor=user("council"),
        )
        db.session.commit()
    page = client.get(base(world)).get_data(as_text=True)
    assert "All of it now." in page and "Updated " in page


def test_an_overdue_decision_is_flagged(app, client, world):
    with app.app_context():
        make_decision(
            theme(world),
            partner(world.council_id),
            outcome="under_consideration",
            decide_by=service.london_today() - timedelta(days=12),
        )
        publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.commit()
    assert "Decision overdue by 12 days" in client.get(base(world)).get_data(as_text=True)


def test_organiser_of_another_area_sees_nothing_unpublished(app, client, auth, world):
    with app.app_context():
        answered(world)
    auth.login(LEDGER_EMAILS["other_organiser"])
    page = client.get(base(world)).get_data(as_text=True)
    assert "We will hire" not in page and "We asked, you said, we did" not in page
    assert client.get(f"{base(world)}/decisions").status_code == 403


def _quoted_world(app, world, people: int, *, consent_every: int = 1):
    """`people` submitted responses behind the "waiting" theme; every `consent_every`-th
    agreed to be quoted."""
    with app.app_context():
        answers_behind_waiting(
            world, people, words="Words of person {n}", consent_every=consent_every
        )
        db.session.commit()
        publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.commit()


def test_small_numbers_are_suppressed(app, client, world):
    _quoted_world(app, world, 3)
    page = client.get(base(world)).get_data(as_text=True)
    assert "Fewer than 5 people answered the survey." in page
    assert "Fewer than 5 comments from fewer than 5 people." in page
    assert "3 people" not in page and "3 comments" not in page


def test_counts_of_five_or_more_are_shown(app, client, world):
    _quoted_world(app, world, 8)
    page = client.get(base(world)).get_data(as_text=True)
    # 8 of each, shown rounded to the nearest 5
    assert "10 people answered the survey." in page
    assert "10 comments from 10 people." in page
    assert "8 people" not in page


def test_only_consented_quotes_at_most_three(app, client, world):
    _quoted_world(app, world, 7, consent_every=2)  # persons 0, 2, 4, 6 consented
    page = client.get(base(world)).get_data(as_text=True)
    quoted = [n for n in range(7) if f"Words of person {n}" in page]
    assert quoted == [2, 4, 6]
    for n in (1, 3, 5):
        assert f"Words of person {n}" not in page


def test_batch_quotes_follow_the_evidence_rules(app, world):
    from forum.outcomes.themes.queries import theme_quotes

    _quoted_world(app, world, 7, consent_every=2)
    with app.app_context():
        ours = {
            theme_id: [q.text for q in quotes]
            for theme_id, quotes in theme_quotes([world.waiting, world.calls]).items()
        }
        theirs = [q.text for q in theme_quotes([theme(world).id], limit=3)[theme(world).id]]
        assert ours[world.waiting] == theirs
        assert world.calls not in ours


def test_no_names_in_the_public_section(app, client, world):
    _quoted_world(app, world, 5)
    with app.app_context():
        names = [u.display_name for u in db.session.scalars(select(User))]
    page = client.get(base(world)).get_data(as_text=True)
    section = page.split('id="we-did"')[1]
    assert not [n for n in names if n in section]


# --- query counts --------------------------------------------------------------------------


def _grow(app, world, themes: int, tag: str):
    """`themes` more published themes, each with two decisions (distinct partners), each
    linked to its own commitment with its own owner."""
    from forum.plans.models import Commitment

    with app.app_context():
        now = utcnow()
        area_id = world.area_id
        first_theme = (
            db.session.execute(
                insert(Theme).returning(Theme.id, sort_by_parameter_order=True),
                [
                    {
                        "area_id": area_id,
                        "consultation_id": world.consultation_id,
                        "title": f"Bulk theme {tag}{n}",
                        "summary": "S",
                        "position": 100 + n,
                        "published_at": now,
                    }
                    for n in range(themes)
                ],
            )
            .scalars()
            .all()
        )
        partners = (
            db.session.execute(
                insert(PartnerOrganisation).returning(
                    PartnerOrganisation.id, sort_by_parameter_order=True
                ),
                [
                    {"area_id": area_id, "name": f"Bulk partner {tag}{n}", "kind": "health"}
                    for n in range(themes * 2)
                ],
            )
            .scalars()
            .all()
        )
        commitments = (
            db.session.execute(
                insert(Commitment).returning(Commitment.id, sort_by_parameter_order=True),
                [
                    {
                        "priority_id": world.p1,
                        "area_id": area_id,
                        "partner_id": p,
                        "title": f"Bulk commitment {p}",
                        "status": "on_track",
                    }
                    for p in partners
                ],
            )
            .scalars()
            .all()
        )
        decisions = (
            db.session.execute(
                insert(Decision).returning(Decision.id, sort_by_parameter_order=True),
                [
                    {
                        "theme_id": first_theme[n // 2],
                        "area_id": area_id,
                        "partner_id": partners[n],
                        "outcome": "under_consideration" if n % 3 else "adopted",
                        "explanation": "Bulk",
                        "decide_by": service.london_today() - timedelta(days=2),
                        "forum_view": "disputed" if n % 2 else "agreed",
                        "forum_comment": "Hm",
                        "published_at": now,
                    }
                    for n in range(themes * 2)
                ],
            )
            .scalars()
            .all()
        )
        db.session.execute(
            insert(DecisionCommitment),
            [
                {"decision_id": d, "commitment_id": c, "area_id": area_id}
                for d, c in zip(decisions, commitments, strict=True)
            ],
        )
        db.session.commit()


def test_the_public_section_sends_the_same_number_of_statements_as_it_grows(app, client, world):
    with app.app_context():
        answered(world)
        publishing.publish_response(consultation(world), actor=user("organiser"))
        db.session.commit()
    _grow(app, world, 5, "a")
    small = statements_for(app, client, base(world))
    _grow(app, world, 100, "b")
    large = statements_for(app, client, base(world))
    assert "Bulk theme b99" in client.get(base(world)).get_data(as_text=True)
    assert_same_count(base(world), small, large)


def test_the_staff_ledger_sends_the_same_number_of_statements_as_it_grows(app, client, auth, world):
    auth.login(LEDGER_EMAILS["organiser"])
    url = f"{base(world)}/decisions"
    _grow(app, world, 5, "a")
    small = statements_for(app, client, url)
    _grow(app, world, 100, "b")
    large = statements_for(app, client, url)
    assert_same_count(url, small, large)
