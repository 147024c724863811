"""Reading the representation log.

The public page and the organisers' list show one month at a time. Each is a fixed number of
statements whatever the number of meetings: the months that have entries (one query over the
meetings' dates), then the month's meetings with their organisations, and one query each for
their representatives, themes, priorities and actions (with the commitments they became).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import User
from forum.areas.models import Membership, MembershipStatus, PartnerOrganisation
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, LocalPlan, Priority
from forum.representation.models import Action, Meeting, Representative

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _int_id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        abort(404)
    if not 0 < number < 2**31:
        abort(404)
    return number


def parse_month(text: str | None) -> date | None:
    """ "2026-11" → 1 November 2026; None for anything else (a missing, mistyped or impossible
    month), which the page treats as "not given"."""
    found = _MONTH.match((text or "").strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _visible(query: Select, *, public_only: bool) -> Select:
    return query.where(Meeting.is_public.is_(True)) if public_only else query


def months_with_meetings(area, *, public_only: bool) -> list[date]:
    """The first day of every month in which the area has meetings, newest first."""
    days = db.session.scalars(
        _visible(
            select(Meeting.held_on).where(Meeting.area_id == area.id).distinct(),
            public_only=public_only,
        )
    )
    return sorted({date(day.year, day.month, 1) for day in days}, reverse=True)


@dataclass(frozen=True)
class MonthNav:
    """Where a month page sits among the months with entries."""

    month: date
    newer: date | None
    older: date | None
    has_entries: bool


def month_nav(months: list[date], month: date) -> MonthNav:
    newer = [m for m in months if m > month]
    older = [m for m in months if m < month]
    return MonthNav(
        month, min(newer) if newer else None, max(older) if older else None, month in months
    )


def meetings_in_month(area, month: date, *, public_only: bool) -> list[Meeting]:
    """The month's meetings, oldest first, with everything the pages show loaded."""
    return list(
        db.session.scalars(
            _visible(
                select(Meeting)
                .options(
                    joinedload(Meeting.partner),
                    selectinload(Meeting.representatives).joinedload(Representative.user),
                    selectinload(Meeting.themes)
                    .joinedload(Theme.consultation)
                    .joinedload(Consultation.area),
                    selectinload(Meeting.priorities).joinedload(Priority.plan),
                    selectinload(Meeting.actions)
                    .joinedload(Action.commitment)
                    .joinedload(Commitment.priority)
                    .joinedload(Priority.plan),
                )
                .where(
                    Meeting.area_id == area.id,
                    Meeting.held_on >= month,
                    Meeting.held_on < next_month(month),
                ),
                public_only=public_only,
            ).order_by(Meeting.held_on, Meeting.id)
        )
    )


def get_meeting(area, meeting_id: int) -> Meeting | None:
    return db.session.scalar(
        select(Meeting)
        .options(joinedload(Meeting.partner))
        .where(Meeting.id == meeting_id, Meeting.area_id == area.id)
    )


def load_meeting(kwargs: dict) -> dict:
    """URL loader: the area's meeting by id, or 404."""
    from forum.areas.queries import load_area

    kwargs = load_area(kwargs)
    meeting = get_meeting(kwargs["area"], _int_id(kwargs.pop("meeting_id")))
    if meeting is None:
        abort(404)
    kwargs["meeting"] = meeting
    return kwargs


def load_action(kwargs: dict) -> dict:
    """URL loader: an action of this meeting, or 404."""
    kwargs = load_meeting(kwargs)
    action = db.session.scalar(
        select(Action).where(
            Action.id == _int_id(kwargs.pop("action_id")),
            Action.meeting_id == kwargs["meeting"].id,
        )
    )
    if action is None:
        abort(404)
    kwargs["action"] = action
    return kwargs


# --- what the forms offer --------------------------------------------------------------------


def member_choices(area) -> list[tuple[int, str]]:
    """The area's active members (every role), by name: who can be chosen as a representative."""
    return [
        (user_id, name)
        for user_id, name in db.session.execute(
            select(User.id, User.display_name)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.area_id == area.id, Membership.status == MembershipStatus.ACTIVE)
            .order_by(User.display_name, User.id)
        )
    ]


