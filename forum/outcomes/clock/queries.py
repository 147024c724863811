"""Reading the accountability clock. A consultation's response is overdue once
`Consultation.response_due_at` has passed while it is closed and not yet responded; a published
decision "under consideration" once its `decide_by` day has passed. Every function takes `now`,
so tests, the scorecard and the benchmark can ask "as of when"; each list is one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Select, func, literal, select, union_all

from forum.consultations.models import Consultation, ConsultationState
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.decisions.models import Decision, Outcome
from forum.outcomes.themes.models import Theme
from forum.web.time import LONDON, london


def london_day(value: datetime) -> date:
    """The calendar day `value` falls on in London."""
    return value.astimezone(LONDON).date()


def _area_id(area) -> int:
    return area if isinstance(area, int) else area.id


def _plural(n: int, word: str = "day") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --- one consultation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """Where one consultation's response stands."""

    #: "due", "overdue" or "responded"
    status: str
    due_at: datetime
    #: days left ("due"), days late ("overdue") or days from closing to the response
    days: int
    responded_at: datetime | None = None

    @property
    def is_overdue(self) -> bool:
        return self.status == "overdue"

    @property
    def text(self) -> str:
        if self.status == "responded":
            return (
                f"Responded on {london(self.responded_at, '%-d %B %Y')}, "
                f"{_plural(self.days)} after closing"
            )
        if self.status == "overdue":
            if self.days == 0:
                return "Response overdue: it was due earlier today"
            return f"Response overdue by {_plural(self.days)}"
        if self.days == 0:
            return "Response due today"
        return f"Response due in {_plural(self.days)}"

    @property
    def tag(self) -> dict:
        """A govukTag for the flag."""
        if self.status == "overdue":
            return {"text": "Overdue", "classes": "govuk-tag--red"}
        if self.status == "responded":
            return {"text": "Response published", "classes": "govuk-tag--purple"}
        return {"text": "Waiting for a response", "classes": "govuk-tag--blue"}


def clock_for(consultation: Consultation, now: datetime | None = None) -> Clock | None:
    """The clock of a closed or responded consultation; None before it closes (nothing is due
    yet) or while it is a draft."""
    now = now or utcnow()
    state = consultation.state_at(now)
    due_at = consultation.response_due_at
    if state is ConsultationState.RESPONDED:
        # RESPONDED means responded_at is set.
        responded_at = cast(datetime, consultation.responded_at)
        days = (london_day(responded_at) - london_day(consultation.closes_at)).days
        return Clock("responded", due_at, max(days, 0), consultation.responded_at)
    if state is not ConsultationState.CLOSED:
        return None
    if now > due_at:
        return Clock("overdue", due_at, (london_day(now) - london_day(due_at)).days)
    return Clock("due", due_at, (london_day(due_at) - london_day(now)).days)


def decision_days_overdue(decision: Decision, now: datetime | None = None) -> int | None:
    """Days past its decide-by day for a published decision still under consideration; None
    when it is not overdue. The decide-by day itself is not late."""
    return None if decision.published_at is None else decision.days_overdue(now)


# --- composable selects (for the scorecard and the national view) --------------------------


def select_overdue_consultations(now: datetime | None = None) -> Select:
    """Consultations whose response is overdue, in every area: add `.where(...)` to narrow."""
    now = now or utcnow()
    return select(Consultation).where(
        Consultation.published_at.is_not(None),
        Consultation.responded_at.is_(None),
        Consultation.closes_at <= now,
        Consultation.response_due_at < now,
    )


def select_overdue_decisions(now: datetime | None = None) -> Select:
    """Published decisions under consideration past their decide-by day, in every area."""
    today = london_day(now or utcnow())
    return select(Decision).where(
        Decision.published_at.is_not(None),
        Decision.outcome == Outcome.UNDER_CONSIDERATION,
        Decision.decide_by.is_not(None),
        Decision.decide_by < today,
    )


# --- one area --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueConsultation:
    consultation: Consultation
    days: int

    @property
    def clock(self) -> Clock:
        return Clock("overdue", self.consultation.response_due_at, self.days)


@dataclass(frozen=True)
class OverdueDecision:
    decision: Decision
    theme: Theme
    consultation: Consultation
    #: the partner organisation that gave the answer
    partner: object
    days: int


def overdue_consultations(area, now: datetime | None = None) -> list[OverdueConsultation]:
    """The area's consultations whose response is overdue, most overdue first. One query."""
    now = now or utcnow()
    today = london_day(now)
    rows = db.session.scalars(
        select_overdue_consultations(now)
        .where(Consultation.area_id == _area_id(area))
        .order_by(Consultation.response_due_at, Consultation.id)
    )
    return [OverdueConsultation(c, (today - london_day(c.response_due_at)).days) for c in rows]


def overdue_decisions(area, now: datetime | None = None) -> list[OverdueDecision]:
    """The area's published decisions under consideration past their decide-by day, most
    overdue first, with their theme, consultation and partner. One query."""
    from forum.areas.models import PartnerOrganisation

    today = london_day(now or utcnow())
    stmt = (
        select_overdue_decisions(now)
        .add_columns(Theme, Consultation, PartnerOrganisation)
        .join(Theme, Theme.id == Decision.theme_id)
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .join(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
        .where(Decision.area_id == _area_id(area))
        .order_by(Decision.decide_by, Decision.id)
    )
    return [
        OverdueDecision(d, t, c, p, (today - d.decide_by).days)
        for d, t, c, p in db.session.execute(stmt)
    ]


# --- many areas ------------------------------------------------------------------------------


def _count_by_area(query: Select, model, area_ids: list[int], what: str) -> Select:
    """`query`'s rows counted per area as (area_id, what, n), for a union of counts."""
    return (
        query.where(model.area_id.in_(area_ids))
        .with_only_columns(
            model.area_id.label("area_id"), literal(what).label("what"), func.count().label("n")
        )
        .group_by(model.area_id)
    )


def overdue_counts_by_area(area_ids, now: datetime | None = None) -> dict[int, tuple[int, int]]:
    """{area_id: (overdue consultations, overdue decisions)} for every id given (0, 0 when
    nothing is late). One query for any number of areas."""
    ids = list(area_ids)
    counts = {area_id: (0, 0) for area_id in ids}
    if not ids:
        return counts
    consultations = _count_by_area(select_overdue_consultations(now), Consultation, ids, "c")
    decisions = _count_by_area(select_overdue_decisions(now), Decision, ids, "d")
    for area_id, what, n in db.session.execute(union_all(consultations, decisions)):
        c, d = counts[area_id]
        counts[area_id] = (n, d) if what == "c" else (c, n)
    return counts
