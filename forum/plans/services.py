"""Writing plans, priorities, commitments and progress updates.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. A broken rule raises `PlanError`, whose message is safe to show beside `field`.

Every change to a commitment's status or progress leaves an entry on its public timeline
(a `ProgressUpdate`), whether it came through a progress update or the edit form, so the
timeline never misses a change; a change of status also tells the people whose feedback is
linked to the commitment (through `hooks.commitment_status_changed`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import cast
from urllib.parse import urlsplit

from sqlalchemy import func, select, update

from forum import hooks
from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.plans.models import (
    Commitment,
    CommitmentStatus,
    LocalPlan,
    PlanKind,
    Priority,
    ProgressUpdate,
)
from forum.plans.queries import count_commitment_links

TITLE_MAX = 200
CODE_MAX = 12
TEXT_MAX = 10_000
URL_MAX = 500
WEIGHT_MAX = 100
#: codes are short references people type and read aloud: "P3", "P3.1", "2a"
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,11}$")
#: the automatic timeline text when a change came through the edit form
EDITED_STATUS = "Status changed."
EDITED_PROGRESS = "Progress changed."


class PlanError(Refused):
    """A plan rule was broken; the message is safe to show."""


def _assign(obj, **values) -> list[str]:
    """Set the attributes; the names of those whose value changed, in the order given, for the
    audit entry's `changed`."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name, value in values.items():
        setattr(obj, name, value)
    return changed


def _actor_id(actor) -> int | None:
    return getattr(actor, "id", None)


#: addresses under /plans/ that a plan's slug must not take
RESERVED_SLUGS = {"new", "changes"}


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:60].strip("-") or "plan"
    return f"{slug}-plan" if slug in RESERVED_SLUGS else slug


