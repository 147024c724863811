"""Plan services: each change is checked, audited with who did it, and (for commitments)
leaves the public timeline complete."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Area, PartnerOrganisation
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.plans import services
from forum.plans.models import (
    Commitment,
    CommitmentStatus,
    LocalPlan,
    PlanKind,
    Priority,
    ProgressUpdate,
)
from forum.plans.services import PlanError


def user(email):
    return db.session.scalar(select(User).where(User.email == email))


def audit(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def ctx(app, world):
    with app.app_context():
        yield world


def test_create_plan_makes_unique_slug_and_audits(ctx):
    area = db.session.get(Area, ctx.area_id)
    org = user("org@example.org")
    first = services.create_plan(
        area,
        title="SEND Strategy",
        kind=PlanKind.SEND_STRATEGY,
        starts_on=date(2026, 4, 1),
        ends_on=date(2029, 3, 31),
        actor=org,
    )
    second = services.create_plan(area, title="SEND strategy!", actor=org)
    new = services.create_plan(area, title="New", actor=org)
    assert first.slug == "send-strategy" and second.slug == "send-strategy-2"
    assert new.slug == "new-plan"
    assert not first.is_published
    assert [e.actor_id for e in audit("plan.created")] == [org.id] * 3


def test_create_plan_checks_period_and_title(ctx):
    area = db.session.get(Area, ctx.area_id)
    with pytest.raises(PlanError) as caught:
        services.create_plan(
            area, title="X", starts_on=date(2027, 1, 1), ends_on=date(2026, 1, 1), actor=None
        )
    assert caught.value.field == "ends_on"
    with pytest.raises(PlanError):
        services.create_plan(area, title="  ", actor=None)


def test_existing_callers_still_work(ctx):
    """The seed and consultations call these with only the original arguments."""
    area = db.session.get(Area, ctx.area_id)
    plan = services.create_plan(area, title="Seeded plan", summary="Hello", actor=None)
    priority = services.add_priority(plan, code="S1", title="First", actor=None)
    assert priority.position == 1 and priority.parent_id is None


def test_publish_unpublish_and_refusals(ctx):
    plan = db.session.get(LocalPlan, ctx.draft_id)
    org = user("org@example.org")
    services.publish_plan(plan, actor=org)
    assert plan.is_published
    with pytest.raises(PlanError):
        services.publish_plan(plan, actor=org)
    services.unpublish_plan(plan, actor=org)
    with pytest.raises(PlanError):
        services.unpublish_plan(plan, actor=org)
    assert len(audit("plan.published")) == len(audit("plan.unpublished")) == 1


def test_delete_plan_only_unpublished_and_empty(ctx):
    org = user("org@example.org")
    published = db.session.get(LocalPlan, ctx.plan_id)
    with pytest.raises(PlanError, match="Unpublish"):
        services.delete_plan(published, actor=org)
    draft = db.session.get(LocalPlan, ctx.draft_id)
    with pytest.raises(PlanError, match="1 priority"):
        services.delete_plan(draft, actor=org)
    empty = services.create_plan(draft.area, title="Empty", actor=org)
    services.delete_plan(empty, actor=org)
    assert db.session.get(LocalPlan, empty.id) is None
    assert audit("plan.deleted")[0].detail["title"] == "Empty"


def test_priority_code_unique_in_plan_case_insensitively(ctx):
    plan = db.session.get(LocalPlan, ctx.plan_id)
    with pytest.raises(PlanError) as caught:
        services.add_priority(plan, code="p1", title="Again", actor=None)
    assert caught.value.field == "code"
    assert "already used" in str(caught.value) and "Early help" in str(caught.value)
    # The same code in another plan is fine.
    other = db.session.get(LocalPlan, ctx.draft_id)
    assert services.add_priority(other, code="P1", title="Fine", actor=None).code == "P1"


@pytest.mark.parametrize("code", ["", "P 3", "P3<script>", "x" * 13, "=1"])
def test_priority_code_format(ctx, code):
    plan = db.session.get(LocalPlan, ctx.plan_id)
    with pytest.raises(PlanError):
        services.add_priority(plan, code=code, title="T", actor=None)


def test_sub_priority_position_and_parent_rules(ctx):
    plan = db.session.get(LocalPlan, ctx.plan_id)
    p1 = db.session.get(Priority, ctx.p1)
    p11 = db.session.get(Priority, ctx.p11)
    p12 = services.add_priority(plan, code="P1.2", title="Second", parent=p1, actor=None)
    assert p12.parent_id == p1.id and p12.position == 2
    with pytest.raises(PlanError, match="under itself"):
        services.update_priority(
            p1, code="P1", title="Early help", description="", parent=p11, actor=None
        )
    foreign = db.session.get(Priority, ctx.dp)
    with pytest.raises(PlanError, match="this plan"):
        services.add_priority(plan, code="P7", title="T", parent=foreign, actor=None)


def test_move_priority_among_siblings(ctx):
    p1, p2 = db.session.get(Priority, ctx.p1), db.session.get(Priority, ctx.p2)
    services.move_priority(p2, "up", actor=None)
    assert (p2.position, p1.position) == (1, 2)
    services.move_priority(p2, "up", actor=None)  # already first: nothing moves
    assert (p2.position, p1.position) == (1, 2)
    with pytest.raises(PlanError):
        services.move_priority(p2, "sideways", actor=None)


def test_delete_priority_refused_with_commitments_or_children(ctx):
    p1, p11, p2 = (db.session.get(Priority, i) for i in (ctx.p1, ctx.p11, ctx.p2))
    with pytest.raises(PlanError, match="1 commitment"):
        services.delete_priority(p11, actor=None)
    with pytest.raises(PlanError, match="commitment"):
        services.delete_priority(p1, actor=None)
    services.move_priority(p2, "up", actor=None)
    services.delete_priority(p2, actor=None)
    assert p1.position == 1
    assert audit("priority.deleted")[0].detail["code"] == "P2"


def test_add_commitment_checks(ctx):
    p2 = db.session.get(Priority, ctx.p2)
    council = db.session.get(PartnerOrganisation, ctx.council_id)
    foreign = db.session.get(PartnerOrganisation, ctx.south_council_id)
    actor = user("council@example.org")
    with pytest.raises(PlanError) as caught:
        services.add_commitment(p2, partner=foreign, title="T", actor=actor)
    assert caught.value.field == "partner_id"
    with pytest.raises(PlanError) as caught:
        services.add_commitment(p2, partner=council, title="T", progress=101, actor=actor)
    assert caught.value.field == "progress"
    with pytest.raises(PlanError) as caught:
        services.add_commitment(p2, partner=council, title="T", weight=0, actor=actor)
    assert caught.value.field == "weight"
    with pytest.raises(PlanError) as caught:
        services.add_commitment(
            p2, partner=council, title="T", status=CommitmentStatus.DROPPED, actor=actor
        )
    assert caught.value.field == "dropped_reason"
    made = services.add_commitment(
        p2, partner=council, title="T", dropped_reason="ignored", actor=actor
    )
    assert made.dropped_reason == "" and made.created_by_id == actor.id
    assert made.updated_by_id == actor.id


def test_post_update_moves_commitment_and_notifies(ctx, notified):
    c1 = db.session.get(Commitment, ctx.c1)
    actor = user("council@example.org")
    entry = services.post_update(
        c1,
        text="Behind because of staffing.",
        evidence_url="https://example.org/minutes",
        status=CommitmentStatus.DELAYED,
        progress=45,
        actor=actor,
    )
    assert (entry.status_before, entry.status_after) == (
        CommitmentStatus.ON_TRACK,
        CommitmentStatus.DELAYED,
    )
    assert (entry.progress_before, entry.progress_after) == (40, 45)
    assert entry.partner_id == ctx.council_id and entry.created_by_id == actor.id
    assert (c1.status, c1.progress, c1.updated_by_id) == (
        CommitmentStatus.DELAYED,
        45,
        actor.id,
    )
    assert notified == [(c1.id, CommitmentStatus.ON_TRACK, actor.id)]
    event = audit("commitment.progress")[0]
    assert event.actor_id == actor.id and event.detail["status_after"] == "delayed"


def test_post_update_without_status_change_does_not_notify(ctx, notified):
    c1 = db.session.get(Commitment, ctx.c1)
    org = user("org@example.org")
    entry = services.post_update(c1, text="Still going.", progress=41, actor=org)
    assert entry.partner_id is None  # the forum's organisers speak for no partner
    assert notified == []


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "example.org",
        "https://",
        "https://exa mple.org",
        "data:text/html,hi",
        "https://example.org/" + "x" * 500,
    ],
)
def test_evidence_url_must_be_http(ctx, url):
    c1 = db.session.get(Commitment, ctx.c1)
    with pytest.raises(PlanError) as caught:
        services.post_update(c1, text="Hi", evidence_url=url, actor=None)
    assert caught.value.field == "evidence_url"


def test_dropping_needs_reason_and_keeps_it(ctx, notified):
    c1 = db.session.get(Commitment, ctx.c1)
    with pytest.raises(PlanError) as caught:
        services.post_update(c1, text="Stopping", status=CommitmentStatus.DROPPED, actor=None)
    assert caught.value.field == "dropped_reason"
    services.post_update(
        c1,
        text="Stopping",
        status=CommitmentStatus.DROPPED,
        dropped_reason="No money",
        actor=None,
    )
    assert c1.dropped_reason == "No money"
    services.post_update(c1, text="Still dropped", actor=None)
    assert c1.dropped_reason == "No money"
    services.post_update(c1, text="Back on", status=CommitmentStatus.ON_TRACK, actor=None)
    assert c1.dropped_reason == ""


def test_edit_form_status_change_goes_on_timeline(ctx, notified):
    c1 = db.session.get(Commitment, ctx.c1)
    actor = user("council@example.org")
    services.update_commitment(
        c1,
        title="Open five hubs",
        description="",
        due_on=date(2027, 3, 31),
        status=CommitmentStatus.AT_RISK,
        progress=40,
        weight=2,
        actor=actor,
    )
    entries = list(db.session.scalars(select(ProgressUpdate)))
    assert len(entries) == 1
    assert entries[0].text == services.EDITED_STATUS
    assert entries[0].status_after is CommitmentStatus.AT_RISK
    assert notified == [(c1.id, CommitmentStatus.ON_TRACK, actor.id)]
    changed = audit("commitment.updated")[0].detail["changed"]
    assert set(changed) == {"title", "due_on", "weight"}
    # A change of progress alone is on the timeline too, without a notification.
    services.update_commitment(
        c1,
        title=c1.title,
        description="",
        due_on=c1.due_on,
        status=c1.status,
        progress=50,
        weight=2,
        actor=actor,
    )
    assert (
        db.session.scalar(select(ProgressUpdate.text).order_by(ProgressUpdate.id.desc()).limit(1))
        == services.EDITED_PROGRESS
    )
    assert len(notified) == 1
    # No change of status or progress: no timeline entry.
    services.update_commitment(
        c1,
        title="Renamed",
        description="",
        due_on=None,
        status=c1.status,
        progress=50,
        weight=2,
        actor=actor,
    )
    assert len(list(db.session.scalars(select(ProgressUpdate)))) == 2


def test_delete_commitment_refused_when_a_decision_links_to_it(ctx):
    from forum.outcomes.decisions.models import DecisionCommitment
    from tests.factories import make_consultation, make_decision, make_theme

    c1 = db.session.get(Commitment, ctx.c1)
    area = db.session.get(Area, ctx.area_id)
    council = db.session.get(PartnerOrganisation, ctx.council_id)
    decision = make_decision(make_theme(make_consultation(area, state="closed")), council)
    db.session.add(
        DecisionCommitment(decision_id=decision.id, commitment_id=c1.id, area_id=area.id)
    )
    db.session.flush()
    with pytest.raises(PlanError, match="dropped"):
        services.delete_commitment(c1, actor=None)
    c2 = db.session.get(Commitment, ctx.c2)
    services.delete_commitment(c2, actor=user("org@example.org"))
    assert db.session.get(Commitment, ctx.c2) is None
    assert audit("commitment.deleted")[0].detail["title"] == "Health visitors trained"


def test_status_change_works_with_the_real_notifier(ctx, monkeypatch):
    """The outbox side is H4's; here only that the call fits and nothing breaks."""
    monkeypatch.undo()
    c1 = db.session.get(Commitment, ctx.c1)
    entry = services.post_update(
        c1,
        text="Done.",
        status=CommitmentStatus.DONE,
        progress=100,
        actor=user("council@example.org"),
    )
    db.session.flush()
    assert entry.status_after is CommitmentStatus.DONE
