"""Pages that belong to no area."""

from __future__ import annotations

from flask import current_app, render_template

from forum.web import bp
from forum.web.auth import public
from forum.web.caching import shared_page


@bp.get("/accessibility")
@shared_page
@public
def accessibility():
    return render_template("web/accessibility.html")


@bp.get("/privacy")
@shared_page
@public
def privacy():
    """The notice for the whole site; each area's page links to its own (`areas.privacy`),
    which names the forum responsible."""
    return render_template("web/privacy.html", area=None)


@bp.get("/contact")
@shared_page
@public
def contact():
    return render_template("web/contact.html", contact_email=current_app.config["CONTACT_EMAIL"])


@bp.get("/healthz")
@public
def health():
    from sqlalchemy import text

    from forum.extensions import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
