"""Running events: organisers create and edit them, publish them, close and open
registration, cancel them (everyone registered is told, once) and see the area's list. Every
route checks permission on the server, whatever the page showed."""

from __future__ import annotations

from flask_login import current_user

from forum.areas.queries import load_area
from forum.events import bp
from forum.events import services as events
from forum.events.forms import CancelForm, EventForm
from forum.events.models import Event
from forum.events.permissions import can_manage_event, can_manage_events
from forum.events.queries import consultations_to_link, load_event, select_visible
from forum.events.views import EVENT
from forum.extensions import db
from forum.models import utcnow
from forum.plans.models import Priority
from forum.plans.queries import priorities_of
from forum.web.auth import access
from forum.web.htmx import render
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
