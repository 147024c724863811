"""A signed-in person's "What happened to my feedback" page.

The page is the person's own and nobody else's: it takes no user from the URL. With htmx its
pagination fetches only the list; without JavaScript the same links load the whole page.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from forum.areas.data_versions import kept_for_area, made
from forum.models import utcnow
from forum.outcomes import bp
from forum.outcomes.feedback import queries
from forum.outcomes.feedback.queries import Chain, FeedbackPage, feedback_page
from forum.web.auth import signed_in
from forum.web.htmx import render
from forum.web.pagination import page_number


@bp.get("/account/feedback")
@signed_in
def my_feedback():
    found = feedback_page(current_user, page=page_number())
    with_chains(found)
    return render(
        "outcomes/my_feedback/page.html",
        fragment="outcomes/my_feedback/_list.html",
        feedback=found,
        pagination=found.page.component("outcomes.my_feedback"),
    )


def with_chains(found: FeedbackPage) -> None:
    """Each group's published themes, made: a theme's chain (its decisions, their commitments,
    a national outcome) is the area's published data and the same for everyone, so it is kept
    under the area's data version and a ten-minute step of the clock ("overdue" moves on with
    time), and shared by everyone whose feedback fed it. Which themes the person's items fed
    was read for this page alone. The first chain not kept makes every chain of the page at
    once (`queries.published_chains`: a fixed number of statements), so a page costs the same
    whatever its number of themes; a theme unpublished since the links were read is left out."""
    moment = utcnow().strftime("%Y-%m-%d %H:%M")[:-1]
    wanted = sorted({t for group in found.groups for item in group.items for t in item.theme_ids})
    made_now: dict[int, tuple[int, str, str] | None] = {}

    def make(theme_id: int) -> tuple[int, str, str] | None:
        if not made_now:
            views = queries.published_chains(wanted)
            for tid in wanted:
                view = views.get(tid)
                made_now[tid] = (
                    None
                    if view is None
                    else (
                        view.theme.position,
                        view.theme.title,
                        render_template("outcomes/my_feedback/_chain.html", view=view),
                    )
                )
        return made_now.get(theme_id)

    for group in found.groups:
        for theme_id in sorted({t for item in group.items for t in item.theme_ids}):
            kept = kept_for_area(
                group.area,
                ("my feedback chain", theme_id, moment),
                lambda theme_id=theme_id: make(theme_id),
            )
            if kept is not None:
                position, title, html = kept
                group.chains[theme_id] = Chain(theme_id, position, title, made(html))
        for item in group.items:
            item.theme_ids = [t for t in item.theme_ids if t in group.chains]
            if not item.theme_ids and item.note is None:
                item.note = group.note
