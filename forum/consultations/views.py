"""Public consultation pages: the area's list and each consultation."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from markupsafe import Markup

from forum import hooks
from forum.accounts.queries import display_names
from forum.areas.data_versions import kept_for_area, kept_page, made
from forum.areas.permissions import can_view_area, standing_in
from forum.areas.queries import load_area
from forum.consultations import bp, documents
from forum.consultations.permissions import (
    can_manage_consultations,
    can_take_part,
    can_view_consultation,
)
from forum.consultations.queries import (
    count_by_status,
    get_date_changes,
    get_history,
    get_listed,
    load_consultation,
    select_listed,
)
from forum.documents.owners import Owner
from forum.documents.queries import other_formats
from forum.web.auth import access
from forum.web.caching import shared_page
from forum.web.forms import ActionForm
from forum.web.htmx import render
from forum.web.pagination import paginate


@bp.get("/areas/<area_slug>/consultations")
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="")
@kept_page
def index(area):
    manager = can_manage_consultations(current_user, area)
    filters = ["open", "upcoming", "closed"] + (["draft"] if manager else [])
    status = request.args.get("status", "open")
    if status not in filters:
        status = "open"
    page = paginate(select_listed(area, status), per_page=10)
    return render(
        "consultations/index.html",
        fragment="consultations/_list.html",
        area=area,
        chosen=status,
        filters=filters,
        counts=count_by_status(area),
        page=page,
        manager=manager,
    )


@bp.get("/areas/<area_slug>/consultations/<slug>")
@shared_page
@access(
    can_view_consultation,
    load=load_consultation,
    subject="consultation",
    explain="This consultation is a draft. Only the forum's organisers can see it until it "
    "is published.",
)
def show(area, consultation):
    manager = can_manage_consultations(current_user, area)
    sections = hooks.consultation_page_sections.named(consultation)
    response = render(
        "consultations/show.html",
        area=area,
        consultation=consultation,
        state=consultation.state,
        manager=manager,
        can_take_part=can_take_part(current_user, consultation),
        sections=sections,
        # the audit log is never kept (it is written without moving the area's data version)
        history=get_history(consultation) if manager else [],
        dates=dates_and_formats(area, consultation, manager),
        # (only for the buttons organisers see: a form starts a session, and a visitor's page
        # is then no longer one that can be kept for everyone)
        form=ActionForm() if manager else None,
    )
    if sections.get("unsent_draft"):
        # one person's own answers are mentioned: never kept in a shared cache
        response.headers["Cache-Control"] = "no-store"
    return response


def dates_and_formats(area, consultation, manager: bool) -> dict[str, Markup]:
    """The consultation page's parts made from its date changes and its documents, made: how
    its dates moved (for everyone), its other formats, and for organisers every change of its
    dates with who made it. Area data only (names of people are tracked where they are shown:
    forum/areas/data_versions.py), so kept for everyone who stands alike in the area until the
    area's data changes."""

    def make() -> list[str]:
        changes = get_date_changes(consultation)
        staff_changes = changes if manager else []
        context = {
            "area": area,
            "consultation": consultation,
            "public_changes": [change for change in changes if change.kind.is_public],
            "date_changes": staff_changes,
            "actors": display_names([change.actor_id for change in staff_changes]),
            "other_formats": other_formats(Owner(documents.OWNER, consultation), current_user),
        }
        return [
            render_template("consultations/_date_changes.html", **context),
            render_template("documents/_other_formats.html", **context),
            render_template("consultations/manage/_date_history.html", **context)
            if manager
            else "",
        ]

    standing = standing_in(current_user, area)
    public, formats, staff = kept_for_area(area, ("dates", consultation.id, standing), make)
    return {"public": made(public), "formats": made(formats), "staff": made(staff)}


def area_home_section(area):
    """The open consultations on the area's home page (at most three)."""
    items = get_listed(area, "open", limit=3)
    counts = count_by_status(area)
    return "consultations/_area_home.html", {"open_consultations": items, "counts": counts}
