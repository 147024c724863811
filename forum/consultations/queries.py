"""Reading consultations."""

from __future__ import annotations

from sqlalchemy import Row, Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import User
from forum.audit.models import AuditEvent
from forum.consultations.models import Consultation, DateChange
from forum.extensions import db
from forum.models import utcnow

#: the list filters; "draft" is only offered to organisers
FILTERS = ("open", "upcoming", "closed", "draft")


def _condition(status: str, now):
    published = Consultation.published_at.is_not(None)
    responded = Consultation.responded_at.is_not(None)
    if status == "draft":
        return Consultation.published_at.is_(None)
    if status == "upcoming":
        return and_(published, ~responded, Consultation.opens_at > now)
    if status == "open":
        return and_(
            published, ~responded, Consultation.opens_at <= now, Consultation.closes_at > now
        )
    if status == "closed":
        return and_(published, or_(responded, Consultation.closes_at <= now))
    raise ValueError(status)


def select_listed(area, status: str, *, now=None) -> Select:
    """Consultations of the area in one list: open ones closing soonest first, upcoming ones
    opening soonest first, closed ones most recently closed first, drafts newest first."""
    now = now or utcnow()
    order = {
        "open": (Consultation.closes_at, Consultation.id),
        "upcoming": (Consultation.opens_at, Consultation.id),
        "closed": (Consultation.closes_at.desc(), Consultation.id.desc()),
        "draft": (Consultation.created_at.desc(), Consultation.id.desc()),
    }[status]
    return (
        select(Consultation)
        .options(selectinload(Consultation.priorities))
        .where(Consultation.area_id == area.id, _condition(status, now))
        .order_by(*order)
    )


def get_listed(area, status: str, *, limit: int | None = None) -> list[Consultation]:
    """The consultations `select_listed` finds, at most `limit` of them."""
    return list(db.session.scalars(select_listed(area, status).limit(limit)))


def count_by_status(area, *, now=None) -> dict[str, int]:
    """How many consultations are in each list, in one query."""
    now = now or utcnow()
    columns = [
        func.coalesce(func.sum(case((_condition(status, now), 1), else_=0)), 0).label(status)
        for status in FILTERS
    ]
    row = db.session.execute(select(*columns).where(Consultation.area_id == area.id)).one()
    return dict(row._mapping)


def get_by_slug(area, slug: str) -> Consultation | None:
    if not slug or len(slug) > 80:
        return None
    # the priorities come in the same statement (a consultation has a handful)
    return (
        db.session.scalars(
            select(Consultation)
            .options(joinedload(Consultation.priorities))
            .where(Consultation.area_id == area.id, Consultation.slug == slug)
        )
        .unique()
        .first()
    )


def slug_taken(area, slug: str) -> bool:
    return (
        db.session.scalar(
            select(Consultation.id).where(
                Consultation.area_id == area.id, Consultation.slug == slug
            )
        )
        is not None
    )


def get_history(consultation: Consultation, *, limit: int = 50) -> list[Row]:
    """Who changed the consultation, and when, newest first: shown to organisers. Rows, one
    statement, each with `created_at`, `action`, `actor_id` and the actor's `actor_name` (None
    when the account has gone)."""
    return list(
        db.session.execute(
            select(
                AuditEvent.created_at,
                AuditEvent.action,
                AuditEvent.actor_id,
                User.display_name.label("actor_name"),
            )
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(
                AuditEvent.subject_type == "Consultation", AuditEvent.subject_id == consultation.id
            )
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def get_date_changes(consultation: Consultation) -> list[DateChange]:
    """Every change of the consultation's dates, oldest first (a consultation has a handful)."""
    return list(
        db.session.scalars(
            select(DateChange)
            .where(DateChange.consultation_id == consultation.id)
            .order_by(DateChange.created_at, DateChange.id)
        )
    )


def load_consultation(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the area's consultation by slug, or 404."""
    from forum.areas.queries import load_in_area

    return load_in_area(kwargs, "consultation", "slug", get_by_slug)
