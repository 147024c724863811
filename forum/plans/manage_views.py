"""Changing plans: organisers write plans and their priorities, publish them and import them
from a CSV file; organisers and responders keep commitments and their progress up to date
(a responder only for their own organisation). Every route checks permission on the server,
whatever the page showed."""

from __future__ import annotations

from flask import Response, request, url_for
from flask_login import current_user

from forum.areas.queries import get_partner, load_area, partners_of
from forum.plans import bp, importing
from forum.plans import services as plans
from forum.plans.forms import CommitmentForm, ImportForm, PlanForm, PriorityForm, number
from forum.plans.models import CommitmentStatus, PlanKind
from forum.plans.permissions import (
    can_add_commitment,
    can_add_commitment_under,
    can_delete_commitment,
    can_edit_commitment,
    can_edit_plan,
    can_edit_plans,
    can_edit_priority,
    responder_partner_id,
)
from forum.plans.queries import (
    descendant_ids,
    load_commitment,
    load_plan,
    load_priority,
    plan_priorities,
)
from forum.plans.views import commitment_page
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.submit import accept, accept_upload, form_page, press

PLAN = "/areas/<area_slug>/plans/<plan_slug>"
ORGANISERS = (
    "Only organisers of {area.forum_name} can change its plans. If you should be one, ask an "
    "organiser of the forum to appoint you."
)
COMMITMENT = (
    "Only the forum's organisers and responders for the organisation that owns this commitment "
    "can change it."
)


# --- plans ---------------------------------------------------------------------------------


def _plan_fields(form) -> dict:
    return {
        "title": form.title.data,
        "summary": form.summary.data or "",
        "kind": PlanKind(form.kind.data),
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
    }


@bp.route("/areas/<area_slug>/plans/new", methods=["GET", "POST"])
@access(can_edit_plans, load=load_area, subject="area", explain=ORGANISERS)
def new_plan(area):
    form = PlanForm()
    done = accept(
        form,
        lambda: plans.create_plan(area, **_plan_fields(form), actor=current_user),
        refused=plans.PlanError,
        field="title",
        then=lambda plan: plan.url,
        message="The plan is saved. Only organisers and responders can see it until you "
        "publish it.",
    )
    return done or form_page("plans/plan_form.html", form, area=area, plan=None)


@bp.route(f"{PLAN}/edit", methods=["GET", "POST"])
@access(can_edit_plan, load=load_plan, subject="plan", explain=ORGANISERS)
def edit_plan(area, plan):
    form = PlanForm(
        data={
            "title": plan.title,
            "summary": plan.summary,
            "kind": plan.kind.value,
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
        }
    )
    done = accept(
        form,
        lambda: plans.update_plan(plan, **_plan_fields(form), actor=current_user),
        refused=plans.PlanError,
        field="title",
        then=lambda plan: plan.url,
        message="Your changes are saved.",
        row=plan,
        what="this plan",
    )
    return done or form_page("plans/plan_form.html", form, area=area, plan=plan)


def _button(plan, action, message: str) -> Response:
    """A one-button change from the plan page; a move that no longer makes sense (a stale
    page) is explained there instead of failing."""
    return press(
        lambda: action(plan, actor=current_user),
        refused=plans.PlanError,
        then=lambda: plan.url,
        message=message,
    )


@bp.post(f"{PLAN}/publish")
@access(can_edit_plan, load=load_plan, subject="plan", explain=ORGANISERS)
def publish_plan(area, plan):
    return _button(plan, plans.publish_plan, "The plan is published. Everyone can see it now.")


@bp.post(f"{PLAN}/unpublish")
@access(can_edit_plan, load=load_plan, subject="plan", explain=ORGANISERS)
def unpublish_plan(area, plan):
    return _button(
        plan,
        plans.unpublish_plan,
        "The plan is unpublished. Only organisers and responders can see it now.",
    )


@bp.route(f"{PLAN}/delete", methods=["GET", "POST"])
@access(can_edit_plan, load=load_plan, subject="plan", explain=ORGANISERS)
def delete_plan(area, plan):
    form = ActionForm()
    done = accept(
        form,
        lambda: plans.delete_plan(plan, actor=current_user),
        refused=plans.PlanError,
        field=None,
        then=url_for("plans.index", area_slug=area.slug),
        message=f"The plan “{plan.title}” is deleted.",
    )
    return done or form_page(
        "plans/confirm_delete.html",
        form,
        area=area,
        plan=plan,
        what=f"the plan “{plan.title}”",
        action=url_for("plans.delete_plan", area_slug=area.slug, plan_slug=plan.slug),
        back=plan.url,
    )


# --- priorities ----------------------------------------------------------------------------


def _parents(plan, priority=None):
    """Priorities this one may sit under: any in the plan but itself and its own
    sub-priorities."""
    everything = plan_priorities(plan)
    if priority is None:
        return everything
    excluded = descendant_ids(priority, everything)
    return [p for p in everything if p.id not in excluded]


