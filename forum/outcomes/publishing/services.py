"""Publishing a consultation's response: the forum's "Publish the response" button.

Every theme and decision not yet published gets its `published_at`, the consultation moves to
"responded" (the first time), and the people whose feedback is behind the newly published
decisions are told (and, through `hooks.ledger_published`, the area's members and
subscribers). Publishing again later publishes only what was added since.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from forum import hooks
from forum.audit.services import record
from forum.consultations.models import Consultation, ConsultationState
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.decisions.models import Decision
from forum.outcomes.permissions import ANALYSABLE
from forum.outcomes.publishing.queries import plan_publishing
from forum.outcomes.themes.models import Theme


class PublishRefused(Refused):
    """Publishing does not make sense now; the message is safe to show."""


@dataclass(frozen=True)
class Published:
    themes: list[Theme]
    decisions: list[Decision]
    #: the consultation moved to "responded" with this publishing
    first_time: bool


def _stamp_published(model, ids: list[int], now) -> None:
    """Set `published_at` on those of `ids` not yet published. Naming updated_at keeps it, so
    a decision does not read "Updated" on the day it is published."""
    if ids:
        db.session.execute(
            update(model)
            .where(model.id.in_(ids), model.published_at.is_(None))
            .values(published_at=now, updated_at=model.updated_at)
            .execution_options(synchronize_session=False)
        )


def publish_response(consultation: Consultation, *, actor) -> Published:
    """Publish every theme and decision not yet published; move the consultation to
    "responded" if it is not already; recount the area's scorecard figures; tell the people
    behind the new decisions."""
    from forum.consultations.services import mark_responded
    from forum.outcomes.feedback import services as notify
    from forum.outcomes.scorecard.services import refresh_figures

    state = consultation.state
    if state not in ANALYSABLE:
        raise PublishRefused(
            f"A consultation that is {state.label.lower()} has no response to publish"
        )
    plan = plan_publishing(consultation)
    if not plan.themes:
        raise PublishRefused("There are no themes yet. Build the themes before publishing")
    now = utcnow()
    theme_ids = [t.id for t in plan.new_themes]
    decision_ids = [d.id for d in plan.new_decisions]
    _stamp_published(Theme, theme_ids, now)
    _stamp_published(Decision, decision_ids, now)
    for obj in [*plan.new_themes, *plan.new_decisions]:
        db.session.refresh(obj)
    first_time = state is ConsultationState.CLOSED
    if first_time:
        mark_responded(consultation, actor=actor)
    record(
        "consultation.response_published",
        consultation,
        actor=actor,
        area=consultation.area,
        themes=len(theme_ids),
        decisions=len(decision_ids),
        first_time=first_time,
    )
    refresh_figures([consultation.area_id])
    if plan.new_decisions:
        notify.decisions_published(consultation, plan.new_decisions, actor=actor)
    hooks.ledger_published.send(
        consultation,
        themes=plan.new_themes,
        decisions=plan.new_decisions,
        first_time=first_time,
        actor=actor,
    )
    return Published(themes=plan.new_themes, decisions=plan.new_decisions, first_time=first_time)
