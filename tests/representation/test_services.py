"""The representation log's writes: meetings with their people, themes and priorities, actions,
and an action becoming a plan commitment with the link kept both ways."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from forum.areas.models import Area, PartnerOrganisation
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, Priority
from forum.representation import services
from forum.representation.models import Action, Meeting, Representative
from forum.representation.services import RepresentationError
from tests.representation.worlds import user


@pytest.fixture
def ctx(app, world):
    with app.app_context():
        yield world


def _area(world):
    return db.session.get(Area, world.area_id)


def test_recording_a_meeting_keeps_its_people_topics_and_an_audit_entry(ctx):
    area, organiser = _area(ctx), user("org@example.org")
    meeting = services.record_meeting(
        area,
        name="  ICB board  ",
        held_on=date(2026, 11, 2),
        partner=db.session.get(PartnerOrganisation, ctx.icb_id),
        members=[user("member@example.org"), user("member@example.org")],
        other_people=["Ali", "", "Ali", "Jo"],
        themes=[db.session.get(Theme, ctx.theme)],
        actor=organiser,
    )
    assert meeting.name == "ICB board"
    assert meeting.organisation == "NHS Northshire ICB"
    assert [p.shown_name for p in meeting.representatives] == [
        user("member@example.org").display_name,
        "Ali",
        "Jo",
    ]
    assert not meeting.is_public
    assert db.session.scalar(
        select(func.count()).where(
            AuditEvent.action == "meeting.recorded", AuditEvent.subject_id == meeting.id
        )
    )


def test_another_organisation_is_typed_and_one_is_needed(ctx):
    area, organiser = _area(ctx), user("org@example.org")
    meeting = services.record_meeting(
        area, name="Trust", held_on=date(2026, 11, 2), partner_name="A trust", actor=organiser
    )
    assert meeting.partner_id is None and meeting.organisation == "A trust"
    with pytest.raises(RepresentationError) as raised:
        services.record_meeting(area, name="Nobody's", held_on=date(2026, 11, 2), actor=organiser)
    assert raised.value.field == "partner_name"


def test_another_areas_partner_theme_or_priority_is_refused(ctx):
    area, organiser = _area(ctx), user("org@example.org")
    south = db.session.get(PartnerOrganisation, ctx.south_council_id)
    with pytest.raises(RepresentationError):
        services.record_meeting(
            area, name="X", held_on=date(2026, 11, 2), partner=south, actor=organiser
        )
    south_area = db.session.get(Area, ctx.south_id)
    with pytest.raises(RepresentationError):
        services.record_meeting(
            south_area,
            name="X",
            held_on=date(2026, 11, 2),
            partner_name="Y",
            priorities=[db.session.get(Priority, ctx.p1)],
            actor=organiser,
        )


@pytest.mark.parametrize(
    "held_on, message",
    [
        (None, "Enter the date"),
        (date.today() + timedelta(days=400), "within the next year"),
        (date(2001, 1, 1), "within the last 10 years"),
    ],
)
def test_meeting_dates_far_away_are_refused(ctx, held_on, message):
    with pytest.raises(RepresentationError, match=message):
        services.record_meeting(_area(ctx), name="X", held_on=held_on, partner_name="Y", actor=None)


def test_editing_keeps_the_people_who_stay_and_a_former_member(ctx):
    meeting = db.session.get(Meeting, ctx.board)
    former = Representative(area_id=meeting.area_id, is_former_member=True)
    meeting.representatives.append(former)
    db.session.flush()
    kept = [p.id for p in meeting.representatives if p.user_id is not None]
    services.update_meeting(
        meeting,
        name=meeting.name,
        held_on=meeting.held_on,
        partner=meeting.partner,
        members=[user("member@example.org")],
        other_people=["New person"],
        actor=user("org@example.org"),
    )
    names = [p.shown_name for p in meeting.representatives]
    assert "A former member" in names and "New person" in names and "Sam Carer" not in names
    assert [p.id for p in meeting.representatives if p.user_id is not None] == kept
    # Made private again by leaving the switches off.
    assert not meeting.is_public


def test_actions_are_checked_and_numbered(ctx):
    meeting = db.session.get(Meeting, ctx.board)
    action = services.add_action(meeting, text="Third thing", actor=None)
    assert action.position == 3
    with pytest.raises(RepresentationError, match="on or after the date of the meeting"):
        services.add_action(
            meeting, text="X", due_on=meeting.held_on - timedelta(days=1), actor=None
        )
    with pytest.raises(RepresentationError, match="within 10 years"):
        services.add_action(meeting, text="X", due_on=date(2040, 1, 1), actor=None)
    with pytest.raises(RepresentationError, match="Enter what was agreed"):
        services.add_action(meeting, text="   ", actor=None)
    services.update_action(
        action, text="Changed", owner="Us", due_on=None, is_done=True, actor=None
    )
    assert action.is_done and action.text == "Changed"
    services.delete_action(action, actor=None)
    assert db.session.get(Action, action.id) is None


def test_an_action_becomes_a_commitment_once_with_the_link_kept(ctx):
    action = db.session.get(Action, ctx.open_action)
    council = db.session.get(PartnerOrganisation, ctx.council_id)
    priority = db.session.get(Priority, ctx.p2)
    commitment = services.make_commitment(
        action, priority=priority, partner=council, actor=user("org@example.org")
    )
    assert action.commitment_id == commitment.id
    assert commitment.title == action.text
    assert commitment.partner_id == council.id and commitment.due_on == date(2027, 3, 31)
    assert commitment.description == ""
    with pytest.raises(RepresentationError, match="already a commitment"):
        services.make_commitment(action, priority=priority, partner=council, actor=None)


def test_a_long_action_keeps_its_whole_words_in_the_commitment(ctx):
    meeting = db.session.get(Meeting, ctx.board)
    words = "word " * 90
    action = services.add_action(meeting, text=words, actor=None)
    commitment = services.make_commitment(
        action,
        priority=db.session.get(Priority, ctx.p2),
        partner=db.session.get(PartnerOrganisation, ctx.council_id),
        actor=None,
    )
    assert len(commitment.title) <= 200 and commitment.title.endswith("…")
    assert words.strip() in commitment.description


def test_a_commitment_needs_this_areas_priority_and_partner(ctx):
    action = db.session.get(Action, ctx.open_action)
    south = db.session.get(PartnerOrganisation, ctx.south_council_id)
    with pytest.raises(RepresentationError) as raised:
        services.make_commitment(
            action, priority=db.session.get(Priority, ctx.p2), partner=south, actor=None
        )
    assert raised.value.field == "partner_id"
    with pytest.raises(RepresentationError) as raised:
        services.make_commitment(action, priority=None, partner=south, actor=None)
    assert raised.value.field == "priority_id"


def test_deleting_the_commitment_leaves_the_action_and_deleting_the_meeting_leaves_the_commitment(
    ctx,
):
    from forum.plans import services as plans

    action = db.session.get(Action, ctx.open_action)
    commitment = services.make_commitment(
        action,
        priority=db.session.get(Priority, ctx.p2),
        partner=db.session.get(PartnerOrganisation, ctx.council_id),
        actor=None,
    )
    commitment_id = commitment.id
    services.delete_meeting(db.session.get(Meeting, ctx.board), actor=None)
    assert db.session.get(Commitment, commitment_id) is not None
    assert db.session.get(Action, ctx.open_action) is None

    meeting = db.session.get(Meeting, ctx.quiet)
    other = meeting.actions[0]
    made = services.make_commitment(
        other,
        priority=db.session.get(Priority, ctx.p2),
        partner=db.session.get(PartnerOrganisation, ctx.council_id),
        actor=None,
    )
    plans.delete_commitment(made, actor=None)
    db.session.expire_all()
    assert db.session.get(Action, other.id).commitment_id is None