def _priority_fields(plan, form) -> dict:
    return {
        "code": form.code.data,
        "title": form.title.data,
        "description": form.description.data or "",
        "parent": _parent_of(plan, form),
    }


def _parent_of(plan, form):
    chosen = form.parent_value
    if chosen is None:
        return None
    return next((p for p in plan_priorities(plan) if p.id == chosen), None)


@bp.route(f"{PLAN}/priorities/new", methods=["GET", "POST"])
@access(can_edit_plan, load=load_plan, subject="plan", explain=ORGANISERS)
def new_priority(area, plan):
    form = PriorityForm(parents=_parents(plan))
    if request.method == "GET" and request.args.get("parent", "").isdigit():
        form.parent_id.data = request.args["parent"]
    done = accept(
        form,
        lambda: plans.add_priority(plan, **_priority_fields(plan, form), actor=current_user),
        refused=plans.PlanError,
        field="code",
        then=lambda priority: plan.url_at(f"priority-{priority.id}"),
        message=lambda priority: f"{priority.code} {priority.title} is added.",
    )
    return done or form_page("plans/priority_form.html", form, area=area, plan=plan, priority=None)


@bp.route(f"{PLAN}/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@access(can_edit_priority, load=load_priority, subject="priority", explain=ORGANISERS)
def edit_priority(area, plan, priority):
    form = PriorityForm(
        parents=_parents(plan, priority),
        data={
            "code": priority.code,
            "title": priority.title,
            "description": priority.description,
            "parent_id": str(priority.parent_id or ""),
        },
    )
    done = accept(
        form,
        lambda: plans.update_priority(priority, **_priority_fields(plan, form), actor=current_user),
        refused=plans.PlanError,
        field="code",
        then=lambda p: plan.url_at(f"priority-{p.id}"),
        message="Your changes are saved.",
        row=priority,
        what="this priority",
    )
    return done or form_page(
        "plans/priority_form.html", form, area=area, plan=plan, priority=priority
    )


@bp.post(f"{PLAN}/priorities/<int:priority_id>/move")
@access(can_edit_priority, load=load_priority, subject="priority", explain=ORGANISERS)
def move_priority(area, plan, priority):
    direction = request.form.get("direction", "")
    return press(
        lambda: plans.move_priority(priority, direction, actor=current_user),
        refused=plans.PlanError,
        then=lambda: plan.url_at(f"priority-{priority.id}"),
    )


@bp.route(f"{PLAN}/priorities/<int:priority_id>/delete", methods=["GET", "POST"])
@access(can_edit_priority, load=load_priority, subject="priority", explain=ORGANISERS)
def delete_priority(area, plan, priority):
    form = ActionForm()
    label = priority.label
    done = accept(
        form,
        lambda: plans.delete_priority(priority, actor=current_user),
        refused=plans.PlanError,
        field=None,
        then=plan.url,
        message=f"{label} is deleted.",
    )
    return done or form_page(
        "plans/confirm_delete.html",
        form,
        area=area,
        plan=plan,
        what=f"the priority {label}",
        action=url_for(
            "plans.delete_priority",
            area_slug=area.slug,
            plan_slug=plan.slug,
            priority_id=priority.id,
        ),
        back=plan.url_at(f"priority-{priority.id}"),
    )


# --- commitments ---------------------------------------------------------------------------


def _commitment_form(area, **kwargs) -> CommitmentForm:
    """Organisers choose the owner; a responder's own organisation is fixed."""
    if can_edit_plans(current_user, area):
        return CommitmentForm(partners=partners_of(area), **kwargs)
    own = get_partner(area, responder_partner_id(current_user, area))
    return CommitmentForm(fixed_partner=own, **kwargs)


def _commitment_fields(area, form) -> dict:
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "due_on": form.due_on.data,
        "status": CommitmentStatus(form.status.data),
        "progress": number(form.progress),
        "weight": number(form.weight),
        "dropped_reason": form.dropped_reason.data or "",
    }


def _chosen_partner(area, form):
    """The owner the form names, checked again here: a responder only ever gets their own."""
    if form.fixed_partner is not None:
        return form.fixed_partner
    partner = get_partner(area, form.partner_value)
    if partner is None or not can_add_commitment(current_user, area, partner.id):
        raise plans.PlanError(
            "Choose the organisation that owns this commitment", field="partner_id"
        )
    return partner


def _save_commitment(form, write, message: str, **page):
    """The commitment form's POST (to the commitment's page) or the form again; an edit is
    refused when someone else changed the commitment since the form was filled in."""
    done = accept(
        form,
        write,
        refused=plans.PlanError,
        field="title",
        then=lambda commitment: commitment.url,
        message=message,
        row=page["commitment"],
        what="this commitment",
    )
    return done or form_page("plans/commitment_form.html", form, **page)


