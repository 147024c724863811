"""Reading plans, priorities, commitments and their timelines.

A plan page is built from a fixed number of statements whatever its size: the priorities, the
commitments (with their owners), and one aggregate for the roll-up of progress.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import joinedload

from forum import hooks
from forum.extensions import db
from forum.plans.models import Commitment, CommitmentStatus, LocalPlan, Priority, ProgressUpdate


def priorities_of(area) -> list[Priority]:
    """Every priority of every plan in the area, in plan then priority order."""
    return list(
        db.session.scalars(
            select(Priority)
            .join(Priority.plan)
            .where(Priority.area_id == area.id)
            .order_by(LocalPlan.id, Priority.position)
        )
    )


def get_priorities(area, ids: list[int]) -> list[Priority]:
    """The priorities with these ids that belong to this area; others are ignored."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Priority)
            .where(Priority.area_id == area.id, Priority.id.in_(ids))
            .order_by(Priority.position)
        )
    )


# --- plans ---------------------------------------------------------------------------------


def select_plans(area, *, drafts: bool = False) -> Select:
    """The area's plans, newest period first; unpublished ones only when `drafts`."""
    query = select(LocalPlan).where(LocalPlan.area_id == area.id)
    if not drafts:
        query = query.where(LocalPlan.published_at.is_not(None))
    return query.order_by(
        LocalPlan.starts_on.desc().nulls_last(), LocalPlan.created_at.desc(), LocalPlan.id.desc()
    )


def get_plans(area, *, drafts: bool = False, limit: int | None = None) -> list[LocalPlan]:
    """The plans `select_plans` finds, at most `limit` of them."""
    return list(db.session.scalars(select_plans(area, drafts=drafts).limit(limit)))


def get_plan(area, slug: str) -> LocalPlan | None:
    if not slug or len(slug) > 80:
        return None
    return db.session.scalar(
        select(LocalPlan).where(LocalPlan.area_id == area.id, LocalPlan.slug == slug)
    )


def _int_id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        abort(404)
    if not 0 < number < 2**31:
        abort(404)
    return number


