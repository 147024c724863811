"""Organiser pages: write, edit, publish, open early, extend, close early, mark responded."""

from __future__ import annotations

from flask import flash, request
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from forum.areas.queries import load_area
from forum.consultations import bp
from forum.consultations import services as consultations
from forum.consultations.checks import errors_in, publish_checks
from forum.consultations.forms import CloseEarlyForm, ConsultationForm, ExtendForm
from forum.consultations.models import Audience, ConsultationKind, ConsultationState
from forum.consultations.permissions import can_manage_consultations
from forum.consultations.queries import load_consultation
from forum.extensions import db
from forum.models import utcnow
from forum.plans.queries import get_priorities, priorities_of
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render
from forum.web.submit import PRESSED_TOGETHER, accept, form_page, press

MANAGE = (
    "Only organisers of {area.forum_name} can run its consultations. If you should be one, ask "
    "an organiser of the forum to appoint you."
)


def manage(load):
    return access(can_manage_consultations, load=load, subject="area", explain=MANAGE)


def _fields(form, area, consultation=None) -> dict:
    """The service's arguments from the form; dates the form no longer offers (once a
    consultation has opened) stay as they are."""
    dates = {
        name: form[name].data if name in form else getattr(consultation, name)
        for name in ("opens_at", "closes_at")
    }
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "easy_read_summary": form.easy_read_summary.data or "",
        "body": form.body.data or "",
        "audience": Audience(form.audience.data),
        "kind": ConsultationKind(form.kind.data),
        "priorities": get_priorities(area, form.priority_ids),
        **dates,
    }


@bp.route("/areas/<area_slug>/consultations/new", methods=["GET", "POST"])
@manage(load_area)
def new(area):
    form = ConsultationForm(plan_priorities=priorities_of(area))
    done = accept(
        form,
        lambda: consultations.create_consultation(
            area,
            **_fields(form, area),
            response_due_at=form.response_due_at.data,
            actor=current_user,
        ),
        refused=consultations.ConsultationError,
        field="closes_at",
        then=lambda consultation: consultation.url,
        message="Your draft is saved. Only organisers can see it until you publish it.",
    )
    return done or form_page("consultations/manage/form.html", form, area=area, consultation=None)


@bp.route("/areas/<area_slug>/consultations/<slug>/edit", methods=["GET", "POST"])
@manage(load_consultation)
def edit(area, consultation):
    current = {
        name: getattr(consultation, name)
        for name in (
            "title",
            "summary",
            "easy_read_summary",
            "body",
            "opens_at",
            "closes_at",
        )
    }
    # Blank unless the organiser chose it: blank means "12 weeks after it closes", following
    # the closing date wherever it moves.
    current["response_due_at"] = (
        consultation.response_due_at if consultation.response_due_is_custom else None
    )
    current["audience"] = consultation.audience.value
    current["kind"] = consultation.kind.value
    current["priorities"] = [str(p.id) for p in consultation.priorities]
    form = ConsultationForm(data=current, plan_priorities=priorities_of(area))
    dates_locked = consultation.state not in (ConsultationState.DRAFT, ConsultationState.SCHEDULED)
    if dates_locked:
        # Once open, dates change only through Extend and Close early, which are recorded.
        del form.opens_at
        del form.closes_at

    def save():
        fields = _fields(form, area, consultation)
        consultations.update_consultation(
            consultation,
            **fields,
            response_due_at=form.response_due_at.data,
            actor=current_user,
        )
        return consultation

    done = accept(
        form,
        save,
        refused=consultations.ConsultationError,
        field="response_due_at",
        then=lambda c: c.url,
        message="Your changes are saved.",
        row=consultation,
        what="this consultation",
    )
    if done:
        return done
    return render(
        "consultations/manage/form.html",
        status=422 if form.errors else 200,
        area=area,
        form=form,
        consultation=consultation,
        dates_locked=dates_locked,
    )


def _lifecycle(consultation, action, message: str):
    """Run one lifecycle move from a button; an impossible move (a stale page) is explained
    on the consultation page instead of failing."""
    return press(
        lambda: action(consultation, actor=current_user),
        refused=consultations.ConsultationError,
        then=lambda: consultation.url,
        message=message,
    )


@bp.route("/areas/<area_slug>/consultations/<slug>/publish", methods=["GET", "POST"])
@manage(load_consultation)
def publish(area, consultation):
    """Check and publish: one page listing what is ready, what to check and what must be
    fixed (each with a link to fix it); its button publishes unless something must be fixed,
    which the POST checks again."""
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        opens_later = consultation.opens_at > utcnow()
        message = (
            "Published. It will open on its opening date."
            if opens_later
            else "Published. The consultation is open now."
        )
        try:
            consultations.publish_checked(consultation, actor=current_user)
            db.session.commit()
        except (consultations.ConsultationError, StaleDataError) as exc:
            db.session.rollback()
            text = (
                str(exc) if isinstance(exc, consultations.ConsultationError) else PRESSED_TOGETHER
            )
            flash(text, "error")
            return redirect_after_post(consultation.manage_url("publish"))
        flash(message, "success")
        return redirect_after_post(consultation.url)
    rows = publish_checks(consultation)
    return render(
        "consultations/manage/publish.html",
        status=422 if request.method == "POST" else 200,
        area=area,
        consultation=consultation,
        state=consultation.state,
        rows=rows,
        errors=errors_in(rows),
        form=form,
    )


@bp.post("/areas/<area_slug>/consultations/<slug>/unpublish")
@manage(load_consultation)
def unpublish(area, consultation):
    return _lifecycle(
        consultation,
        consultations.unpublish,
        "Taken back to draft. Only organisers can see it now.",
    )


@bp.post("/areas/<area_slug>/consultations/<slug>/open-now")
@manage(load_consultation)
def open_now(area, consultation):
    return _lifecycle(consultation, consultations.open_now, "The consultation is open now.")


@bp.post("/areas/<area_slug>/consultations/<slug>/responded")
@manage(load_consultation)
def responded(area, consultation):
    return _lifecycle(consultation, consultations.mark_responded, "Marked as responded.")


@bp.route("/areas/<area_slug>/consultations/<slug>/extend", methods=["GET", "POST"])
@manage(load_consultation)
def extend(area, consultation):
    form = ExtendForm()
    done = accept(
        form,
        lambda: consultations.extend(
            consultation, form.closes_at.data, reason=form.reason.data or "", actor=current_user
        ),
        refused=consultations.ConsultationError,
        field="closes_at",
        then=consultation.url,
        message="The closing date has been changed. The reason is shown on the consultation page.",
        row=consultation,
        what="this consultation",
    )
    return done or form_page(
        "consultations/manage/extend.html", form, area=area, consultation=consultation
    )


@bp.route("/areas/<area_slug>/consultations/<slug>/close", methods=["GET", "POST"])
@manage(load_consultation)
def close(area, consultation):
    form = CloseEarlyForm()
    done = accept(
        form,
        lambda: consultations.close_early(
            consultation, reason=form.reason.data, actor=current_user
        ),
        refused=consultations.ConsultationError,
        field="reason",
        then=consultation.url,
        message="The consultation is closed.",
    )
    return done or form_page(
        "consultations/manage/close.html", form, area=area, consultation=consultation
    )
