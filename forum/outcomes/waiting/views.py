"""The "Waiting for your answer" page."""

from __future__ import annotations

from flask_login import current_user

from forum.outcomes import bp
from forum.outcomes.waiting.permissions import can_see_waiting
from forum.outcomes.waiting.queries import waiting_for
from forum.web.auth import access
from forum.web.htmx import render

RESPONDERS = (
    "This list is for people who answer for a partner organisation, such as the council or "
    "the health service. If you should be one, ask an organiser of your forum to appoint you."
)


@bp.get("/account/waiting-for-your-answer")
@access(can_see_waiting, explain=RESPONDERS)
def waiting():
    items = waiting_for(current_user)
    return render(
        "outcomes/waiting/page.html",
        items=items,
        several_areas=len({item.area.id for item in items}) > 1,
    )
