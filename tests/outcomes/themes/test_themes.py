"""Theme services: create, edit, order, delete, add and remove evidence, with audit entries.

The world is the theme world of tests/outcomes/worlds.py (shared with the other test_theme*
and test_evidence modules): a closed consultation with a survey, codes, a discussion and
people of every role, another area with its own, and an open consultation.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.audit.models import AuditEvent
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.themes import queries
from forum.outcomes.themes import services as service
from forum.outcomes.themes.models import Evidence, EvidenceKind, Theme
from forum.plans.models import Priority
from forum.surveys.coding import services as coding
from forum.surveys.models import Survey
from tests.factories import (
    make_area,
    make_consultation,
    make_decision,
    make_survey,
    make_theme,
)
from tests.outcomes.worlds import build_theme_world


@pytest.fixture(scope="module")
def world(world_app):
    """The theme world (tests/outcomes/worlds.py), built once for the module; each test's
    changes are rolled back (see `world_app`)."""
    with world_app.app_context():
        return build_theme_world()


def _get(model, id):
    return db.session.get(model, id)


def _actor(world):
    return _get(User, world.organiser_id)


def _consultation(world) -> Consultation:
    return _get(Consultation, world.consultation_id)


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_create_theme_at_the_end_with_priorities_and_audit(app, world):
    with app.app_context():
        c = _consultation(world)
        first = service.create_theme(
            c,
            title="  Waiting times ",
            summary="People waited.",
            priorities=[_get(Priority, world.p1)],
            actor=_actor(world),
        )
        second = service.create_theme(
            c, title="Calls", summary="Nobody calls back.", actor=_actor(world)
        )
        db.session.commit()
        assert (first.title, first.position, second.position) == ("Waiting times", 1, 2)
        assert [p.code for p in first.priorities] == ["P1"]
        assert first.created_by_id == world.organiser_id
        [event, _] = _audit("theme.created")
        assert event.actor_id == world.organiser_id and event.area_id == world.area_id
        assert event.detail == {"consultation_id": c.id, "priority_ids": [world.p1]}
        # Ids only: the organiser's words are never in the log.
        assert "Waiting" not in str(event.detail)


@pytest.mark.parametrize(
    "title, summary, field",
    [
        ("", "Words", "title"),
        ("   ", "Words", "title"),
        ("x" * 201, "Words", "title"),
        ("Title", "", "summary"),
        ("Title", "x" * 2001, "summary"),
    ],
)
def test_create_theme_refuses_bad_words(app, world, title, summary, field):
    with app.app_context():
        with pytest.raises(service.ThemeError) as refused:
            service.create_theme(
                _consultation(world), title=title, summary=summary, actor=_actor(world)
            )
        assert refused.value.field == field
        assert str(refused.value)


def test_theme_refuses_another_areas_priority(app, world):
    with app.app_context():
        with pytest.raises(service.ThemeError) as refused:
            service.create_theme(
                _consultation(world),
                title="T",
                summary="S",
                priorities=[_get(Priority, world.foreign_priority)],
                actor=_actor(world),
            )
        assert refused.value.field == "priorities"


def test_no_themes_while_the_consultation_is_open(app, world):
    with app.app_context(), pytest.raises(service.ThemeError, match="closed"):
        service.create_theme(
            _get(Consultation, world.open_id), title="T", summary="S", actor=_actor(world)
        )


def test_update_theme_records_priorities_before_and_after(app, world):
    with app.app_context():
        theme = service.create_theme(
            _consultation(world),
            title="T",
            summary="S",
            priorities=[_get(Priority, world.p1)],
            actor=_actor(world),
        )
        service.update_theme(
            theme,
            title="New title",
            summary="New words",
            priorities=[_get(Priority, world.p2)],
            actor=_actor(world),
        )
        db.session.commit()
        assert (theme.title, theme.summary) == ("New title", "New words")
        [event] = _audit("theme.updated")
        assert event.detail["priority_ids_before"] == [world.p1]
        assert event.detail["priority_ids"] == [world.p2]


def test_move_theme_swaps_and_stops_at_the_ends(app, world):
    with app.app_context():
        c = _consultation(world)
        a, b, d = (make_theme(c, title=t) for t in "ABD")
        theme_b = _get(Theme, b.id)
        assert service.move_theme(theme_b, "up", actor=_actor(world)) is True
        db.session.commit()
        order = [t.title for t in queries.themes_of(c)]
        assert order == ["B", "A", "D"]
        assert service.move_theme(_get(Theme, b.id), "up", actor=_actor(world)) is False
        assert service.move_theme(_get(Theme, d.id), "down", actor=_actor(world)) is False
        assert service.move_theme(_get(Theme, a.id), "down", actor=_actor(world)) is True
        db.session.commit()
        assert [t.title for t in queries.themes_of(c)] == ["B", "D", "A"]
        assert [t.position for t in queries.themes_of(c)] == [1, 2, 3]
        assert len(_audit("theme.moved")) == 2
        with pytest.raises(service.ThemeError):
            service.move_theme(_get(Theme, a.id), "sideways", actor=_actor(world))


def test_delete_theme_takes_its_evidence_and_renumbers(app, world):
    with app.app_context():
        c = _consultation(world)
        first, second = make_theme(c, title="First"), make_theme(c, title="Second")
        theme = _get(Theme, first.id)
        service.add_evidence(theme, "code", world.waiting, actor=_actor(world))
        db.session.commit()
        service.delete_theme(theme, actor=_actor(world))
        db.session.commit()
        assert _get(Theme, first.id) is None
        assert db.session.scalar(select(func.count(Evidence.id))) == 0
        assert _get(Theme, second.id).position == 1
        [event] = _audit("theme.deleted")
        assert event.detail["evidence_links"] == 1


def test_delete_theme_refused_once_a_partner_answered(app, world):
    with app.app_context():
        theme = make_theme(_consultation(world))
        from forum.areas.models import PartnerOrganisation

        make_decision(theme, _get(PartnerOrganisation, world.council_id))
        with pytest.raises(service.ThemeError, match="partner has answered"):
            service.delete_theme(_get(Theme, theme.id), actor=_actor(world))
        db.session.rollback()
        assert _get(Theme, theme.id) is not None


@pytest.mark.parametrize(
    "kind, target, option",
    [
        ("code", "waiting", None),
        ("answer", "answers.parent", None),
        ("question", "colour", None),
        ("question", "colour", "speech"),
        ("question", "happy", "no"),
        ("post", "reply", None),
        ("post", "area_post", None),
    ],
)
def test_add_evidence_of_every_kind_is_idempotent(app, world, kind, target, option):
    with app.app_context():
        theme = _get(Theme, make_theme(_consultation(world)).id)
        name, _, key = target.partition(".")
        target_id = getattr(world, name)[key] if key else getattr(world, name)
        added = service.add_evidence(theme, kind, target_id, option_key=option, actor=_actor(world))
        db.session.commit()
        assert added.created
        assert added.evidence.kind is EvidenceKind(kind)
        assert added.evidence.added_by_id == world.organiser_id
        assert added.evidence.option_key == option
        again = service.add_evidence(theme, kind, target_id, option_key=option, actor=_actor(world))
        db.session.commit()
        assert not again.created and again.evidence.id == added.evidence.id
        assert db.session.scalar(select(func.count(Evidence.id))) == 1
        [event] = _audit("theme.evidence_added")
        assert event.detail["theme_id"] == theme.id and event.detail["kind"] == kind


def test_whole_question_and_one_option_are_different_evidence(app, world):
    with app.app_context():
        theme = _get(Theme, make_theme(_consultation(world)).id)
        whole = service.add_evidence(theme, "question", world.colour, actor=_actor(world))
        one = service.add_evidence(
            theme, "question", world.colour, option_key="speech", actor=_actor(world)
        )
        assert whole.created and one.created


@pytest.mark.parametrize(
    "kind, target, option",
    [
        ("answer", "far_answer", None),  # another area
        ("answer", "draft_answer", None),  # a draft response
        ("answer", "missing", None),
        ("code", "missing", None),
        ("question", "words", None),  # a text question has no results to add
        ("question", "consent", None),  # consent is not an opinion
        ("question", "colour", "purple"),  # no such option
        ("post", "hidden", None),
        ("post", "other_post", None),  # another consultation's board
        ("post", "missing", None),
        ("bogus", "reply", None),
    ],
)
def test_add_evidence_refuses_what_is_not_this_consultations(app, world, kind, target, option):
    with app.app_context():
        theme = _get(Theme, make_theme(_consultation(world)).id)
        target_id = 987654 if target == "missing" else getattr(world, target)
        with pytest.raises(service.EvidenceNotFound):
            service.add_evidence(theme, kind, target_id, option_key=option, actor=_actor(world))


def test_add_evidence_refuses_a_code_of_another_survey(app, world):
    with app.app_context():
        other = _get(Consultation, world.open_id)
        survey = _get(Survey, make_survey(other).id)
        code, _ = coding.get_or_create_code(survey, "Theirs", actor=_actor(world))
        db.session.commit()
        theme = _get(Theme, make_theme(_consultation(world)).id)
        with pytest.raises(service.EvidenceNotFound):
            service.add_evidence(theme, "code", code.id, actor=_actor(world))


def test_no_evidence_for_a_consultation_without_a_survey(app, world):
    with app.app_context():
        c = _get(Consultation, make_consultation(make_area(), state="closed").id)
        theme = _get(Theme, make_theme(c).id)
        with pytest.raises(service.EvidenceNotFound):
            service.add_evidence(theme, "code", world.waiting, actor=_actor(world))


def test_remove_evidence_is_recorded_with_who_added_it(app, world):
    with app.app_context():
        theme = _get(Theme, make_theme(_consultation(world)).id)
        added = service.add_evidence(theme, "post", world.reply, actor=_actor(world)).evidence
        db.session.commit()
        admin = _get(User, world.admin_id)
        service.remove_evidence(theme, added, actor=admin)
        db.session.commit()
        assert db.session.scalar(select(func.count(Evidence.id))) == 0
        [event] = _audit("theme.evidence_removed")
        assert event.actor_id == world.admin_id
        assert event.detail["post_id"] == world.reply
        assert event.detail["added_by_id"] == world.organiser_id
        assert event.detail["added_at"]
        assert event.created_at is not None


def test_remove_evidence_of_another_theme_is_refused(app, world):
    with app.app_context():
        c = _consultation(world)
        mine, theirs = (_get(Theme, make_theme(c).id) for _ in range(2))
        added = service.add_evidence(theirs, "post", world.reply, actor=_actor(world)).evidence
        with pytest.raises(service.EvidenceNotFound):
            service.remove_evidence(mine, added, actor=_actor(world))


def test_get_theme_is_scoped_to_the_consultation(app, world):
    with app.app_context():
        theme = make_theme(_consultation(world))
        assert queries.get_theme(_consultation(world), theme.id).id == theme.id
        assert queries.get_theme(_get(Consultation, world.open_id), theme.id) is None
