"""Public event pages: the area's events (coming up, then past) and each event. What the
viewer may see is decided by `permissions.can_view_event` and, for lists, `queries.select_visible`
(the same rule as one select)."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, flash, request
from flask_login import current_user

from forum.areas.data_versions import kept_page
from forum.areas.permissions import can_view_area, is_member
from forum.areas.queries import load_area
from forum.consultations.models import Audience
from forum.disclosure import count_of, published
from forum.events import bp
from forum.events import services as events
from forum.events.calendar import event_ics, feed_ics, google_link
from forum.events.forms import RegistrationForm
from forum.events.models import RegistrationStatus
from forum.events.permissions import (
    can_cancel_registration,
    can_manage_event,
    can_manage_events,
    can_register,
    can_see_online_link,
    can_view_event,
    can_view_notes,
    can_write_notes,
)
from forum.events.queries import (
    event_figures,
    feed_version,
    get_registration,
    load_event,
    note_with_lines,
    people_who_came,
    public_feed,
    published_upcoming,
    select_past,
    select_upcoming,
    upcoming_for_consultation,
    upcoming_registrations,
    waiting_position,
)
from forum.web.auth import NotAllowed, access, public, safe_next, to_sign_in
from forum.web.caching import shared_page
from forum.web.htmx import redirect_after_post, render
from forum.web.pagination import paginate
from forum.web.submit import accept, form_page, press

EVENT = "/areas/<area_slug>/events/<int:event_id>"
EVENTS_PER_PAGE = 20
#: feeds kept by each worker, newest last (`calendar_feed`): {area id: (ETag, text)}
_FEEDS: dict[int, tuple[str, str]] = {}
FEEDS_KEPT = 32
NOT_YOURS = (
    "This event is for members of {area.forum_name}, or is not published yet. Ask to join the "
    "forum to see its members' events."
)


@bp.get("/areas/<area_slug>/events")
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="")
@kept_page
def index(area):
    """Events coming up, soonest first, or (`?when=past`) those that are over, latest first:
    20 to a page, in two statements however many there are."""
    when = "past" if request.args.get("when") == "past" else "upcoming"
    select_events = select_past if when == "past" else select_upcoming
    page = paginate(select_events(current_user, area), per_page=EVENTS_PER_PAGE)
    return render(
        "events/index.html",
        area=area,
        when=when,
        page=page,
        pagination=page.component(
            "events.index", area_slug=area.slug, when="past" if when == "past" else None
        ),
        manager=can_manage_events(current_user, area),
    )


@bp.get(EVENT)
@shared_page
@access(can_view_event, load=load_event, subject="event", explain=NOT_YOURS)
def show(area, event):
    manager = can_manage_event(current_user, event)
    registration = get_registration(event, current_user)
    note = note_with_lines(event)
    return render(
        "events/show.html",
        area=area,
        event=event,
        manager=manager,
        registration=registration if registration and registration.is_active else None,
        position=waiting_position(registration) if registration else None,
        may_register=can_register(current_user, event),
        show_link=can_see_online_link(current_user, event, registration),
        stage=event.stage(),
        google_link=google_link(event),
        note=note if note is not None and can_view_notes(current_user, note) else None,
        may_write_notes=can_write_notes(current_user, event),
        may_delete=manager and event.is_draft and events.why_not_deleted(event) is None,
        came=people_who_came(event)
        if manager and event.needs_registration and event.has_started()
        else None,
    )


def area_home_section(area):
    """Upcoming events on the area's home page (at most three), when there are any; for its
    organisers always, with the way to the events pages."""
    events = published_upcoming(current_user, area, limit=3)
    manager = can_manage_events(current_user, area)
    if not (events or manager):
        return None
    return "events/_area_home.html", {"events": events, "manager": manager}


def consultation_events(consultation):
    """Upcoming published events linked to the consultation, for its page."""
    return upcoming_for_consultation(current_user, consultation)


# --- registering -----------------------------------------------------------------------------

MEMBERS_ONLY = (
    "Only members of {area.forum_name} can register for this event. Ask to join the forum, "
    "then come back."
)


def _why_closed(event) -> str | None:
    """Why this event takes no registrations now, in a sentence; None when it does."""
    if event.is_cancelled:
        return "This event is cancelled."
    if event.has_started():
        return "This event has already started, so registration is closed."
    if not event.needs_registration:
        return "You do not need to register for this event: just come along."
    if not event.is_registration_open:
        return "Registration for this event is closed."
    return None


@bp.route(f"{EVENT}/register", methods=["GET", "POST"])
@access(can_view_event, load=load_event, subject="event", explain=NOT_YOURS)
def register(area, event):
    guest = not current_user.is_authenticated
    if event.audience is Audience.MEMBERS and guest:
        return to_sign_in()
    if event.audience is Audience.MEMBERS and not is_member(current_user, area):
        raise NotAllowed(MEMBERS_ONLY.format(area=area))
    mine = get_registration(event, current_user)
    if mine is not None and mine.is_active:
        flash("You are already registered for this event.", "success")
        return redirect_after_post(event.url)
    form = RegistrationForm(with_address=guest)
    closed = _why_closed(event)
    done = None
    if closed is None:
        done = accept(
            form,
            lambda: events.register(
                event,
                user=None if guest else current_user,
                **form.fields(),
                actor=None if guest else current_user,
            ),
            refused=events.EventError,
            field="adults",
            then=event.url,
            message=_registered_message,
        )
    elif form.is_submitted():
        form.form_errors.append(closed)
    return done or form_page(
        "events/register.html", form, area=area, event=event, closed=closed, guest=guest
    )


def _registered_message(registration) -> str:
    if registration.status is RegistrationStatus.UNCONFIRMED:
        return (
            f"Check your email. We have sent a link to {registration.email}: follow it within "
            "48 hours to book your place."
        )
    if registration.status is RegistrationStatus.WAITING:
        return (
            "The event is full, so you are on the waiting list. We will email you if a place "
            "comes free."
        )
    return "You have a place. We have emailed you the details."


def _own(kwargs: dict) -> dict:
    """URL loader: the event (404 if not of the area) and the signed-in person's registration
    for it (None when they have none, which the check refuses)."""
    kwargs = load_event(kwargs)
    kwargs["registration"] = get_registration(kwargs["event"], current_user)
    return kwargs


@bp.post(f"{EVENT}/registration/cancel")
@access(
    can_cancel_registration,
    load=_own,
    subject="registration",
    explain="You have no registration for this event to cancel.",
)
def cancel_mine(area, event, registration):
    back = request.form.get("back", "")
    return press(
        lambda: events.cancel_registration(registration, actor=current_user),
        refused=events.EventError,
        then=safe_next(back, event.url),
        message="Your registration is cancelled.",
    )


@bp.route("/events/registrations/<token>/cancel", methods=["GET", "POST"])
@public
def cancel_by_link(token):
    registration = events.registration_from(token)
    if registration is None:
        return render("events/bad_link.html", status=404)
    if request.method == "POST":
        return press(
            lambda: events.cancel_registration(registration, actor=registration.user),
            refused=events.EventError,
            then=request.path,
            message="Your registration is cancelled.",
        )
    return render(
        "events/cancel_link.html",
        registration=registration,
        event=registration.event,
        area=registration.event.area,
    )


@bp.route("/events/registrations/<token>/confirm", methods=["GET", "POST"])
@public
def confirm_by_link(token):
    registration = events.registration_from(token, confirm=True)
    if registration is None:
        return render("events/bad_link.html", status=404)
    if request.method == "POST":
        return press(
            lambda: events.confirm_email(registration),
            refused=events.EventError,
            then=request.path,
        )
    return render(
        "events/confirm_link.html",
        registration=registration,
        event=registration.event,
        area=registration.event.area,
    )


def account_events(user):
    """`account_page_sections`: the person's upcoming events, each with a button to cancel."""
    registrations = upcoming_registrations(user)
    if not registrations:
        return None
    return "events/_account.html", {"registrations": registrations}