def theme_choices(area) -> list[tuple[int, str]]:
    """The area's themes, labelled with their consultation, newest consultation first."""
    return [
        (theme_id, f"{title} ({consultation})")
        for theme_id, title, consultation in db.session.execute(
            select(Theme.id, Theme.title, Consultation.title)
            .join(Consultation, Consultation.id == Theme.consultation_id)
            .where(Theme.area_id == area.id)
            .order_by(Consultation.closes_at.desc(), Theme.position, Theme.id)
        )
    ]


def priority_choices(area) -> list[tuple[int, str]]:
    """Every priority of the area's plans, labelled with its plan."""
    return [
        (priority_id, f"{code} {title} ({plan})")
        for priority_id, code, title, plan in db.session.execute(
            select(Priority.id, Priority.code, Priority.title, LocalPlan.title)
            .join(LocalPlan, LocalPlan.id == Priority.plan_id)
            .where(Priority.area_id == area.id)
            .order_by(LocalPlan.id, Priority.code)
        )
    ]


def themes_by_id(area, ids: list[int]) -> list[Theme]:
    if not ids:
        return []
    return list(
        db.session.scalars(select(Theme).where(Theme.area_id == area.id, Theme.id.in_(ids)))
    )


def priorities_by_id(area, ids: list[int]) -> list[Priority]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Priority).where(Priority.area_id == area.id, Priority.id.in_(ids))
        )
    )


def members_by_id(area, ids: list[int]) -> list[User]:
    """The users among `ids` who are active members of the area; others are left out."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.area_id == area.id,
                Membership.status == MembershipStatus.ACTIVE,
                User.id.in_(ids),
            )
        )
    )


# --- the links to the plan -------------------------------------------------------------------


def actions_for_commitment(commitment) -> list[Action]:
    """The actions that became this commitment, with their meetings."""
    return list(
        db.session.scalars(
            select(Action)
            .options(joinedload(Action.meeting).joinedload(Meeting.area))
            .where(Action.commitment_id == commitment.id)
            .order_by(Action.id)
        )
    )


# --- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerCount:
    organisation: str
    meetings: int


@dataclass(frozen=True)
class Figures:
    """The representation figures of an area, for the scorecard."""

    #: meetings attended, per organisation, most first
    per_partner: list[PartnerCount]
    meetings: int
    actions: int
    actions_done: int


def area_figures(area, *, public_only: bool) -> Figures:
    """Meetings per organisation and actions agreed and done, in two statements. With
    `public_only`, only public meetings count, and only their actions when those are public."""
    # A meeting names its organisation one way or the other: a partner, or typed words.
    name = func.coalesce(PartnerOrganisation.name, Meeting.partner_name)
    rows = db.session.execute(
        _visible(
            select(name, func.count(Meeting.id))
            .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Meeting.partner_id)
            .where(Meeting.area_id == area.id)
            .group_by(name),
            public_only=public_only,
        )
    ).all()
    per_partner = sorted(
        (PartnerCount(str(org), int(n)) for org, n in rows),
        key=lambda p: (-p.meetings, p.organisation),
    )
    actions = (
        select(
            func.count(Action.id),
            func.coalesce(func.sum(case((Action.is_done.is_(True), 1), else_=0)), 0),
        )
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Meeting.area_id == area.id)
    )
    if public_only:
        actions = actions.where(Meeting.is_public.is_(True), Meeting.is_agreed_public.is_(True))
    total, done = db.session.execute(actions).one()
    return Figures(per_partner, sum(p.meetings for p in per_partner), int(total), int(done))


def national_figures(area_ids: list[int]) -> dict[str, dict[int, int]]:
    """For the national page, per area: public meetings, and the actions and done actions of
    meetings whose actions are public; two statements however many areas."""
    meetings = dict(
        db.session.execute(
            select(Meeting.area_id, func.count(Meeting.id))
            .where(Meeting.area_id.in_(area_ids), Meeting.is_public.is_(True))
            .group_by(Meeting.area_id)
        ).all()
    )
    actions: dict[int, int] = {}
    done: dict[int, int] = {}
    for area_id, total, finished in db.session.execute(
        select(
            Meeting.area_id,
            func.count(Action.id),
            func.coalesce(func.sum(case((Action.is_done.is_(True), 1), else_=0)), 0),
        )
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(
            Meeting.area_id.in_(area_ids),
            Meeting.is_public.is_(True),
            Meeting.is_agreed_public.is_(True),
        )
        .group_by(Meeting.area_id)
    ):
        actions[area_id], done[area_id] = int(total), int(finished)
    return {"meetings": meetings, "actions": actions, "done": done}
