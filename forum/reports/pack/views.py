"""The shared pack: what a named partner reads through the link an organiser gave them,
without signing in. The token in the link is the whole authority; it is looked up by its
hash. Every opening is recorded (when, and which share: nothing about who). The page is
never cached by shared caches, never indexed, and never sends its address (with the token)
to another site as a Referer. Expired and revoked links say so plainly and show no data."""

from __future__ import annotations

from flask import Response

from forum.extensions import db
from forum.models import utcnow
from forum.reports import bp
from forum.reports.pack.queries import build_pack, find_share
from forum.reports.pack.services import record_view
from forum.web.auth import public
from forum.web.htmx import render


def _secret_page(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/pack/<token>")
@public
def shared_pack(token: str):
    now = utcnow()
    share = find_share(token)
    if share is None:
        return _secret_page(render("reports/pack/link_gone.html", status=404, reason="unknown"))
    if not share.works(now):
        return _secret_page(
            render(
                "reports/pack/link_gone.html",
                status=410,
                reason=share.state(now),
                share=share,
                forum_name=share.area.forum_name,
            )
        )
    record_view(share, now=now)
    db.session.commit()
    return _secret_page(
        render(
            "reports/pack/shared.html",
            fragment="reports/pack/_pack.html",
            area=share.area,
            share=share,
            pack=build_pack(share.area, share.period, now),
        )
    )