# --- calendars -------------------------------------------------------------------------------


def _calendar_file(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get(f"{EVENT}/event.ics")
@access(can_view_event, load=load_event, subject="event", explain=NOT_YOURS)
def calendar_file(area, event):
    """The event for a calendar program; with the online link for someone with a place."""
    registration = get_registration(event, current_user)
    with_link = can_see_online_link(current_user, event, registration)
    return _calendar_file(event_ics(event, with_link=with_link), f"event-{event.id}.ics")


@bp.get("/areas/<area_slug>/events.ics")
@access(can_view_area, load=load_area, subject="area", explain="")
def calendar_feed(area):
    """The area's public events, for calendar programs to subscribe to.

    Calendar programs poll it, and writing a year of entries costs most of a second, so each
    worker keeps the last feed it wrote for each area (`_FEEDS`) and writes it again only when
    what it is made from has changed (`feed_version`: one small statement). The same value is
    the ETag, so a program that asks again with it gets 304 Not Modified."""
    made_from = (feed_version(area), area.forum_name, current_app.config["PUBLIC_URL"])
    etag = hashlib.sha256(repr(made_from).encode()).hexdigest()[:32]
    kept = _FEEDS.get(area.id)
    if kept is None or kept[0] != etag:
        kept = (etag, feed_ics(area, public_feed(area)))
        _FEEDS.pop(area.id, None)
        _FEEDS[area.id] = kept
        while len(_FEEDS) > FEEDS_KEPT:
            _FEEDS.pop(next(iter(_FEEDS)))
    response = _calendar_file(kept[1], f"{area.slug}-events.ics")
    response.headers["Content-Disposition"] = "inline"
    response.set_etag(etag)
    return response.make_conditional(request)


# --- figures on the plan scorecard and the national page -------------------------------------


def scorecard_section(plan):
    """Events held and the people who came, across the plan's area, under the plan scorecard.
    The forum's organisers see exact figures; everyone else sees the people who came through
    `forum.disclosure` (withheld under 5, rounded to 5). Nothing when no event has happened."""
    area = plan.area
    held, came = event_figures([area.id])[area.id]
    if not held:
        return None
    exact = can_manage_events(current_user, area)
    return "events/_scorecard.html", {
        "area": area,
        "held": held,
        "came": count_of(came, exact=exact),
        "exact": exact,
    }


def national_columns(area_ids):
    """Two columns on the national page: events held, and the people who came (withheld under
    5 and rounded to 5, through `forum.disclosure`)."""
    figures = event_figures(list(area_ids))
    return [
        ("events_held", "Events held", {a: held for a, (held, _came) in figures.items()}),
        (
            "event_attendance",
            "People at events",
            {a: published(came) for a, (_held, came) in figures.items()},
        ),
    ]
