"""Reading decisions: a partner's decision on a theme, a decision from its URL, and the area's
commitments a decision may link to."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.consultations.queries import load_consultation
from forum.extensions import db
from forum.outcomes.decisions.models import Decision, DecisionCommitment
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, LocalPlan, Priority
from forum.web.urls import ID_MAX


def decision_for(theme: Theme, partner_id: int) -> Decision | None:
    """The partner's decision on the theme, if it has given one."""
    return db.session.scalar(
        select(Decision)
        .options(selectinload(Decision.links))
        .where(Decision.theme_id == theme.id, Decision.partner_id == partner_id)
    )


def load_decision(kwargs: dict) -> dict:
    """URL loader: a decision on one of the consultation's themes (404 otherwise)."""
    kwargs = load_consultation(kwargs)
    consultation = kwargs["consultation"]
    decision_id = kwargs.pop("decision_id")
    decision = None
    if 0 < decision_id <= ID_MAX:
        decision = db.session.scalar(
            select(Decision)
            .join(Theme, Theme.id == Decision.theme_id)
            .options(
                selectinload(Decision.partner),
                selectinload(Decision.links).selectinload(DecisionCommitment.commitment),
            )
            .where(
                Decision.id == decision_id,
                Decision.area_id == consultation.area_id,
                Theme.consultation_id == consultation.id,
            )
        )
    if decision is None:
        abort(404)
    kwargs["decision"] = decision
    return kwargs


def commitments_in_area(area_id: int, ids: list[int]) -> list[Commitment]:
    """The commitments with these ids in this area (others are left out)."""
    return list(
        db.session.scalars(
            select(Commitment).where(Commitment.area_id == area_id, Commitment.id.in_(ids))
        )
    )


def area_commitments(area) -> list[tuple[Priority, list[Commitment]]]:
    """The area's commitments grouped by plan priority, in plan order, owners loaded."""
    rows = db.session.scalars(
        select(Commitment)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .options(selectinload(Commitment.partner), selectinload(Commitment.priority))
        .where(Commitment.area_id == area.id)
        .order_by(LocalPlan.id, Priority.position, Priority.id, Commitment.position, Commitment.id)
    )
    groups: list[tuple[Priority, list[Commitment]]] = []
    for commitment in rows:
        if not groups or groups[-1][0].id != commitment.priority_id:
            groups.append((commitment.priority, []))
        groups[-1][1].append(commitment)
    return groups
