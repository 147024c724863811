"""Decisions ("we did"): the answer service, the forum's review, and the staff pages.

The world is the ledger world of tests/outcomes/worlds.py (shared with the decision POST,
publishing and Local Offer tests): a closed consultation in Northshire with two themes, the
council and the ICB each with a responder and a commitment, people of every role, and
Southshire with its own organiser, responder and commitment. That nobody answers the themes of
an open consultation is in test_before_closing.py, which builds a world of its own.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.areas.models import Area, PartnerOrganisation
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.decisions import services as service
from forum.outcomes.decisions.models import Decision, ForumView, Outcome
from forum.outcomes.decisions.permissions import (
    can_answer_theme,
    can_change_decision,
    can_review_decision,
)
from forum.outcomes.permissions import can_view_ledger
from forum.outcomes.publishing.permissions import can_publish_response
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, CommitmentStatus
from tests.factories import make_consultation, make_decision
from tests.outcomes.worlds import LEDGER_EMAILS, base, build_ledger_world, theme, user


@pytest.fixture(scope="module")
def world(world_app):
    """The ledger world, built once for the module; each test's changes are rolled back (see
    `world_app`)."""
    with world_app.app_context():
        return build_ledger_world()


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def answer(outcome="adopted", **fields) -> service.Answer:
    return service.Answer(
        outcome=Outcome(outcome), explanation=fields.pop("explanation", "We will."), **fields
    )


# --- services ------------------------------------------------------------------------------


def test_one_decision_per_partner_per_theme_the_second_answer_changes_it(app, world):
    with app.app_context():
        actor = user("council")
        first = service.answer_theme(theme(world), world.council_id, answer(), actor=actor)
        second = service.answer_theme(
            theme(world),
            world.council_id,
            answer("partly_adopted", explanation="Some of it."),
            actor=actor,
        )
        db.session.commit()
        assert first.id == second.id
        rows = db.session.scalars(select(Decision).where(Decision.theme_id == world.waiting))
        assert [(d.outcome, d.explanation) for d in rows] == [
            (Outcome.PARTLY_ADOPTED, "Some of it.")
        ]
        assert len(audit("decision.given")) == 1
        assert len(audit("decision.changed")) == 1


def test_several_partners_answer_the_same_theme(app, world):
    with app.app_context():
        service.answer_theme(theme(world), world.council_id, answer(), actor=user("council"))
        service.answer_theme(
            theme(world), world.icb_id, answer("not_adopted", reason="No money"), actor=user("icb")
        )
        db.session.commit()
        assert len(theme(world).decisions) == 2


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        (dict(outcome="adopted", explanation="   "), "explanation", "plain words"),
        (dict(outcome="not_adopted"), "reason", "why this is not"),
        (dict(outcome="under_consideration"), "decide_by", "date you will decide"),
        (
            dict(outcome="under_consideration", decide_by="past"),
            "decide_by",
            "in the future",
        ),
        (
            dict(outcome="under_consideration", decide_by="today"),
            "decide_by",
            "in the future",
        ),
        (dict(outcome="adopted", explanation="x" * 5001), "explanation", "5,000"),
    ],
)
def test_answer_rules(app, world, given, field, message):
    with app.app_context():
        today = service.london_today()
        when = {"past": today - timedelta(days=1), "today": today}.get(given.pop("decide_by", ""))
        with pytest.raises(service.DecisionRefused) as refused:
            service.answer_theme(
                theme(world),
                world.council_id,
                answer(decide_by=when, **given),
                actor=user("council"),
            )
        assert refused.value.field == field
        assert message in str(refused.value)


def test_reason_and_decide_by_are_kept_only_with_their_outcome(app, world):
    with app.app_context():
        later = service.london_today() + timedelta(days=30)
        decision = service.answer_theme(
            theme(world),
            world.council_id,
            answer("adopted", reason="Stray words", decide_by=later),
            actor=user("council"),
        )
        assert decision.reason == "" and decision.decide_by is None
        decision = service.answer_theme(
            theme(world),
            world.council_id,
            answer("under_consideration", decide_by=later),
            actor=user("council"),
        )
        assert decision.decide_by == later


def test_an_unchanged_past_decide_by_date_does_not_block_other_changes(app, world):
    with app.app_context():
        past = service.london_today() - timedelta(days=3)
        make_decision(
            theme(world),
            db.session.get(
                PartnerOrganisation,
                world.council_id,
            ),
            outcome="under_consideration",
            decide_by=past,
        )
        decision = service.answer_theme(
            theme(world),
            world.council_id,
            answer("under_consideration", explanation="Still looking", decide_by=past),
            actor=user("council"),
        )
        assert decision.explanation == "Still looking"


def test_linking_and_unlinking_never_changes_a_commitments_status(app, world):
    with app.app_context():
        actor = user("council")
        decision = service.answer_theme(
            theme(world),
            world.council_id,
            answer(commitment_ids=[world.c_council, world.c_icb]),
            actor=actor,
        )
        db.session.commit()
        statuses = {
            c.id: (c.status, c.progress, c.updated_at)
            for c in db.session.scalars(select(Commitment))
        }
        assert {link.commitment_id for link in decision.links} == {world.c_council, world.c_icb}
        service.answer_theme(
            theme(world), world.council_id, answer(commitment_ids=[world.c_icb]), actor=actor
        )
        db.session.commit()
        db.session.expire_all()
        after = {
            c.id: (c.status, c.progress, c.updated_at)
            for c in db.session.scalars(select(Commitment))
        }
        assert after == statuses
        assert db.session.get(Commitment, world.c_council).status is CommitmentStatus.ON_TRACK
        assert [e.detail["commitment_id"] for e in audit("decision.commitment_unlinked")] == [
            world.c_council
        ]
        assert len(audit("decision.commitment_linked")) == 2


def test_links_to_a_commitment_are_counted(app, world):
    """Through `hooks.commitment_links`, which outcomes answers with its decision links."""
    from forum.plans.queries import count_commitment_links as count_links

    with app.app_context():
        council = db.session.get(Commitment, world.c_council)
        assert count_links(council) == 0
        service.answer_theme(
            theme(world),
            world.council_id,
            answer(commitment_ids=[world.c_council]),
            actor=user("council"),
        )
        service.answer_theme(
            theme(world), world.icb_id, answer(commitment_ids=[world.c_council]), actor=user("icb")
        )
        db.session.commit()
        assert count_links(council) == 2
        assert count_links(db.session.get(Commitment, world.c_icb)) == 0


def test_a_responder_cannot_link_another_areas_commitment(app, world):
    with app.app_context():
        with pytest.raises(service.DecisionRefused) as refused:
            service.answer_theme(
                theme(world),
                world.council_id,
                answer(commitment_ids=[world.south_commitment]),
                actor=user("council"),
            )
        assert refused.value.field == "commitments"
        db.session.rollback()
        assert db.session.scalar(select(Decision)) is None


def test_a_new_commitment_is_owned_by_the_responders_organisation_and_not_started(app, world):
    with app.app_context():
        due = service.london_today() + timedelta(days=90)
        decision = service.answer_theme(
            theme(world),
            world.council_id,
            answer(
                new_commitment=service.NewCommitment(
                    title="Call every family back within a week", priority_id=world.p2, due_on=due
                )
            ),
            actor=user("council"),
        )
        db.session.commit()
        made = db.session.scalar(
            select(Commitment).where(Commitment.title == "Call every family back within a week")
        )
        assert made.partner_id == world.council_id
        assert made.status is CommitmentStatus.NOT_STARTED
        assert made.priority_id == world.p2 and made.due_on == due
        assert [link.commitment_id for link in decision.links] == [made.id]
        assert audit("commitment.added") and audit("decision.commitment_created")


@pytest.mark.parametrize(
    ("new", "field"),
    [
        (dict(title="T", priority_id=None), "new_priority"),
        (dict(title="T", priority_id="south"), "new_priority"),
        (dict(title="", priority_id="p1"), "new_title"),
        (dict(title="T", priority_id="p1", due_on="past"), "new_due"),
    ],
)
def test_new_commitment_rules(app, world, new, field):
    with app.app_context():
        priority = {"south": world.south_priority, "p1": world.p1}.get(new.pop("priority_id"))
        due = service.london_today() - timedelta(days=1) if new.pop("due_on", None) else None
        with pytest.raises(service.DecisionRefused) as refused:
            service.answer_theme(
                theme(world),
                world.council_id,
                answer(
                    new_commitment=service.NewCommitment(priority_id=priority, due_on=due, **new)
                ),
                actor=user("council"),
            )
        assert refused.value.field == field


def test_changing_a_published_decision_marks_it_updated_and_keeps_it_published(app, world):
    with app.app_context():
        decision = service.answer_theme(
            theme(world), world.council_id, answer(), actor=user("council")
        )
        service.review_decision(decision, ForumView.AGREED, "", actor=user("organiser"))
        published = utcnow() - timedelta(days=2)
        decision.published_at = published
        decision.updated_at = published - timedelta(days=1)
        db.session.commit()
        assert not decision.is_changed_since_published
        service.answer_theme(
            theme(world),
            world.council_id,
            answer(explanation="We will, sooner."),
            actor=user("council"),
        )
        db.session.commit()
        decision = db.session.get(Decision, decision.id)
        assert decision.published_at == published
        assert decision.is_changed_since_published
        # The forum agreed to a different answer, so it reviews this one again.
        assert decision.forum_view is ForumView.PENDING
        assert audit("decision.changed")[0].detail["was_published"] is True


def test_saving_the_same_answer_again_changes_nothing(app, world):
    with app.app_context():
        decision = service.answer_theme(
            theme(world),
            world.council_id,
            answer(commitment_ids=[world.c_council]),
            actor=user("council"),
        )
        service.review_decision(decision, ForumView.AGREED, "", actor=user("organiser"))
        db.session.commit()
        stamp = db.session.get(Decision, decision.id).updated_at
        service.answer_theme(
            theme(world),
            world.council_id,
            answer(commitment_ids=[world.c_council]),
            actor=user("council"),
        )
        db.session.commit()
        again = db.session.get(Decision, decision.id)
        assert again.updated_at == stamp and again.forum_view is ForumView.AGREED
        assert audit("decision.changed") == []


def test_review_records_who_and_when_and_does_not_count_as_a_change(app, world):
    with app.app_context():
        decision = service.answer_theme(
            theme(world), world.council_id, answer(), actor=user("council")
        )
        db.session.commit()
        stamp = decision.updated_at
        organiser = user("organiser")
        service.review_decision(decision, ForumView.DISPUTED, "Too slow", actor=organiser)
        db.session.commit()
        decision = db.session.get(Decision, decision.id)
        assert decision.forum_view is ForumView.DISPUTED
        assert decision.forum_comment == "Too slow"
        assert decision.forum_view_by_id == organiser.id
        assert decision.forum_view_at is not None
        assert decision.updated_at == stamp
        assert audit("decision.reviewed")[0].detail["forum_view"] == "disputed"


@pytest.mark.parametrize(
    ("view", "comment", "field"),
    [
        ("disputed", "  ", "comment"),
        ("pending", "", "forum_view"),
        ("agreed", "x" * 2001, "comment"),
    ],
)
def test_review_rules(app, world, view, comment, field):
    with app.app_context():
        decision = service.answer_theme(
            theme(world), world.council_id, answer(), actor=user("council")
        )
        with pytest.raises(service.DecisionRefused) as refused:
            service.review_decision(decision, ForumView(view), comment, actor=user("organiser"))
        assert refused.value.field == field


# --- permissions -----------------------------------------------------------------------------

PEOPLE = ["visitor", "member", "organiser", "council", "icb", "other_organiser", "admin"]


def person(key):
    from flask_login import AnonymousUserMixin

    if key == "visitor":
        return AnonymousUserMixin()
    return user(key)


@pytest.mark.parametrize(
    ("who", "ledger", "answer_it", "change_council", "review", "publish"),
    [
        ("visitor", False, False, False, False, False),
        ("member", False, False, False, False, False),
        ("organiser", True, False, False, True, True),
        ("council", True, True, True, False, False),
        ("icb", True, True, False, False, False),
        ("other_organiser", False, False, False, False, False),
        ("other_responder", False, False, False, False, False),
        ("admin", True, False, False, True, True),
    ],
)
def test_permission_matrix(app, world, who, ledger, answer_it, change_council, review, publish):
    with app.app_context():
        the_theme = theme(world)
        council = db.session.get(PartnerOrganisation, world.council_id)
        decision = db.session.get(Decision, make_decision(the_theme, council).id)
        consultation = the_theme.consultation
        actor = person(who) if who in LEDGER_EMAILS or who == "visitor" else None
        assert can_view_ledger(actor, consultation) is ledger
        assert can_answer_theme(actor, the_theme) is answer_it
        assert can_change_decision(actor, decision) is change_council
        assert can_review_decision(actor, decision) is review
        assert can_publish_response(actor, consultation) is publish


# --- pages ---------------------------------------------------------------------------------


def routes(world) -> dict[str, str]:
    with_decision = f"{base(world)}/decisions/{{decision}}/review"
    return {
        "ledger": f"{base(world)}/decisions",
        "answer": f"{base(world)}/themes/{world.waiting}/answer",
        "review": with_decision,
        "publish": f"{base(world)}/publish-response",
    }


#: who may open each staff page (every other person gets 403, or sign-in for visitors)
ALLOWED = {
    "ledger": {"organiser", "council", "icb", "admin"},
    "answer": {"council", "icb"},
    "review": {"organiser", "admin"},
    "publish": {"organiser", "admin"},
}


@pytest.fixture
def council_decision(app, world):
    with app.app_context():
        council = db.session.get(PartnerOrganisation, world.council_id)
        return make_decision(theme(world), council).id


@pytest.mark.parametrize("page", sorted(ALLOWED))
@pytest.mark.parametrize("who", [*PEOPLE, "other_responder"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_every_staff_page_checks_permission(
    app, client, auth, world, council_decision, page, who, htmx
):
    if who != "visitor":
        auth.login(LEDGER_EMAILS[who])
    url = routes(world)[page].format(decision=council_decision)
    response = client.htmx_get(url) if htmx else client.get(url)
    if who in ALLOWED[page]:
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert "HX-Request" in response.headers["Vary"]
    elif who == "visitor":
        assert response.status_code in (302, 204)
    else:
        assert response.status_code == 403


def test_another_consultations_or_areas_ids_are_not_found(app, client, auth, world):
    with app.app_context():
        south_decision = make_decision(
            db.session.get(Theme, world.south_theme),
            db.session.get(
                PartnerOrganisation,
                world.south_council_id,
            ),
        )
        other = make_consultation(db.session.get(Area, world.area_id), state="closed")
    auth.login(LEDGER_EMAILS["organiser"])
    assert client.get(f"{base(world)}/decisions/{south_decision.id}/review").status_code == 404
    assert client.get(
        f"/areas/{world.area_slug}/consultations/{other.slug}/themes/{world.waiting}/answer"
    ).status_code in (403, 404)
    auth.logout()
    auth.login(LEDGER_EMAILS["council"])
    assert (
        client.get(
            f"/areas/{world.area_slug}/consultations/{other.slug}/themes/{world.waiting}/answer"
        ).status_code
        == 404
    )
    assert client.get(f"{base(world)}/themes/{world.south_theme}/answer").status_code == 404


def test_ledger_page_shows_answers_and_the_right_links(app, client, auth, world, council_decision):
    auth.login(LEDGER_EMAILS["council"])
    page = client.get(f"{base(world)}/decisions").get_data(as_text=True)
    assert "Waiting times" in page and "Northshire Council" in page
    assert "Change your answer" in page and "Answer for your organisation" in page
    assert "Agree or dispute" not in page
    fragment = client.htmx_get(f"{base(world)}/decisions").get_data(as_text=True)
    assert "<html" not in fragment and 'id="ledger"' in fragment
    auth.logout()
    auth.login(LEDGER_EMAILS["organiser"])
    page = client.get(f"{base(world)}/decisions").get_data(as_text=True)
    assert "Agree or dispute" in page and "Publish the response" in page
    assert "Answer for your organisation" not in page


def test_answer_page_groups_commitments_by_priority_with_owner(app, client, auth, world):
    auth.login(LEDGER_EMAILS["icb"])
    page = client.get(routes(world)["answer"]).get_data(as_text=True)
    assert "Answer for Northshire ICB" in page
    assert "P1 Early help" in page and "P2 Mental health" in page
    assert "Northshire Council · On track" in page
    assert "Their promise" not in page
    # The reason and the date always show: GOV.UK's conditional reveal marks radios
    # aria-expanded, which axe refuses.
    assert 'name="reason"' in page and 'name="decide_by-day"' in page
    assert "govuk-radios__conditional" not in page


def test_answer_form_saves_and_edits_the_same_decision(app, client, auth, world):
    auth.login(LEDGER_EMAILS["council"])
    url = routes(world)["answer"]
    later = service.london_today() + timedelta(days=20)
    response = client.post_form(
        url,
        {
            "outcome": "under_consideration",
            "explanation": "We are costing it",
            "decide_by-day": later.day,
            "decide_by-month": later.month,
            "decide_by-year": later.year,
            "commitments": [str(world.c_council), str(world.c_icb)],
            "new_title": "Text families their place on the list",
            "new_priority": str(world.p1),
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/decisions#theme-{world.waiting}")
    page = client.get(url).get_data(as_text=True)
    assert "We are costing it" in page and "Text families their place on the list" in page
    response = client.post_form(
        url, {"outcome": "adopted", "explanation": "Done", "commitments": [str(world.c_icb)]}
    )
    assert response.status_code == 303
    with app.app_context():
        decision = db.session.scalar(select(Decision))
        assert decision.outcome is Outcome.ADOPTED and decision.decide_by is None
        assert [link.commitment_id for link in decision.links] == [world.c_icb]
        assert db.session.get(Commitment, world.c_icb).status is CommitmentStatus.AT_RISK


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"explanation": "Yes"}, "Choose what your organisation will do"),
        ({"outcome": "not_adopted", "explanation": "No"}, "Say why this is not being adopted"),
        (
            {"outcome": "under_consideration", "explanation": "Hm"},
            "Enter the date you will decide by",
        ),
        (
            {
                "outcome": "under_consideration",
                "explanation": "Hm",
                "decide_by-day": "31",
                "decide_by-month": "2",
                "decide_by-year": "2030",
            },
            "must be a real date",
        ),
        (
            {"outcome": "adopted", "explanation": "Yes", "new_title": "A new one"},
            "Choose the plan priority",
        ),
        (
            {"outcome": "adopted", "explanation": "Yes", "commitments": ["south"]},
            "not in this area",
        ),
        ({"outcome": "bogus", "explanation": "Yes"}, "Not a valid choice"),
    ],
)
def test_answer_form_mistakes_are_shown_beside_the_field(app, client, auth, world, data, error):
    auth.login(LEDGER_EMAILS["council"])
    if data.get("commitments") == ["south"]:
        data = {**data, "commitments": [str(world.south_commitment)]}
    response = client.post_form(routes(world)["answer"], data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and error in page
    with app.app_context():
        assert db.session.scalar(select(Decision)) is None


def test_icb_responder_cannot_answer_as_or_edit_the_councils_decision(app, client, auth, world):
    with app.app_context():
        service.answer_theme(
            theme(world),
            world.council_id,
            answer(explanation="Council words"),
            actor=user("council"),
        )
        db.session.commit()
    auth.login(LEDGER_EMAILS["icb"])
    response = client.post_form(
        routes(world)["answer"],
        {"outcome": "not_adopted", "explanation": "ICB words", "reason": "No"},
    )
    assert response.status_code == 303
    with app.app_context():
        rows = {d.partner_id: d.explanation for d in db.session.scalars(select(Decision))}
        assert rows == {world.council_id: "Council words", world.icb_id: "ICB words"}
        council_decision = db.session.scalar(
            select(Decision).where(Decision.partner_id == world.council_id)
        )
        assert not can_change_decision(user("icb"), council_decision)
    # The review page (the only page addressed by a decision's id) is not theirs either.
    assert (
        client.get(routes(world)["review"].format(decision=council_decision.id)).status_code == 403
    )


def test_review_form_saves_the_forums_view(app, client, auth, world, council_decision):
    auth.login(LEDGER_EMAILS["organiser"])
    url = routes(world)["review"].format(decision=council_decision)
    bad = client.post_form(url, {"forum_view": "disputed", "comment": ""})
    assert bad.status_code == 422 and "Say why the forum disputes this answer" in bad.get_data(
        as_text=True
    )
    fragment = client.post_form(url, {"forum_view": "disputed"}, htmx=True)
    assert fragment.status_code == 422 and "<html" not in fragment.get_data(as_text=True)
    ok = client.post_form(url, {"forum_view": "disputed", "comment": "Families were not asked"})
    assert ok.status_code == 303
    with app.app_context():
        decision = db.session.get(Decision, council_decision)
        assert decision.forum_view is ForumView.DISPUTED
        assert decision.forum_comment == "Families were not asked"
    page = client.get(f"{base(world)}/decisions").get_data(as_text=True)
    assert "The forum disputes this:" in page and "Families were not asked" in page


@pytest.mark.parametrize(
    "path", ["themes/99999999999999999999/answer", "decisions/99999999999999999999/review"]
)
def test_ids_too_big_for_the_database_are_not_found(app, client, auth, world, path):
    auth.login(LEDGER_EMAILS["organiser"])
    assert client.get(f"{base(world)}/{path}").status_code == 404


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("visitor", []),
        ("member", []),
        ("other_organiser", []),
        ("council", ["Answer the themes for your organisation"]),
        (
            "organiser",
            ["See partners’ answers and agree or dispute them", "Publish the response"],
        ),
    ],
)
def test_the_consultation_page_links_staff_to_the_answers(app, client, auth, world, who, links):
    if who != "visitor":
        auth.login(LEDGER_EMAILS[who])
    page = client.get(base(world)).get_data(as_text=True)
    for text in [
        "Answer the themes for your organisation",
        "See partners’ answers and agree or dispute them",
        "Publish the response",
    ]:
        assert (text in page) is (text in links), text
