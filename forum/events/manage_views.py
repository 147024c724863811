"""Running events: organisers create and edit them, publish them, close and open
registration, cancel them (everyone registered is told, once) and see the area's list. Every
route checks permission on the server, whatever the page showed."""

from __future__ import annotations

import csv
import io

from flask import Response, flash, request, stream_with_context, url_for
from flask_login import current_user

from forum.areas.queries import load_area
from forum.events import bp
from forum.events import services as events
from forum.events.forms import CancelForm, EventForm
from forum.events.models import Event, RegistrationStatus
from forum.events.permissions import (
    can_manage_event,
    can_manage_events,
    can_mark_attendance,
    can_see_registrations,
)
from forum.events.queries import (
    consultations_to_link,
    load_event,
    load_registration,
    people_who_came,
    registration_list,
    select_visible,
)
from forum.events.views import EVENT
from forum.extensions import db
from forum.models import utcnow
from forum.plans.models import Priority
from forum.plans.queries import priorities_of
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render, wants_fragment
from forum.web.submit import accept, form_page, press

ORGANISERS = (
    "Only organisers of {area.forum_name} can run its events. If you should be one, ask an "
    "organiser of the forum to appoint you."
)


def _form(area, **kwargs) -> EventForm:
    return EventForm(
        consultations=consultations_to_link(area), plan_priorities=priorities_of(area), **kwargs
    )


def _links(area, form) -> dict:
    """The consultation and priorities the form chose, of this area only."""
    consultation = None
    if (chosen := form.consultation_value) is not None:
        consultation = next((c for c in consultations_to_link(area) if c.id == chosen), None)
    wanted = form.priority_ids
    priorities: list[Priority] = [p for p in priorities_of(area) if p.id in wanted]
    return {"consultation": consultation, "priorities": priorities}


@bp.get("/areas/<area_slug>/events/manage")
@access(can_manage_events, load=load_area, subject="area", explain=ORGANISERS)
def manage(area):
    rows = list(
        db.session.scalars(
            select_visible(current_user, area).order_by(Event.starts_at.desc(), Event.id.desc())
        )
    )
    return render("events/manage.html", area=area, events=rows, now=utcnow())


@bp.route("/areas/<area_slug>/events/new", methods=["GET", "POST"])
@access(can_manage_events, load=load_area, subject="area", explain=ORGANISERS)
def new(area):
    form = _form(area)
    done = accept(
        form,
        lambda: events.create_event(
            area, **form.fields(), **_links(area, form), actor=current_user
        ),
        refused=events.EventError,
        field="title",
        then=lambda event: event.url,
        message="The event is saved as a draft. Only the forum's organisers can see it until "
        "you publish it.",
    )
    return done or form_page("events/form.html", form, area=area, event=None)


@bp.route(f"{EVENT}/edit", methods=["GET", "POST"])
@access(can_manage_event, load=load_event, subject="event", explain=ORGANISERS)
def edit(area, event):
    form = _form(area, data=EventForm.data_of(event))
    done = accept(
        form,
        lambda: events.update_event(
            event, **form.fields(), **_links(area, form), actor=current_user
        ),
        refused=events.EventError,
        field="title",
        then=lambda event: event.url,
        message="Your changes are saved.",
        row=event,
        what="this event",
    )
    return done or form_page("events/form.html", form, area=area, event=event)


def _button(event, action, message: str):
    return press(
        lambda: action(event, actor=current_user),
        refused=events.EventError,
        then=lambda: event.url,
        message=message,
    )


@bp.post(f"{EVENT}/publish")
@access(can_manage_event, load=load_event, subject="event", explain=ORGANISERS)
def publish(area, event):
    return _button(event, events.publish, "The event is published.")


@bp.post(f"{EVENT}/close-registration")
@access(can_manage_event, load=load_event, subject="event", explain=ORGANISERS)
def close_registration(area, event):
    return _button(
        event,
        lambda e, actor: events.set_registration_open(e, False, actor=actor),
        "Registration is closed. People already registered keep their places.",
    )


@bp.post(f"{EVENT}/open-registration")
@access(can_manage_event, load=load_event, subject="event", explain=ORGANISERS)
def open_registration(area, event):
    return _button(
        event,
        lambda e, actor: events.set_registration_open(e, True, actor=actor),
        "Registration is open again.",
    )


