"""Public plan pages: the area's plans, a plan's priorities and commitments with their
progress, and each commitment's timeline. Organisers and responders see the controls they may
use on the same pages (the forms themselves are in manage_views)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from forum import hooks
from forum.accounts.queries import display_names
from forum.areas.data_versions import kept_for_area, made
from forum.areas.permissions import can_view_area, standing_in
from forum.areas.queries import load_area
from forum.documents.owners import Owner
from forum.documents.queries import other_formats
from forum.plans import bp, documents
from forum.plans.forms import ProgressUpdateForm
from forum.plans.permissions import (
    can_add_commitment,
    can_edit_commitment,
    can_edit_plans,
    can_see_plan_drafts,
    can_view_commitment,
    can_view_plan,
    responder_partner_id,
)
from forum.plans.queries import (
    get_plans,
    load_commitment,
    load_plan,
    plan_figures,
    plan_tree,
    select_changes,
    timeline,
)
from forum.web.auth import access
from forum.web.caching import shared_page
from forum.web.htmx import render
from forum.web.pagination import paginate

DRAFT = (
    "This plan is not published yet. Only the forum's organisers and partner organisations' "
    "responders can see it until it is."
)


@bp.get("/areas/<area_slug>/plans")
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="")
def index(area):
    drafts = can_see_plan_drafts(current_user, area)
    plans = get_plans(area, drafts=drafts)
    return render(
        "plans/index.html",
        area=area,
        plans=plans,
        figures=plan_figures(area, [p.id for p in plans]),
        editor=can_edit_plans(current_user, area),
        can_see_changes=drafts,
    )


def staff_context(area) -> dict:
    """What the signed-in person may change on a plan page."""
    editor = can_edit_plans(current_user, area)
    return {
        "editor": editor,
        "own_partner_id": responder_partner_id(current_user, area),
        "may_add_commitments": can_add_commitment(current_user, area),
    }


@bp.get("/areas/<area_slug>/plans/<plan_slug>")
@shared_page
@access(can_view_plan, load=load_plan, subject="plan", explain=DRAFT)
def show(area, plan):
    staff = staff_context(area)

    def make() -> tuple[str, int | None]:
        roots, overall = plan_tree(plan)
        if not roots:
            return "", overall
        tree = render_template("plans/_tree_made.html", area=area, plan=plan, roots=roots, **staff)
        return tree, overall

    # The priorities and commitments are the same for everyone who stands alike in the area
    # (the editing buttons follow the standing), until the area's data changes.
    standing = standing_in(current_user, area)
    tree, overall = kept_for_area(area, ("plan tree", plan.id, standing), make)
    return render(
        "plans/show.html",
        area=area,
        plan=plan,
        tree=made(tree),
        overall=overall,
        sections=hooks.plan_page_sections.named(plan),
        other_formats=other_formats(Owner(documents.OWNER, plan), current_user),
        **staff,
    )


def commitment_page(area, plan, commitment, form=None, status: int = 200):
    may_edit = can_edit_commitment(current_user, commitment)
    if may_edit and form is None:
        form = ProgressUpdateForm(
            data={
                "status": commitment.status.value,
                "progress": str(commitment.progress),
                "dropped_reason": commitment.dropped_reason,
            }
        )
    return render(
        "plans/commitment.html",
        status=status,
        area=area,
        plan=plan,
        commitment=commitment,
        priority=commitment.priority,
        updates=timeline(commitment),
        sections=hooks.commitment_page_sections.results(commitment),
        form=form if may_edit else None,
        may_edit=may_edit,
        **staff_context(area),
    )


@bp.get("/areas/<area_slug>/plans/<plan_slug>/commitments/<int:commitment_id>")
@shared_page
@access(can_view_commitment, load=load_commitment, subject="commitment", explain=DRAFT)
def commitment(area, plan, commitment):
    return commitment_page(area, plan, commitment)


#: plain words for each recorded change
CHANGES = {
    "plan.created": "Added the plan",
    "plan.updated": "Changed the plan’s details",
    "plan.published": "Published the plan",
    "plan.unpublished": "Unpublished the plan",
    "plan.deleted": "Deleted the plan",
    "plan.imported": "Imported a CSV file into the plan",
    "priority.added": "Added the priority",
    "priority.updated": "Changed the priority",
    "priority.moved": "Moved the priority",
    "priority.deleted": "Deleted the priority",
    "commitment.added": "Added the commitment",
    "commitment.updated": "Changed the commitment",
    "commitment.progress": "Updated the progress of",
    "commitment.deleted": "Deleted the commitment",
}


@bp.get("/areas/<area_slug>/plans/changes")
@shared_page
@access(
    can_see_plan_drafts,
    load=load_area,
    subject="area",
    explain="Only the forum's organisers and partner organisations' responders can see the "
    "record of changes to plans.",
)
def changes(area):
    page = paginate(select_changes(area), per_page=50)
    return render(
        "plans/changes.html",
        fragment="plans/_changes.html",
        area=area,
        page=page,
        names=display_names(event.actor_id for event in page.items),
        words=CHANGES,
    )


def area_home_section(area):
    """The area's published plans and their overall progress, on the area home page."""
    plans = get_plans(area, limit=3)
    if not plans:
        return None
    return "plans/_area_home.html", {
        "plans": plans,
        "figures": plan_figures(area, [p.id for p in plans]),
    }
