"""The discussion search page: GET /areas/<area_slug>/discussions/search?q=…

A plain GET form, so it works without JavaScript; with htmx the form and the "more results"
link fetch only the results and keep the address bar in step. The words searched for travel in
the query string only, which the access log drops. Anyone may search an area's discussions;
what they find is limited to the boards they may read (see `forum.discussions.search.queries`).
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from forum.areas.data_versions import kept_html_for_area
from forum.areas.permissions import can_view_area, standing_in
from forum.areas.queries import load_area
from forum.discussions import bp
from forum.discussions.search import queries as finder
from forum.web.auth import access
from forum.web.caching import shared_page
from forum.web.htmx import render

PER_PAGE = 20


def _after() -> int | None:
    raw = request.args.get("after", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@bp.get("/areas/<area_slug>/discussions/search")
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="", needs_sign_in=False)
def search(area):
    query = request.args.get("q", "")[: finder.MAX_QUERY]
    after = _after()

    def make() -> str:
        results = finder.search(current_user, area, query, limit=PER_PAGE, after=after)
        return render_template(
            "discussions/_search_results_made.html",
            area=area,
            query=query,
            asked=bool(query.strip()),
            results=results,
            after=after,
            signed_in=current_user.is_authenticated,
        )

    # The same words find the same posts for everyone who stands alike, until the area's
    # discussions change (posts move its data version).
    standing = standing_in(current_user, area)
    htmx = bool(getattr(request, "htmx", False))
    return render(
        "discussions/search.html",
        fragment="discussions/_search_results.html",
        area=area,
        query=query,
        results_made=kept_html_for_area(area, ("search", standing, query, after, htmx), make),
    )
