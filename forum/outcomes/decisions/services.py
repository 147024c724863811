"""Writing decisions ("we did") and the forum's review of them.

A partner organisation gives at most one decision per theme; the same page changes it. A
decision links to commitments of the area's local plan (existing ones, or one created on the
spot for the responder's own organisation). Linking or unlinking never touches a commitment's
status. The forum's organisers mark each decision agreed or disputed.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. A broken rule raises `DecisionRefused`, whose message is safe to show beside `.field`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import update

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.decisions.models import Decision, DecisionCommitment, ForumView, Outcome
from forum.outcomes.decisions.queries import commitments_in_area, decision_for
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment
from forum.plans.queries import get_priorities
from forum.web.time import LONDON

EXPLANATION_MAX = 5000
REASON_MAX = 5000
COMMENT_MAX = 2000
COMMITMENT_TITLE_MAX = 200


class DecisionRefused(Refused):
    """A rule about decisions was broken; the message is safe to show beside `field`."""


@dataclass(frozen=True)
class NewCommitment:
    """A commitment made on the spot from the answer page, owned by the responder's
    organisation."""

    title: str
    priority_id: int | None
    due_on: date | None = None


@dataclass
class Answer:
    """What a partner says about a theme."""

    outcome: Outcome
    explanation: str
    reason: str = ""
    decide_by: date | None = None
    commitment_ids: list[int] = field(default_factory=list)
    new_commitment: NewCommitment | None = None


def london_today() -> date:
    return utcnow().astimezone(LONDON).date()


def _check(answer: Answer, existing: Decision | None) -> None:
    if not (answer.explanation or "").strip():
        raise DecisionRefused("Explain in plain words what you will do", "explanation")
    if len(answer.explanation) > EXPLANATION_MAX:
        raise DecisionRefused(
            f"The explanation must be {EXPLANATION_MAX:,} characters or fewer", "explanation"
        )
    if len(answer.reason or "") > REASON_MAX:
        raise DecisionRefused(f"The reason must be {REASON_MAX:,} characters or fewer", "reason")
    if answer.outcome is Outcome.NOT_ADOPTED and not (answer.reason or "").strip():
        raise DecisionRefused("Say why this is not being adopted", "reason")
    if answer.outcome is Outcome.UNDER_CONSIDERATION:
        if answer.decide_by is None:
            raise DecisionRefused("Enter the date you will decide by", "decide_by")
        unchanged = existing is not None and existing.decide_by == answer.decide_by
        if not unchanged and answer.decide_by <= london_today():
            raise DecisionRefused("The date to decide by must be in the future", "decide_by")


def _commitments_in_area(area_id: int, ids: list[int]) -> list[Commitment]:
    if not ids:
        return []
    found = commitments_in_area(area_id, ids)
    if len(found) != len(set(ids)):
        raise DecisionRefused(
            "One of the commitments chosen is not in this area's plans. Choose again",
            "commitments",
        )
    return found


def add_commitment_for(
    area, partner_id: int, new: NewCommitment, *, actor, decision: Decision | None = None
) -> Commitment:
    """A commitment under one of the area's priorities, owned by `partner_id`, not started."""
    title = (new.title or "").strip()
    if not title:
        raise DecisionRefused("Enter a title for the new commitment", "new_title")
    if len(title) > COMMITMENT_TITLE_MAX:
        raise DecisionRefused(
            f"The commitment's title must be {COMMITMENT_TITLE_MAX} characters or fewer",
            "new_title",
        )
    found = get_priorities(area, [new.priority_id]) if new.priority_id else []
    priority = found[0] if found else None
    if priority is None:
        raise DecisionRefused(
            "Choose the plan priority the new commitment is under", "new_priority"
        )
    if new.due_on is not None and new.due_on < london_today():
        raise DecisionRefused("The due date of the new commitment cannot be in the past", "new_due")
    from forum.areas.models import PartnerOrganisation
    from forum.plans import services as plans

    partner = db.session.get(PartnerOrganisation, partner_id)
    try:
        commitment = plans.add_commitment(
            priority, partner=partner, title=title, due_on=new.due_on, actor=actor
        )
    except plans.PlanError as exc:
        field = {"title": "new_title", "due_on": "new_due"}.get(exc.field or "", "new_title")
        raise DecisionRefused(str(exc), field) from exc
    if decision is not None:
        record(
            "decision.commitment_created",
            decision,
            actor=actor,
            area=area,
            commitment_id=commitment.id,
        )
    return commitment


def answer_theme(theme: Theme, partner_id: int, answer: Answer, *, actor) -> Decision:
    """Give or change `partner_id`'s decision on `theme`. Commitment links follow
    `answer.commitment_ids` exactly (plus the new commitment, if any): missing ones are
    unlinked and the unlinking is recorded. A decision changed after publishing stays
    published; its new `updated_at` is shown as "Updated <date>". A change to the answer
    itself sends the forum's review back to "not reviewed yet"."""
    area = theme.consultation.area
    existing = decision_for(theme, partner_id)
    _check(answer, existing)
    wanted = _commitments_in_area(area.id, sorted(set(answer.commitment_ids)))
    if existing is None:
        decision, changed_answer = _give(theme, partner_id, answer, actor=actor), True
    else:
        decision, changed_answer = existing, _change(existing, theme, answer, actor=actor)
    if answer.new_commitment is not None:
        wanted.append(
            add_commitment_for(
                area, partner_id, answer.new_commitment, actor=actor, decision=decision
            )
        )
    links_changed = _relink(decision, wanted, actor=actor, area=area)
    if links_changed and not changed_answer and decision.published_at is not None:
        # New links are part of the public answer: show it as updated.
        decision.updated_by_id = getattr(actor, "id", None)
        decision.updated_at = utcnow()
    db.session.flush()
    return decision


