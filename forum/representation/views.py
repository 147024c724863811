"""The public "Where we represented you" page, one month at a time, and what the log adds to
other areas' pages: a section on the area home, a line on a commitment's page, and the
figures on the plan scorecard."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from flask_login import current_user

from forum.areas.queries import load_area
from forum.outcomes.permissions import can_view_published
from forum.plans.permissions import can_view_plan
from forum.representation import bp
from forum.representation.models import Meeting
from forum.representation.permissions import (
    can_manage_representation,
    can_see_meeting,
    can_view_representation,
)
from forum.representation.queries import (
    actions_for_commitment,
    area_figures,
    meetings_in_month,
    month_nav,
    months_with_meetings,
    national_figures,
    parse_month,
)
from forum.web.auth import access
from forum.web.htmx import render


@dataclass(frozen=True)
class Raised:
    """A theme or priority raised at a meeting, as the visitor may see it."""

    label: str
    #: its page, when the visitor may see it; None shows the words only
    url: str | None


def raised_items(meeting: Meeting, user) -> list[Raised]:
    """Themes and priorities raised, linked to their pages when `user` may see them. The
    organisers chose to make them public, so their titles are shown either way."""
    items = []
    for theme in meeting.themes:
        c = theme.consultation
        visible = theme.published_at is not None and can_view_published(user, c)
        items.append(
            Raised(
                f"You said: {theme.title}",
                f"{c.url}#published-theme-{theme.id}" if visible else None,
            )
        )
    for priority in meeting.priorities:
        plan = priority.plan
        url = plan.url_at(f"priority-{priority.id}") if can_view_plan(user, plan) else None
        items.append(Raised(f"Plan priority {priority.code}: {priority.title}", url))
    return items


def chosen_month(months):
    """The month asked for in `?month=`, else the newest with entries; 404 for a month that
    cannot be read, so a mistyped link says so rather than showing another month."""
    asked = request.args.get("month")
    if asked:
        month = parse_month(asked)
        if month is None:
            abort(404)
        return month
    return months[0] if months else None


@bp.get("/areas/<area_slug>/representation")
@access(can_view_representation, load=load_area, subject="area", explain="")
def public(area):
    months = months_with_meetings(area, public_only=True)
    month = chosen_month(months)
    meetings = meetings_in_month(area, month, public_only=True) if month else []
    return render(
        "representation/public.html",
        fragment="representation/_public.html",
        area=area,
        nav=month_nav(months, month) if month else None,
        meetings=meetings,
        raised={m.id: raised_items(m, current_user) for m in meetings if m.shows_raised},
        organiser=can_manage_representation(current_user, area),
    )


# --- on other areas' pages ---------------------------------------------------------------------


def area_home_section(area):
    """A link to "Where we represented you" once the forum has a public meeting."""
    months = months_with_meetings(area, public_only=True)
    organiser = can_manage_representation(current_user, area)
    if not (months or organiser):
        return None
    return "representation/_area_home.html", {
        "month": months[0] if months else None,
        "organiser": organiser,
    }


def commitment_section(commitment):
    """ "Agreed at <meeting> on <date>" on a commitment's page, for those who may see it."""
    shown = [
        action.meeting
        for action in actions_for_commitment(commitment)
        if can_see_meeting(current_user, action.meeting)
    ]
    if not shown:
        return None
    return "representation/_commitment.html", {
        "meetings": shown,
        "organiser": can_manage_representation(current_user, commitment.priority.plan.area),
    }


def scorecard_section(plan):
    """The forum's representation figures under the plan scorecard: organisers see every
    meeting; everyone else the public ones."""
    area = plan.area
    exact = can_manage_representation(current_user, area)
    figures = area_figures(area, public_only=not exact)
    if not figures.meetings and not exact:
        return None
    return "representation/_scorecard.html", {"figures": figures, "exact": exact, "area": area}


def national_columns(area_ids):
    """Three columns on the national page, from public meetings only."""
    figures = national_figures(area_ids)
    return [
        ("partner_meetings", "Meetings with partners", figures["meetings"]),
        ("actions_agreed", "Actions agreed", figures["actions"]),
        ("actions_done", "Actions done", figures["done"]),
    ]