@bp.route(f"{EVENT}/cancel", methods=["GET", "POST"])
@access(can_manage_event, load=load_event, subject="event", explain=ORGANISERS)
def cancel(area, event):
    form = CancelForm()
    done = accept(
        form,
        lambda: events.cancel_event(event, reason=form.reason.data, actor=current_user),
        refused=events.EventError,
        field="reason",
        then=event.url,
        message=lambda told: (
            "The event is cancelled."
            + (f" We are emailing the {told} people registered." if told else "")
        ),
    )
    return done or form_page("events/cancel.html", form, area=area, event=event)


@bp.route(f"{EVENT}/delete", methods=["GET", "POST"])
@access(can_manage_event, load=load_event, subject="event", explain=ORGANISERS)
def delete(area, event):
    """The GOV.UK "are you sure" page for deleting a draft, and its POST. A published event
    cannot be deleted: the page says why, without the button, and the service refuses it."""
    form = ActionForm()
    title = event.title
    done = accept(
        form,
        lambda: events.delete_draft(event, actor=current_user),
        refused=events.EventError,
        field=None,
        then=url_for("events.manage", area_slug=area.slug),
        message=f"The draft “{title}” is deleted.",
    )
    return done or form_page(
        "events/delete.html",
        form,
        area=area,
        event=event,
        refusal=events.why_not_deleted(event),
    )


# --- registrations, on the day -----------------------------------------------------------------

NEEDS_PRIVATE = (
    "Only the organisers of {area.forum_name} can see who registered and what they need."
)
CSV_HEADINGS = [
    "Name",
    "Email",
    "Status",
    "Adults",
    "Access needs chosen",
    "Other access needs",
    "Dietary needs",
    "Came",
]


@bp.get(f"{EVENT}/registrations")
@access(can_see_registrations, load=load_event, subject="event", explain=NEEDS_PRIVATE)
def registrations(area, event):
    rows = registration_list(event)
    return render(
        "events/registrations.html",
        area=area,
        event=event,
        rows=rows,
        waiting_from=next(
            (n for n, r in enumerate(rows) if r.status is RegistrationStatus.WAITING), None
        ),
        came=(sum(r.adults for r in rows if r.attended), sum(1 for r in rows if r.attended)),
    )


def _csv_lines(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADINGS)
    for registration in rows:
        writer.writerow(
            [
                safe_cell(
                    registration.user.display_name if registration.user else registration.name
                ),
                safe_cell(registration.address),
                registration.status.label,
                registration.adults,
                "; ".join(c.label for c in registration.choices),
                safe_cell(registration.access_needs),
                safe_cell(registration.dietary_needs),
                {None: "", True: "Yes", False: "No"}[registration.attended],
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if not rows:
        yield buffer.getvalue()


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, - or @ would start a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@bp.get(f"{EVENT}/registrations.csv")
@access(can_see_registrations, load=load_event, subject="event", explain=NEEDS_PRIVATE)
def registrations_csv(area, event):
    """The organisers' list as a spreadsheet, streamed a row at a time. The only export that
    holds access and dietary needs."""
    rows = registration_list(event)
    response = Response(stream_with_context(_csv_lines(rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event.id}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post(f"{EVENT}/registrations/<int:registration_id>/attendance")
@access(can_mark_attendance, load=load_registration, subject="registration", explain=NEEDS_PRIVATE)
def attendance(area, event, registration):
    """One row's "came" or "did not come": a plain form on each row (a phone without
    JavaScript posts it and comes back to the row); with htmx only the row is swapped."""
    came = request.form.get("attended") == "yes"
    try:
        events.mark_attendance(registration, came, actor=current_user)
        db.session.commit()
    except events.EventError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    if wants_fragment():
        return render(
            "events/_attendance.html",
            area=area,
            event=event,
            registration=registration,
            came_now=people_who_came(event) if event.has_started() else None,
        )
    return redirect_after_post(
        url_for("events.registrations", area_slug=area.slug, event_id=event.id)
        + f"#registration-{registration.id}"
    )
