"""Public event pages: the area's events (coming up, then past) and each event. What the
viewer may see is decided by `permissions.can_view_event` and, for lists, `queries.select_visible`
(the same rule as one select)."""

from __future__ import annotations

from flask_login import current_user

from forum.areas.permissions import can_view_area
from forum.areas.queries import load_area
from forum.events import bp
from forum.events.permissions import (
    can_manage_event,
    can_manage_events,
    can_see_online_link,
    can_view_event,
)
from forum.events.queries import (
    load_event,
    past,
    published_upcoming,
    upcoming,
    upcoming_for_consultation,
)
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.htmx import render

EVENT = "/areas/<area_slug>/events/<int:event_id>"
NOT_YOURS = (
    "This event is for members of {area.forum_name}, or is not published yet. Ask to join the "
    "forum to see its members' events."
)


@bp.get("/areas/<area_slug>/events")
@access(can_view_area, load=load_area, subject="area", explain="")
def index(area):
    return render(
        "events/index.html",
        area=area,
        upcoming=upcoming(current_user, area),
        past=past(current_user, area),
        manager=can_manage_events(current_user, area),
    )


@bp.get(EVENT)
@access(can_view_event, load=load_event, subject="event", explain=NOT_YOURS)
def show(area, event):
    manager = can_manage_event(current_user, event)
    return render(
        "events/show.html",
        area=area,
        event=event,
        manager=manager,
        show_link=can_see_online_link(current_user, event),
        stage=event.stage(),
        form=ActionForm(),
    )


def area_home_section(area):
    """Upcoming events on the area's home page (at most three), when there are any."""
    events = published_upcoming(current_user, area, limit=3)
    if not events:
        return None
    return "events/_area_home.html", {"events": events}


def consultation_events(consultation):
    """Upcoming published events linked to the consultation, for its page."""
    return upcoming_for_consultation(current_user, consultation)
