"""The public "Where we represented you" page, one month at a time, and what the log adds to
other areas' pages: a section on the area home, a line on a commitment's page, and the
figures on the plan scorecard."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from flask_login import current_user

from forum.areas.queries import load_area
from forum.consultations.models import ConsultationState
from forum.outcomes.permissions import can_view_ledger, can_view_published
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
from forum.web.caching import shared_page
from forum.web.htmx import render


@dataclass(frozen=True)
class Raised:
    """A theme or priority raised at a meeting, as the viewer may see it."""

    label: str
    #: its page, when the viewer may see it; None shows the words only
    url: str | None
    #: for staff, when what they see is not public yet: what everyone else sees instead
    note: str | None = None


#: what a priority of a plan not published yet reads as, for anyone who may not see the plan
HIDDEN_PRIORITY = "A priority of a plan not published yet"


def raised_items(meeting: Meeting, user) -> list[Raised]:
    """Themes and priorities raised at the meeting, as `user` may see them.

    The organisers made public *that* they were raised, not what has not been published:
    a theme's title is shown only once it is published where the viewer may read it ("you
    said, we did"), and a priority's once its plan is published. Before that, everyone else
    reads that a theme from the consultation (named, since it is public) or a priority of a
    plan not published yet was raised. Staff who may read them unpublished (organisers,
    responders and admins for themes; whoever sees the plan's drafts for priorities) see the
    title, with a note of what everyone else sees."""
    items = []
    for theme in meeting.themes:
        c = theme.consultation
        seen = c.state is not ConsultationState.DRAFT  # a draft's title is not public
        hidden = "A theme not published yet"
        if seen:
            hidden = f"A theme from “{c.title}”, not published yet"
        if theme.published_at is not None and can_view_published(user, c):
            items.append(Raised(f"You said: {theme.title}", f"{c.url}#published-theme-{theme.id}"))
        elif can_view_ledger(user, c):
            note = f"Not published yet: everyone else reads “{hidden}”."
            items.append(Raised(f"You said: {theme.title}", theme.url, note))
        else:
            items.append(Raised(hidden, c.url if seen else None))
    for priority in meeting.priorities:
        plan = priority.plan
        if not can_view_plan(user, plan):
            items.append(Raised(HIDDEN_PRIORITY, None))
            continue
        note = None
        if not plan.is_published:
            note = f"Its plan is not published yet: everyone else reads “{HIDDEN_PRIORITY}”."
        items.append(
            Raised(
                f"Plan priority {priority.code}: {priority.title}",
                plan.url_at(f"priority-{priority.id}"),
                note,
            )
        )
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
@shared_page
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