@bp.route(f"{PLAN}/priorities/<int:priority_id>/commitments/new", methods=["GET", "POST"])
@access(
    can_add_commitment_under,
    load=load_priority,
    subject="priority",
    explain="Only the forum's organisers and partner organisations' responders can add "
    "commitments.",
)
def new_commitment(area, plan, priority):
    form = _commitment_form(area)
    return _save_commitment(
        form,
        lambda: plans.add_commitment(
            priority,
            partner=_chosen_partner(area, form),
            **_commitment_fields(area, form),
            actor=current_user,
        ),
        "The commitment is added.",
        area=area,
        plan=plan,
        priority=priority,
        commitment=None,
    )


@bp.route(f"{PLAN}/commitments/<int:commitment_id>/edit", methods=["GET", "POST"])
@access(can_edit_commitment, load=load_commitment, subject="commitment", explain=COMMITMENT)
def edit_commitment(area, plan, commitment):
    form = _commitment_form(
        area,
        data={
            "partner_id": str(commitment.partner_id),
            "title": commitment.title,
            "description": commitment.description,
            "due_on": commitment.due_on,
            "status": commitment.status.value,
            "dropped_reason": commitment.dropped_reason,
            "progress": str(commitment.progress),
            "weight": str(commitment.weight),
        },
    )
    if form.fixed_partner is not None:
        # A responder edits their organisation's commitment; its owner stays as it is.
        form.fixed_partner = commitment.partner
    return _save_commitment(
        form,
        lambda: plans.update_commitment(
            commitment,
            partner=None if form.fixed_partner is not None else _chosen_partner(area, form),
            **_commitment_fields(area, form),
            actor=current_user,
        ),
        "Your changes are saved.",
        area=area,
        plan=plan,
        priority=commitment.priority,
        commitment=commitment,
    )


@bp.route(f"{PLAN}/commitments/<int:commitment_id>/delete", methods=["GET", "POST"])
@access(
    can_delete_commitment,
    load=load_commitment,
    subject="commitment",
    explain="Only the forum's organisers can delete a commitment. You can mark it dropped, "
    "with the reason, instead.",
)
def delete_commitment(area, plan, commitment):
    form = ActionForm()
    title = commitment.title
    anchor = f"priority-{commitment.priority_id}"
    done = accept(
        form,
        lambda: plans.delete_commitment(commitment, actor=current_user),
        refused=plans.PlanError,
        field=None,
        then=plan.url_at(anchor),
        message=f"The commitment “{title}” is deleted.",
    )
    return done or form_page(
        "plans/confirm_delete.html",
        form,
        area=area,
        plan=plan,
        what=f"the commitment “{title}” and its timeline",
        action=url_for(
            "plans.delete_commitment",
            area_slug=area.slug,
            plan_slug=plan.slug,
            commitment_id=commitment.id,
        ),
        back=commitment.url,
    )


@bp.post(f"{PLAN}/commitments/<int:commitment_id>/updates")
@access(can_edit_commitment, load=load_commitment, subject="commitment", explain=COMMITMENT)
def post_update(area, plan, commitment):
    from forum.plans.forms import ProgressUpdateForm

    form = ProgressUpdateForm()
    done = accept(
        form,
        lambda: plans.post_update(
            commitment,
            text=form.text.data,
            evidence_url=form.evidence_url.data or "",
            status=CommitmentStatus(form.status.data),
            progress=number(form.progress),
            dropped_reason=form.dropped_reason.data or "",
            actor=current_user,
        ),
        refused=plans.PlanError,
        field="text",
        then=lambda update: commitment.url + f"#update-{update.id}",
        message="Your update is on the timeline.",
    )
    return done or commitment_page(
        area, plan, commitment, form=form, status=422 if form.errors else 200
    )


# --- import --------------------------------------------------------------------------------


@bp.get("/areas/<area_slug>/plans/import-example.csv")
@access(can_edit_plans, load=load_area, subject="area", explain=ORGANISERS)
def example_csv(area):
    response = Response(
        "\ufeff" + importing.example_csv([p.name for p in partners_of(area)]),
        mimetype="text/csv; charset=utf-8",
    )
    response.headers["Content-Disposition"] = 'attachment; filename="plan-import-example.csv"'
    return response


@bp.route(f"{PLAN}/import", methods=["GET", "POST"])
@access(can_edit_plan, load=load_plan, subject="plan", explain=ORGANISERS)
def import_csv(area, plan):
    form = ImportForm()
    done, checked = accept_upload(
        form,
        limit=importing.MAX_BYTES,
        check=lambda data: importing.check(plan, data),
        keep=lambda checked: importing.apply(plan, checked.rows, actor=current_user),
        refused=plans.PlanError,
        then=plan.url,
        message=lambda result: result.sentence(),
        missing="Choose a CSV file to import",
        fix_rows="Nothing was imported. Fix the rows listed below, then import the file again.",
    )
    if done:
        return done
    return form_page(
        "plans/import.html",
        form,
        area=area,
        plan=plan,
        checked=checked,
        columns=importing.COLUMNS,
        max_rows=importing.MAX_ROWS,
        statuses=list(CommitmentStatus),
    )