def _kept(answer: Answer) -> tuple[str, date | None]:
    """The reason and decide-by date an answer keeps. A reason is asked for (and shown) only
    with "not adopted", a date only with "under consideration"; one typed before the outcome
    was changed is not kept."""
    reason = (answer.reason or "").strip() if answer.outcome is Outcome.NOT_ADOPTED else ""
    decide_by = answer.decide_by if answer.outcome is Outcome.UNDER_CONSIDERATION else None
    return reason, decide_by


def _give(theme: Theme, partner_id: int, answer: Answer, *, actor) -> Decision:
    """A partner's first decision on a theme."""
    area = theme.consultation.area
    reason, decide_by = _kept(answer)
    actor_id = getattr(actor, "id", None)
    decision = Decision(
        theme_id=theme.id,
        area_id=area.id,
        partner_id=partner_id,
        outcome=answer.outcome,
        explanation=answer.explanation.strip(),
        reason=reason,
        decide_by=decide_by,
        created_by_id=actor_id,
        updated_by_id=actor_id,
    )
    db.session.add(decision)
    db.session.flush()
    record(
        "decision.given",
        decision,
        actor=actor,
        area=area,
        theme_id=theme.id,
        outcome=answer.outcome.value,
    )
    return decision


def _change(decision: Decision, theme: Theme, answer: Answer, *, actor) -> bool:
    """Change a decision's answer; True if anything in it changed, which also sends the
    forum's review back to "not reviewed yet"."""
    reason, decide_by = _kept(answer)
    before = (decision.outcome, decision.explanation, decision.reason, decision.decide_by)
    decision.outcome = answer.outcome
    decision.explanation = answer.explanation.strip()
    decision.reason = reason
    decision.decide_by = decide_by
    after = (decision.outcome, decision.explanation, decision.reason, decision.decide_by)
    if before == after:
        return False
    decision.updated_by_id = getattr(actor, "id", None)
    view_before = decision.forum_view
    if view_before is not ForumView.PENDING:
        # The forum agreed (or disputed) a different answer; it reviews this one again.
        decision.forum_view = ForumView.PENDING
    db.session.flush()
    record(
        "decision.changed",
        decision,
        actor=actor,
        area=theme.consultation.area,
        theme_id=theme.id,
        outcome_before=before[0].value,
        outcome=decision.outcome.value,
        was_published=decision.published_at is not None,
        review_reset=view_before is not ForumView.PENDING,
    )
    return True


def _relink(decision: Decision, wanted: list[Commitment], *, actor, area) -> bool:
    """Make the decision's links exactly `wanted`; record each link and unlink. Commitments
    are only referenced, never changed."""
    current = {link.commitment_id: link for link in decision.links}
    wanted_ids = {c.id for c in wanted}
    changed = False
    for commitment_id, link in list(current.items()):
        if commitment_id not in wanted_ids:
            decision.links.remove(link)
            record(
                "decision.commitment_unlinked",
                decision,
                actor=actor,
                area=area,
                commitment_id=commitment_id,
            )
            changed = True
    for commitment in wanted:
        if commitment.id in current:
            continue
        decision.links.append(
            DecisionCommitment(
                commitment_id=commitment.id,
                area_id=area.id,
                linked_by_id=getattr(actor, "id", None),
            )
        )
        record(
            "decision.commitment_linked",
            decision,
            actor=actor,
            area=area,
            commitment_id=commitment.id,
        )
        changed = True
    db.session.flush()
    return changed


def review_decision(decision: Decision, view: ForumView, comment: str, *, actor) -> Decision:
    """The forum's view of a partner's decision, with who and when. A dispute needs a
    comment, which is shown publicly beside the answer. Reviewing does not count as a change
    to the partner's answer (its "Updated" date stays as it was)."""
    comment = (comment or "").strip()
    if view is ForumView.PENDING:
        raise DecisionRefused("Choose whether the forum agrees or disputes this", "forum_view")
    if view is ForumView.DISPUTED and not comment:
        raise DecisionRefused("Say why the forum disputes this answer", "comment")
    if len(comment) > COMMENT_MAX:
        raise DecisionRefused(f"The comment must be {COMMENT_MAX:,} characters or fewer", "comment")
    before = decision.forum_view
    now = utcnow()
    actor_id = getattr(actor, "id", None)
    db.session.execute(
        update(Decision)
        .where(Decision.id == decision.id)
        # Naming updated_at keeps it: only the partner's own changes move it.
        .values(
            forum_view=view,
            forum_comment=comment,
            forum_view_at=now,
            forum_view_by_id=actor_id,
            updated_at=Decision.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(decision)
    record(
        "decision.reviewed",
        decision,
        actor=actor,
        area=decision.theme.consultation.area,
        forum_view=view.value,
        forum_view_before=before.value,
    )
    return decision