def unique_plan_slug(area, title: str, *, exclude_id: int | None = None) -> str:
    """A slug for the plan's address, unique within the area."""
    base = _slugify(title)
    taken = set(
        db.session.scalars(
            select(LocalPlan.slug).where(
                LocalPlan.area_id == area.id,
                LocalPlan.slug.like(f"{base}%"),
                LocalPlan.id != (exclude_id or 0),
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_text(value: str, *, what: str, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise PlanError(f"Enter {what}", field=field)
    if len(value) > limit:
        raise PlanError(f"{what.capitalize()} must be {limit:,} characters or fewer", field=field)
    return value


def _check_period(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise PlanError("The end of the period must be after its start", field="ends_on")


# --- plans ---------------------------------------------------------------------------------


def create_plan(
    area,
    *,
    title: str,
    summary: str = "",
    kind: PlanKind = PlanKind.INCLUSION_PLAN,
    starts_on: date | None = None,
    ends_on: date | None = None,
    actor,
) -> LocalPlan:
    """A new, unpublished plan: only organisers and responders see it until it is published."""
    title = _check_text(title, what="a title", field="title", limit=TITLE_MAX)
    _check_period(starts_on, ends_on)
    plan = LocalPlan(
        area_id=area.id,
        slug=unique_plan_slug(area, title),
        title=title,
        summary=summary or "",
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    db.session.add(plan)
    db.session.flush()
    record("plan.created", plan, actor=actor, area=area, label=title)
    return plan


def update_plan(
    plan: LocalPlan,
    *,
    title: str,
    summary: str,
    kind: PlanKind,
    starts_on: date | None,
    ends_on: date | None,
    actor,
) -> LocalPlan:
    """Change the plan's details. Its address stays the same so links keep working."""
    title = _check_text(title, what="a title", field="title", limit=TITLE_MAX)
    _check_period(starts_on, ends_on)
    changed = _assign(
        plan, title=title, summary=summary or "", kind=kind, starts_on=starts_on, ends_on=ends_on
    )
    db.session.flush()
    record("plan.updated", plan, actor=actor, area=plan.area, label=title, changed=changed)
    return plan


def publish_plan(plan: LocalPlan, *, actor) -> LocalPlan:
    if plan.is_published:
        raise PlanError("This plan is already published")
    plan.published_at = utcnow()
    db.session.flush()
    record("plan.published", plan, actor=actor, area=plan.area, label=plan.title)
    return plan


def unpublish_plan(plan: LocalPlan, *, actor) -> LocalPlan:
    if not plan.is_published:
        raise PlanError("This plan is not published")
    plan.published_at = None
    db.session.flush()
    record("plan.unpublished", plan, actor=actor, area=plan.area, label=plan.title)
    return plan


def delete_plan(plan: LocalPlan, *, actor) -> None:
    """Only an unpublished plan with no priorities: a published plan has been read and linked
    to, and its priorities may carry consultations and commitments."""
    if plan.is_published:
        raise PlanError("Unpublish the plan before deleting it")
    count = db.session.scalar(
        select(func.count()).select_from(Priority).where(Priority.plan_id == plan.id)
    )
    if count:
        raise PlanError(
            f"This plan still has {count} priorit{'y' if count == 1 else 'ies'}. "
            "Delete them first, or keep the plan unpublished."
        )
    record(
        "plan.deleted",
        plan,
        actor=actor,
        area=plan.area,
        label=plan.title,
        title=plan.title,
        slug=plan.slug,
    )
    db.session.delete(plan)
    db.session.flush()


# --- priorities ----------------------------------------------------------------------------


def _check_code(plan: LocalPlan, code: str, *, exclude_id: int | None = None) -> str:
    code = (code or "").strip()
    if not code:
        raise PlanError("Enter a reference, like P3", field="code")
    if not CODE_PATTERN.match(code):
        raise PlanError(
            "The reference must be up to 12 letters, numbers, dots or dashes, like P3 or P3.1",
            field="code",
        )
    taken = db.session.scalar(
        select(Priority.title).where(
            Priority.plan_id == plan.id,
            func.lower(Priority.code) == code.lower(),
            Priority.id != (exclude_id or 0),
        )
    )
    if taken is not None:
        raise PlanError(f"{code} is already used in this plan, for “{taken}”", field="code")
    return code


def _check_parent(plan: LocalPlan, parent: Priority | None, priority: Priority | None = None):
    if parent is None:
        return
    if parent.plan_id != plan.id:
        raise PlanError("Choose a priority from this plan", field="parent_id")
    if priority is not None:
        node: Priority | None
        seen, node = set(), parent
        while node is not None and node.id not in seen:
            if node.id == priority.id:
                raise PlanError(
                    "A priority cannot sit under itself or one of its own sub-priorities",
                    field="parent_id",
                )
            seen.add(node.id)
            node = node.parent


def _next_position(plan_id: int, parent_id: int | None) -> int:
    siblings = (
        Priority.parent_id.is_(None) if parent_id is None else Priority.parent_id == parent_id
    )
    last = db.session.scalar(
        select(func.coalesce(func.max(Priority.position), 0)).where(
            Priority.plan_id == plan_id, siblings
        )
    )
    return cast(int, last) + 1  # coalesce(max, 0) is never NULL


def add_priority(
    plan: LocalPlan,
    *,
    code: str,
    title: str,
    description: str = "",
    parent: Priority | None = None,
    actor,
) -> Priority:
    code = _check_code(plan, code)
    title = _check_text(title, what="a title", field="title", limit=TITLE_MAX)
    _check_parent(plan, parent)
    priority = Priority(
        plan=plan,
        area_id=plan.area_id,
        parent_id=parent.id if parent else None,
        code=code,
        title=title,
        description=description or "",
        position=_next_position(plan.id, parent.id if parent else None),
    )
    db.session.add(priority)
    db.session.flush()
    record(
        "priority.added",
        priority,
        actor=actor,
        area=plan.area,
        label=priority.label,
        code=code,
        plan=plan.id,
    )
    return priority


def update_priority(
    priority: Priority,
    *,
    code: str,
    title: str,
    description: str,
    parent: Priority | None,
    actor,
) -> Priority:
    plan = priority.plan
    code = _check_code(plan, code, exclude_id=priority.id)
    title = _check_text(title, what="a title", field="title", limit=TITLE_MAX)
    _check_parent(plan, parent, priority)
    new_parent_id = parent.id if parent else None
    if new_parent_id != priority.parent_id:
        priority.position = _next_position(plan.id, new_parent_id)
        priority.parent_id = new_parent_id
    changed = _assign(priority, code=code, title=title, description=description or "")
    db.session.flush()
    record(
        "priority.updated",
        priority,
        actor=actor,
        area=plan.area,
        label=priority.label,
        changed=changed,
        code=code,
    )
    return priority


def move_priority(priority: Priority, direction: str, *, actor) -> Priority:
    """Swap the priority with its neighbour among its siblings ("up" or "down"); at either
    end nothing moves."""
    if direction not in ("up", "down"):
        raise PlanError("Choose up or down")
    siblings = list(
        db.session.scalars(
            select(Priority)
            .where(
                Priority.plan_id == priority.plan_id,
                Priority.parent_id.is_(None)
                if priority.parent_id is None
                else Priority.parent_id == priority.parent_id,
            )
            .order_by(Priority.position, Priority.id)
        )
    )
    index = siblings.index(priority)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return priority
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, each in enumerate(siblings, start=1):
        each.position = position
    db.session.flush()
    record(
        "priority.moved",
        priority,
        actor=actor,
        area=priority.plan.area,
        label=priority.label,
        direction=direction,
    )
    return priority


def delete_priority(priority: Priority, *, actor) -> None:
    """Refused while it has commitments or sub-priorities, so no promise silently vanishes."""
    commitments = db.session.scalar(
        select(func.count()).select_from(Commitment).where(Commitment.priority_id == priority.id)
    )
    if commitments:
        raise PlanError(
            f"{priority.code} has {commitments} commitment{'s' if commitments != 1 else ''}. "
            "Delete or move them before deleting the priority."
        )
    children = db.session.scalar(
        select(func.count()).select_from(Priority).where(Priority.parent_id == priority.id)
    )
    if children:
        raise PlanError(
            f"{priority.code} has {children} sub-priorit{'y' if children == 1 else 'ies'}. "
            "Delete them or move them under another priority first."
        )
    plan = priority.plan
    record(
        "priority.deleted",
        priority,
        actor=actor,
        area=plan.area,
        label=priority.label,
        code=priority.code,
        plan=plan.id,
    )
    parent_id, position = priority.parent_id, priority.position
    db.session.delete(priority)
    db.session.flush()
    db.session.execute(
        update(Priority)
        .where(
            Priority.plan_id == plan.id,
            Priority.parent_id.is_(None) if parent_id is None else Priority.parent_id == parent_id,
            Priority.position > position,
        )
        .values(position=Priority.position - 1)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()


# --- commitments ---------------------------------------------------------------------------


def _check_commitment(
    *, title: str, status: CommitmentStatus, progress: int, weight: int, dropped_reason: str
) -> tuple[str, str]:
    title = _check_text(title, what="a title", field="title", limit=TITLE_MAX)
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise PlanError("Progress must be a whole number from 0 to 100", field="progress")
    if not isinstance(weight, int) or not 1 <= weight <= WEIGHT_MAX:
        raise PlanError(f"Weight must be a whole number from 1 to {WEIGHT_MAX}", field="weight")
    reason = (dropped_reason or "").strip()
    if status is CommitmentStatus.DROPPED:
        _check_text(reason, what="why it was dropped", field="dropped_reason", limit=TEXT_MAX)
    else:
        reason = ""
    return title, reason


def _check_partner(area, partner) -> None:
    if partner is None or partner.area_id != area.id:
        raise PlanError("Choose the organisation that owns this commitment", field="partner_id")


def add_commitment(
    priority: Priority,
    *,
    partner,
    title: str,
    description: str = "",
    due_on: date | None = None,
    status: CommitmentStatus = CommitmentStatus.NOT_STARTED,
    progress: int = 0,
    weight: int = 1,
    dropped_reason: str = "",
    actor,
) -> Commitment:
    """A new commitment at the end of the priority's list."""
    area = priority.plan.area
    _check_partner(area, partner)
    title, reason = _check_commitment(
        title=title, status=status, progress=progress, weight=weight, dropped_reason=dropped_reason
    )
    last = db.session.scalar(
        select(func.coalesce(func.max(Commitment.position), 0)).where(
            Commitment.priority_id == priority.id
        )
    )
    position = cast(int, last) + 1  # coalesce(max, 0) is never NULL
    commitment = Commitment(
        priority=priority,
        priority_id=priority.id,
        area_id=priority.area_id,
        partner_id=partner.id,
        partner=partner,
        title=title,
        description=description or "",
        due_on=due_on,
        status=status,
        progress=progress,
        weight=weight,
        dropped_reason=reason,
        position=position,
        created_by_id=_actor_id(actor),
        updated_by_id=_actor_id(actor),
    )
    db.session.add(commitment)
    db.session.flush()
    record(
        "commitment.added",
        commitment,
        actor=actor,
        label=commitment.title,
        area=area,
        priority=priority.code,
        partner=partner.name,
        status=status.value,
        progress=progress,
    )
    return commitment


def update_commitment(
    commitment: Commitment,
    *,
    title: str,
    description: str,
    due_on: date | None,
    status: CommitmentStatus,
    progress: int,
    weight: int,
    dropped_reason: str = "",
    partner=None,
    actor,
) -> Commitment:
    """Change a commitment. `partner` (organisers only; None keeps the owner) moves it to
    another organisation. A change of status or progress goes on the public timeline."""
    area = commitment.priority.plan.area
    if partner is not None:
        _check_partner(area, partner)
    title, reason = _check_commitment(
        title=title, status=status, progress=progress, weight=weight, dropped_reason=dropped_reason
    )
    status_before, progress_before = commitment.status, commitment.progress
    changed = _assign(
        commitment,
        title=title,
        description=description or "",
        due_on=due_on,
        weight=weight,
        dropped_reason=reason,
    )
    if partner is not None and partner.id != commitment.partner_id:
        changed.append("owner")
        commitment.partner_id, commitment.partner = partner.id, partner
    record(
        "commitment.updated",
        commitment,
        actor=actor,
        label=commitment.title,
        area=area,
        changed=changed,
        status=status.value,
        progress=progress,
    )
    if status is not status_before or progress != progress_before:
        text = EDITED_STATUS if status is not status_before else EDITED_PROGRESS
        _move(commitment, status=status, progress=progress, text=text, evidence_url="", actor=actor)
    commitment.updated_by_id = _actor_id(actor)
    commitment.updated_at = utcnow()
    db.session.flush()
    return commitment


def delete_commitment(commitment: Commitment, *, actor) -> None:
    """Refused while a published or draft decision links to it: the "we did" answer would
    point at nothing."""
    links = count_commitment_links(commitment)
    if links:
        raise PlanError(
            f"{links} decision{'s' if links != 1 else ''} on feedback "
            f"link{'s' if links == 1 else ''} to this commitment, so it cannot be deleted. "
            "You can mark it dropped, with the reason, instead."
        )
    record(
        "commitment.deleted",
        commitment,
        actor=actor,
        label=commitment.title,
        area=commitment.priority.plan.area,
        title=commitment.title,
        priority=commitment.priority.code,
    )
    db.session.delete(commitment)
    db.session.flush()


# --- progress updates ----------------------------------------------------------------------


def check_evidence_url(value: str) -> str:
    """An http or https address, or blank; anything else is refused with a plain message."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > URL_MAX:
        raise PlanError(
            f"The evidence link must be {URL_MAX} characters or fewer", field="evidence_url"
        )
    parts = urlsplit(value)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() or ord(c) < 32 for c in value)
    ):
        raise PlanError(
            "The evidence link must be a web address starting with https:// or http://",
            field="evidence_url",
        )
    return value


def _move(
    commitment: Commitment,
    *,
    status: CommitmentStatus,
    progress: int,
    text: str,
    evidence_url: str,
    actor,
) -> ProgressUpdate:
    """Add a timeline entry that moves the commitment to `status` and `progress`; tell the
    linked people if the status changed."""
    from forum.plans.permissions import responder_partner_id

    area = commitment.priority.plan.area
    status_before, progress_before = commitment.status, commitment.progress
    entry = ProgressUpdate(
        commitment_id=commitment.id,
        area_id=commitment.area_id,
        text=text,
        evidence_url=evidence_url,
        status_before=status_before,
        status_after=status,
        progress_before=progress_before,
        progress_after=progress,
        partner_id=responder_partner_id(actor, area) if actor is not None else None,
        created_by_id=_actor_id(actor),
    )
    db.session.add(entry)
    commitment.status, commitment.progress = status, progress
    commitment.updated_by_id = _actor_id(actor)
    commitment.updated_at = utcnow()
    db.session.flush()
    record(
        "commitment.progress",
        commitment,
        actor=actor,
        label=commitment.title,
        area=area,
        update=entry.id,
        status_before=status_before.value,
        status_after=status.value,
        progress_before=progress_before,
        progress_after=progress,
    )
    if status is not status_before:
        hooks.commitment_status_changed.send(commitment, status_before, actor=actor)
    return entry


def post_update(
    commitment: Commitment,
    *,
    text: str,
    evidence_url: str = "",
    status: CommitmentStatus | None = None,
    progress: int | None = None,
    dropped_reason: str = "",
    actor,
) -> ProgressUpdate:
    """A dated entry on the commitment's public timeline, which may move its status and
    progress (None keeps them). Dropping needs a reason, shown with the commitment."""
    text = _check_text(text, what="what has happened", field="text", limit=TEXT_MAX)
    evidence_url = check_evidence_url(evidence_url)
    status = commitment.status if status is None else status
    progress = commitment.progress if progress is None else progress
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise PlanError("Progress must be a whole number from 0 to 100", field="progress")
    if status is CommitmentStatus.DROPPED:
        reason = (dropped_reason or "").strip() or (
            commitment.dropped_reason if commitment.status is CommitmentStatus.DROPPED else ""
        )
        commitment.dropped_reason = _check_text(
            reason, what="why it was dropped", field="dropped_reason", limit=TEXT_MAX
        )
    elif commitment.status is CommitmentStatus.DROPPED:
        commitment.dropped_reason = ""
    return _move(
        commitment,
        status=status,
        progress=progress,
        text=text,
        evidence_url=evidence_url,
        actor=actor,
    )
