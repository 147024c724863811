"""iCalendar (RFC 5545) for events: one event's .ics (attached to the confirmation, and to
download from its page) and each area's feed of its public events, which calendar programs
subscribe to. Times are written in UTC; the online link goes only into the file made for
someone with a place."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import current_app
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from forum.events.models import Event
from forum.models import utcnow
from forum.web.urls import absolute

PRODUCT = "-//Coproduce//Events//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _host() -> str:
    return current_app.config["PUBLIC_URL"].split("//", 1)[-1].split("/", 1)[0] or "coproduce"


def _where(event: Event, *, with_link: bool) -> str:
    places = []
    if event.is_in_person:
        places.append(", ".join(line.strip() for line in event.address.splitlines() if line))
    if event.is_online:
        places.append(event.online_link if with_link and event.online_link else "Online")
    return "; ".join(places)


def _entry(event: Event, *, with_link: bool, stamp: datetime) -> CalendarEvent:
    entry = CalendarEvent()
    #: stable across changes, so a calendar updates the entry rather than adding another
    entry.add("uid", f"event-{event.id}@{_host()}")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    entry.add("location", _where(event, with_link=with_link))
    entry.add("url", absolute(event))
    entry.add("description", f"{event.description}\n\n{absolute(event)}".strip())
    entry.add("sequence", event.version)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return entry


def event_ics(event: Event, *, with_link: bool = False, now: datetime | None = None) -> str:
    """One event as a calendar file; `with_link` puts the online link in its location."""
    calendar = _calendar(event.title)
    if event.is_cancelled:
        calendar.add("method", "CANCEL")
    calendar.add_component(_entry(event, with_link=with_link, stamp=now or utcnow()))
    return calendar.to_ical().decode()


def feed_ics(area, events: list[Event], *, now: datetime | None = None) -> str:
    """The area's public events as one calendar (no online links: anyone may read it)."""
    calendar = _calendar(f"{area.forum_name} events")
    stamp = now or utcnow()
    for event in events:
        calendar.add_component(_entry(event, with_link=False, stamp=stamp))
    return calendar.to_ical().decode()


def google_link(event: Event) -> str:
    """ "Add to Google Calendar": a link that fills in Google's form (nothing is sent until the
    person saves it there)."""
    fmt = "%Y%m%dT%H%M%SZ"
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{event.starts_at:{fmt}}/{event.ends_at:{fmt}}",
            "details": absolute(event),
            "location": _where(event, with_link=False),
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"
