"""Calendars: the .ics attached to a confirmation and downloaded from the event page, and the
area's feed of public events, each parsed back with `icalendar`; "add to calendar" links; the
reminder the day before, sent once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from forum.accounts.models import User
from forum.events import services
from forum.events.models import Event
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from forum.web.time import LONDON
from tests.events.worlds import url


def _events(text: str) -> list:
    return list(Calendar.from_ical(text).walk("VEVENT"))


def test_the_confirmation_carries_the_event_as_a_calendar_file(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        council = db.session.scalar(select(User).where(User.email == "council@example.org"))
        services.register(event, user=council, actor=council)
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "event_registered")
        )
        (attachment,) = json.loads(message.attachments)
        assert attachment["filename"] == "event.ics"
        (entry,) = _events(attachment["text"])
        assert str(entry["summary"]) == "Coffee morning"
        assert entry.decoded("dtstart") == event.starts_at
        assert entry.decoded("dtend") == event.ends_at
        assert "meet.example.org/secret-room" in str(entry["location"])
        assert str(entry["status"]) == "CONFIRMED"
        assert str(entry["url"]).endswith(url(world.public))


def test_the_waiting_list_email_has_no_calendar_file(app, world):
    with app.app_context():
        event = db.session.get(Event, world.public)
        event.capacity = 1
        council = db.session.scalar(select(User).where(User.email == "council@example.org"))
        services.register(event, user=council, actor=council)
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "event_waiting")
        )
        assert message.attachments is None


def test_the_download_has_the_link_only_for_people_with_a_place(client, auth, world):
    response = client.get(f"{url(world.public)}/event.ics")
    assert response.mimetype == "text/calendar"
    (entry,) = _events(response.get_data(as_text=True))
    assert "secret-room" not in str(entry["location"]) and "Online" in str(entry["location"])
    auth.login("member@example.org")
    (entry,) = _events(client.get(f"{url(world.public)}/event.ics").get_data(as_text=True))
    assert "secret-room" in str(entry["location"])


def test_the_feed_holds_the_areas_public_events(client, world):
    response = client.get("/areas/northshire/events.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data(as_text=True))
    entries = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(entries) == {"Coffee morning", "Cancelled talk", "Last month's coffee morning"}
    assert str(entries["Cancelled talk"]["status"]) == "CANCELLED"
    assert all("secret-room" not in str(e["location"]) for e in entries.values())
    assert str(calendar["x-wr-calname"]).endswith("events")


def test_the_event_page_offers_both_calendar_links(client, world):
    page = client.get(url(world.public)).get_data(as_text=True)
    assert f"{url(world.public)}/event.ics" in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page


def _tomorrow_event(app, world) -> int:
    with app.app_context():
        event = db.session.get(Event, world.public)
        tomorrow = (utcnow().astimezone(LONDON) + timedelta(days=1)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        event.starts_at = tomorrow
        event.ends_at = tomorrow + timedelta(hours=2)
        db.session.commit()
        return event.id


def test_the_reminder_goes_the_day_before_once(app, world):
    _tomorrow_event(app, world)
    with app.app_context():
        now = utcnow()
        assert services.send_reminders(now) == 1  # the person with a place, not the waiting
        db.session.flush()
        again = services.send_reminders(now + timedelta(hours=1))
        assert again == 0
        (reminder,) = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "event_reminder")
        ).all()
        assert reminder.to_address == "member@example.org"
        assert reminder.subject == "Tomorrow: Coffee morning"
        assert reminder.topic is not None  # optional: it has an unsubscribe link


def test_no_reminder_two_days_before(app, world):
    _tomorrow_event(app, world)
    with app.app_context():
        two_days_before = utcnow() - timedelta(days=1)
        assert services.send_reminders(two_days_before) == 0


def test_the_reminder_job_is_registered(app):
    from forum.scheduling import registered_jobs

    (job,) = [job for job in registered_jobs() if job.name == "events.reminders"]
    assert job.run is services.send_reminders
    assert isinstance(job.schedule.latest(datetime.now(LONDON)).at, datetime)


def test_the_feed_is_written_again_only_when_an_event_changes(app, client, world):
    """Calendar programs poll the feed: the same feed has the same ETag and a poll with it gets
    304; a change to one of its events gives a new feed and a new ETag."""
    first = client.get("/areas/northshire/events.ics")
    etag = first.headers["ETag"]
    first.close()
    again = client.get("/areas/northshire/events.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    with app.app_context():
        event = db.session.get(Event, world.public)
        event.title = "Coffee morning, moved"  # the row's version moves on, as with every edit
        db.session.commit()
    changed = client.get("/areas/northshire/events.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Coffee morning, moved" in [str(e["summary"]) for e in _events(changed.data)]
    changed.close()