def load_plan(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the area's plan by slug, or 404."""
    from forum.areas.queries import load_in_area

    return load_in_area(kwargs, "plan", "plan_slug", get_plan)


def load_priority(kwargs: dict) -> dict:
    """URL loader: a priority of this plan (404 for another plan's or area's)."""
    kwargs = load_plan(kwargs)
    priority = db.session.scalar(
        select(Priority).where(
            Priority.id == _int_id(kwargs.pop("priority_id")),
            Priority.plan_id == kwargs["plan"].id,
        )
    )
    if priority is None:
        abort(404)
    kwargs["priority"] = priority
    return kwargs


def load_commitment(kwargs: dict) -> dict:
    """URL loader: a commitment under one of this plan's priorities, or 404."""
    kwargs = load_plan(kwargs)
    commitment = db.session.scalar(
        select(Commitment)
        .join(Commitment.priority)
        .options(joinedload(Commitment.partner), joinedload(Commitment.priority))
        .where(
            Commitment.id == _int_id(kwargs.pop("commitment_id")),
            Priority.plan_id == kwargs["plan"].id,
        )
    )
    if commitment is None:
        abort(404)
    kwargs["commitment"] = commitment
    return kwargs


# --- the tree and its roll-up --------------------------------------------------------------


def _percent(total: int, weight: int) -> int | None:
    """Weighted average as a whole percentage, halves rounded up; None with no weight."""
    if not weight:
        return None
    return (2 * int(total) + int(weight)) // (2 * int(weight))


def rollup(plan: LocalPlan, priorities: list[Priority] | None = None) -> dict:
    """Each priority's progress: the weighted average of the progress of every commitment under
    it or its sub-priorities, dropped ones left out; None when it has none. The key None holds
    the whole plan's figure.

    One aggregate statement (and one for the tree when `priorities` is not given).
    """
    pairs: Sequence[Row[int, int | None]] | list[tuple[int, int | None]]
    if priorities is None:
        pairs = db.session.execute(
            select(Priority.id, Priority.parent_id).where(Priority.plan_id == plan.id)
        ).all()
    else:
        pairs = [(p.id, p.parent_id) for p in priorities]
    parents = dict(pairs)
    sums = db.session.execute(
        select(
            Commitment.priority_id,
            func.sum(Commitment.progress * Commitment.weight),
            func.sum(Commitment.weight),
        )
        .join(Commitment.priority)
        .where(Priority.plan_id == plan.id, Commitment.status != CommitmentStatus.DROPPED)
        .group_by(Commitment.priority_id)
    ).all()
    totals = {pid: [0, 0] for pid in parents}
    overall = [0, 0]
    node: int | None
    for priority_id, weighted, weight in sums:
        overall[0] += int(weighted or 0)
        overall[1] += int(weight or 0)
        node, seen = priority_id, set()
        # Add to the priority and every ancestor (guarding against a broken, cyclic tree).
        while node is not None and node in totals and node not in seen:
            totals[node][0] += int(weighted or 0)
            totals[node][1] += int(weight or 0)
            seen.add(node)
            node = parents.get(node)
    result: dict = {pid: _percent(*pair) for pid, pair in totals.items()}
    result[None] = _percent(*overall)
    return result


@dataclass
class Node:
    """A priority on the plan page, with its sub-priorities, commitments and roll-up."""

    priority: Priority
    depth: int
    progress: int | None
    children: list[Node] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    is_first: bool = False
    is_last: bool = False


def plan_priorities(plan: LocalPlan) -> list[Priority]:
    return list(
        db.session.scalars(
            select(Priority)
            .where(Priority.plan_id == plan.id)
            .order_by(Priority.position, Priority.id)
        )
    )


def plan_commitments(plan: LocalPlan) -> list[Commitment]:
    """Every commitment of the plan with its owner organisation, in one statement."""
    return list(
        db.session.scalars(
            select(Commitment)
            .join(Commitment.priority)
            .options(joinedload(Commitment.partner))
            .where(Priority.plan_id == plan.id)
            .order_by(Commitment.position, Commitment.id)
        )
    )


def plan_tree(plan: LocalPlan) -> tuple[list[Node], int | None]:
    """The plan's priorities as a tree (top-level ones first), each with its commitments and
    roll-up, and the whole plan's progress. Three statements whatever the plan's size."""
    priorities = plan_priorities(plan)
    progress = rollup(plan, priorities)
    nodes = {p.id: Node(priority=p, depth=0, progress=progress.get(p.id)) for p in priorities}
    roots: list[Node] = []
    for p in priorities:
        parent = nodes.get(p.parent_id) if p.parent_id else None
        (parent.children if parent is not None else roots).append(nodes[p.id])
    for commitment in plan_commitments(plan):
        node = nodes.get(commitment.priority_id)
        if node is not None:
            node.commitments.append(commitment)

    def settle(siblings: list[Node], depth: int, seen: set) -> None:
        for index, node in enumerate(siblings):
            seen.add(node.priority.id)
            node.depth = depth
            node.is_first, node.is_last = index == 0, index == len(siblings) - 1
            node.children = [c for c in node.children if c.priority.id not in seen]
            settle(node.children, depth + 1, seen)

    settle(roots, 0, set())
    return roots, progress.get(None)


def descendant_ids(priority: Priority, priorities: list[Priority]) -> set[int]:
    """The ids of the priority and everything under it, from an already loaded list."""
    children: dict[int | None, list[int]] = {}
    for p in priorities:
        children.setdefault(p.parent_id, []).append(p.id)
    found, stack = set(), [priority.id]
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.add(node)
        stack.extend(children.get(node, []))
    return found


def plan_figures(area, plan_ids: list[int]) -> dict[int, dict]:
    """For each plan: how many commitments it has and its overall progress, in one
    statement (for the list of plans)."""
    if not plan_ids:
        return {}
    counted = func.count(Commitment.id)
    active = Commitment.status != CommitmentStatus.DROPPED
    rows = db.session.execute(
        select(
            Priority.plan_id,
            counted,
            func.sum(func.coalesce((Commitment.progress * Commitment.weight), 0)).filter(active),
            func.sum(Commitment.weight).filter(active),
        )
        .join(Commitment, Commitment.priority_id == Priority.id)
        .where(Priority.area_id == area.id, Priority.plan_id.in_(plan_ids))
        .group_by(Priority.plan_id)
    ).all()
    figures = {pid: {"commitments": 0, "progress": None} for pid in plan_ids}
    for plan_id, count, weighted, weight in rows:
        figures[plan_id] = {
            "commitments": count,
            "progress": _percent(weighted or 0, weight or 0),
        }
    return figures


def timeline(commitment: Commitment) -> list[ProgressUpdate]:
    """The commitment's public timeline, newest first, with each speaker's organisation."""
    return list(
        db.session.scalars(
            select(ProgressUpdate)
            .options(joinedload(ProgressUpdate.partner))
            .where(ProgressUpdate.commitment_id == commitment.id)
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        )
    )


#: the audit entries that make up the record of changes to an area's plans
CHANGE_SUBJECTS = ("LocalPlan", "Priority", "Commitment")


def select_changes(area) -> Select:
    """Every recorded change to the area's plans, priorities and commitments, newest first
    (deleted ones included: the entry keeps what they were called)."""
    from forum.audit.models import AuditEvent

    return (
        select(AuditEvent)
        .where(AuditEvent.area_id == area.id, AuditEvent.subject_type.in_(CHANGE_SUBJECTS))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )


def count_commitment_links(commitment: Commitment) -> int:
    """Rows of higher areas that point at the commitment (decisions on feedback), found
    through `hooks.commitment_links`; while there are any, it cannot be deleted."""
    return sum(
        db.session.scalar(
            select(func.count()).select_from(column.class_).where(column == commitment.id)
        )
        for column in (provider.target for provider in hooks.commitment_links)
    )
