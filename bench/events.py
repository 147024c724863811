"""The events and representation part of the benchmark (issue 15), run by bench/run.py.

In the demo area it makes `--event-years` years of events (5 by default: from four years and
nine months ago to three months ahead, about 600 a year, so about 3,000), past and upcoming,
published, cancelled and a few drafts, public and members-only, in person and online, a third
of them with registrations (places, a waiting list, attendance marked on past ones); and a
representation log of the same years: about eight meetings a month with partners, with the
members who went, the themes and plan priorities raised and the actions agreed. Rows go in with
SQLAlchemy Core executemany (ids given by hand, no services, no audit rows); the generation
time is printed and not measured.

It measures:

1. SQL statements per page with the last few months only (`SMALL_MONTHS` either side of today)
   and again with all the years: the area's events page (as a visitor and as the organiser),
   an event page, the iCalendar feed `/areas/<slug>/events.ics` and "Where we represented
   you". The counts must be the same; a count that grows is a problem and the run exits 1.
2. Throughput and latency of the same pages against the bare-Flask baseline, in run.py's table.
3. `--registrants` members (500) registering at once for one event with `--places` places
   (100), over HTTP through gunicorn: each signed in (in process, as the survey part does)
   and has fetched the form; then every POST is released together (one thread and one
   connection each, lined up by a barrier). Printed: the time until the last answer,
   registrations per second, POST p50/p95, the same burst of POSTs against the baseline's bare
   form, and the check: exactly `--places` placed, the rest waiting, in order (every place went
   before anyone was told to wait, and the waiting list runs 1, 2, 3, … with no two alike),
   one registration each, every one told by email, no 5xx.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import survey as survey_bench
from loadgen import percentile

#: months either side of today generated first, for the small statement counts
SMALL_MONTHS = 2
#: events a year, and meetings a month, in the generated data
EVENTS_PER_YEAR = 600
MEETINGS_PER_MONTH = 8
#: how far ahead the generated events run
AHEAD_DAYS = 91
#: the feed is loaded in one round this long (a request takes most of a second)
FEED_SECONDS = 6.0
MEASURED_TITLE = "Benchmark: the measured coffee morning"
BURST_TITLE = "Benchmark: the workshop everyone wants"
REGISTRANT_PREFIX = "registrant"

KINDS = (
    "Coffee morning",
    "Drop-in",
    "Workshop: EHC plans",
    "Online session: preparing for adulthood",
    "Stay and play",
    "Transport clinic",
    "Short breaks information day",
    "Dads' group",
)
PLACES = ("Northshire Library", "Millbrook Community Centre", "St Anne's Church Hall", "Online")
MEETINGS = (
    ("SEND Partnership Board", "The council"),
    ("Joint Commissioning Group", "NHS Integrated Care Board"),
    ("Preparing for Adulthood Board", "The council"),
    ("School Transport Review", "The council"),
    ("Neurodevelopmental Pathway Group", "NHS Integrated Care Board"),
    ("Schools Forum", "Northshire Schools Trust"),
)
ACTIONS = (
    "Publish the waiting times for assessments every month",
    "Invite the forum to the next transport review",
    "Share the draft short breaks statement with families",
    "Write to schools about part-time timetables",
    "Add a parent carer to the panel",
)


@dataclass
class Events:
    area_slug: str
    area_id: int = 0
    events: int = 0
    upcoming: int = 0
    registrations: int = 0
    meetings: int = 0
    actions: int = 0
    measured_event_id: int = 0
    generation_s: float = 0.0
    #: "small"/"large" -> page key -> the counted figures (see run.count_queries)
    query_counts: dict[str, dict] = field(default_factory=dict)
    specs: list = field(default_factory=list)


def specs_for(e: Events) -> dict:
    from run import PageSpec

    area = f"/areas/{e.area_slug}"
    return {
        "events": PageSpec("events page", f"{area}/events", "anonymous"),
        "events (organiser)": PageSpec(
            "events (organiser)", f"{area}/events", "organiser", in_quick=False
        ),
        "event": PageSpec("an event page", f"{area}/events/{e.measured_event_id}", "anonymous"),
        # about a second a request (the icalendar package writes ~500 entries): one long round
        "feed": PageSpec(
            "events.ics feed", f"{area}/events.ics", "anonymous", slow_seconds=FEED_SECONDS
        ),
        "representation": PageSpec(
            "where we represented you", f"{area}/representation", "anonymous"
        ),
    }


# --- making the data -----------------------------------------------------------------------


def _insert(model_or_table, rows: list[dict]) -> list[int]:
    """Rows in chunks; ids given by hand for a model (returned), none for a plain table."""
    from sqlalchemy import insert
    from survey import _with_ids

    from forum.extensions import db

    ids: list[int] = []
    for start in range(0, len(rows), survey_bench.CHUNK):
        chunk = rows[start : start + survey_bench.CHUNK]
        if hasattr(model_or_table, "__tablename__"):
            ids += _with_ids(model_or_table, chunk)
        db.session.execute(insert(model_or_table), chunk)
    return ids


def _context(area_slug: str) -> dict:
    """What the generated rows point at: the area, its members, partners, themes, priorities."""
    from sqlalchemy import select

    from forum.areas.models import Area, Membership, MembershipStatus, PartnerOrganisation, Role
    from forum.extensions import db
    from forum.outcomes.themes.models import Theme
    from forum.plans.models import Priority

    area = db.session.scalar(select(Area).where(Area.slug == area_slug))
    members = list(
        db.session.scalars(
            select(Membership.user_id)
            .where(
                Membership.area_id == area.id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role == Role.MEMBER,
            )
            .order_by(Membership.id)
        )
    )
    organiser = db.session.scalar(
        select(Membership.user_id).where(
            Membership.area_id == area.id, Membership.role == Role.ORGANISER
        )
    )
    return {
        "area": area,
        "members": members,
        "organiser": organiser,
        "partners": list(
            db.session.scalars(
                select(PartnerOrganisation.id).where(PartnerOrganisation.area_id == area.id)
            )
        ),
        "themes": list(db.session.scalars(select(Theme.id).where(Theme.area_id == area.id))),
        "priorities": list(
            db.session.scalars(select(Priority.id).where(Priority.area_id == area.id))
        ),
    }


def _event_days(years: float, now: datetime, rng: random.Random) -> list[datetime]:
    """Start times over `years` ending `AHEAD_DAYS` ahead: about EVENTS_PER_YEAR a year, on
    weekdays and some Saturdays, between 9:30 and 19:00 London (written in UTC)."""
    first = now + timedelta(days=AHEAD_DAYS) - timedelta(days=round(365.25 * years))
    count = round(EVENTS_PER_YEAR * years)
    span = (now + timedelta(days=AHEAD_DAYS) - first).total_seconds()
    starts = []
    for i in range(count):
        day = first + timedelta(seconds=span * (i + rng.random()) / count)
        hour = rng.choice((9, 10, 10, 13, 18))
        starts.append(day.replace(hour=hour, minute=30, second=0, microsecond=0))
    return sorted(starts)


def _within_small(when: datetime, now: datetime) -> bool:
    return abs((when - now).days) <= 30 * SMALL_MONTHS


def generate(app, e: Events, years: float, *, small: bool, seed: int = 15) -> float:
    """The events (with registrations) and meetings: with `small` only those within
    `SMALL_MONTHS` of today, else the rest. Commits."""
    from forum.consultations.models import Audience
    from forum.events.models import Event, EventStatus, Registration, RegistrationStatus
    from forum.extensions import db
    from forum.models import utcnow
    from forum.representation.models import (
        Action,
        Meeting,
        Representative,
        meeting_priorities,
        meeting_themes,
    )

    rng = random.Random(seed)  # the same sequence both times: the halves never overlap
    started = time.perf_counter()
    with app.app_context():
        ctx = _context(e.area_slug)
        e.area_id = area_id = ctx["area"].id
        now = utcnow()
        members = ctx["members"]

        event_rows, registrations_for = [], []
        for n, starts_at in enumerate(_event_days(years, now, rng)):
            wanted = _within_small(starts_at, now) == small
            kind = rng.choice(KINDS)
            online = kind.startswith("Online") or rng.random() < 0.1
            in_person = not kind.startswith("Online")
            needs = rng.random() < 0.7
            capacity = rng.choice((10, 15, 20, 30, 40, 60)) if needs else None
            upcoming = starts_at > now
            roll = rng.random()
            status = (
                EventStatus.DRAFT
                if upcoming and roll < 0.05
                else EventStatus.CANCELLED
                if roll > 0.95
                else EventStatus.PUBLISHED
            )
            row = {
                "area_id": area_id,
                "title": f"{kind} ({n + 1})",
                "description": rng.choice(survey_bench.SENTENCES),
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=rng.choice((1, 2, 2, 3))),
                "is_in_person": in_person,
                "address": "" if not in_person else f"{rng.choice(PLACES[:3])}\nNorthshire",
                "has_step_free_access": rng.random() < 0.7,
                "has_parking": rng.random() < 0.5,
                "has_quiet_room": rng.random() < 0.3,
                "has_hearing_loop": rng.random() < 0.3,
                "is_online": online,
                "online_link": "https://meet.example/northshire" if online else "",
                "needs_registration": needs,
                "capacity": capacity,
                "places_taken": 0,
                "audience": Audience.MEMBERS if rng.random() < 0.2 else Audience.PUBLIC,
                "status": status,
                "is_registration_open": True,
                "cancel_reason": "The venue is closed." if status is EventStatus.CANCELLED else "",
                "published_at": None if status is EventStatus.DRAFT else starts_at - timedelta(30),
                "cancelled_at": starts_at - timedelta(2)
                if status is EventStatus.CANCELLED
                else None,
                "needs_erased_at": starts_at + timedelta(31)
                if starts_at + timedelta(31) < now
                else None,
                "created_at": starts_at - timedelta(days=40),
                "created_by_id": ctx["organiser"],
                "updated_at": starts_at - timedelta(days=30),
            }
            people = 0
            if needs and status is EventStatus.PUBLISHED and members and rng.random() < 1 / 3:
                people = min(len(members), rng.randint(capacity // 2, capacity + 8))
            if wanted:
                event_rows.append(row)
                registrations_for.append(people)
        event_ids = _insert(Event, event_rows)

        registration_rows = []
        measured = None
        for event_id, row, people in zip(event_ids, event_rows, registrations_for, strict=True):
            if not people:
                continue
            if small and measured is None and row["starts_at"] > now:
                measured = event_id
            taken = 0
            happened = row["ends_at"] <= now
            erased = row["needs_erased_at"] is not None
            for i, user_id in enumerate(rng.sample(members, people)):
                when = row["published_at"] + timedelta(hours=i + 1)
                placed = taken + 1 <= row["capacity"]
                taken += placed
                registration_rows.append(
                    {
                        "event_id": event_id,
                        "area_id": area_id,
                        "user_id": user_id,
                        "adults": 1,
                        "access_choices": "" if erased or i % 4 else "wheelchair,quiet_space",
                        "access_needs": "" if erased or i % 5 else "Seats near the door, please.",
                        "status": RegistrationStatus.CONFIRMED
                        if placed
                        else RegistrationStatus.WAITING,
                        "places": 1 if placed else 0,
                        "attended": (rng.random() < 0.85) if placed and happened else None,
                        "created_at": when,
                        "confirmed_at": when if placed else None,
                        "waiting_since": None if placed else when,
                    }
                )
            row["places_taken"] = taken
        _insert(Registration, registration_rows)
        # places taken as the registrations say (inserted as 0: the check allows no more)
        for event_id, row in zip(event_ids, event_rows, strict=True):
            if row["places_taken"]:
                db.session.execute(
                    Event.__table__.update()
                    .where(Event.id == event_id)
                    .values(places_taken=row["places_taken"])
                )
        if measured is not None:
            db.session.execute(
                Event.__table__.update()
                .where(Event.id == measured)
                .values(title=MEASURED_TITLE, audience=Audience.PUBLIC)
            )
            e.measured_event_id = measured

        # The representation log over the same years, up to last week.
        meeting_rows, details = [], []
        first = (now + timedelta(days=AHEAD_DAYS) - timedelta(days=round(365.25 * years))).date()
        last = (now - timedelta(days=7)).date()
        day_count = (last - first).days
        total = round(MEETINGS_PER_MONTH * 12 * years * day_count / (365.25 * years))
        for n in range(total):
            held = first + timedelta(days=int(day_count * (n + rng.random()) / total))
            name, organisation = rng.choice(MEETINGS)
            wanted = (_within_small(datetime.combine(held, datetime.min.time(), UTC), now)) == small
            partner = (
                rng.choice(ctx["partners"]) if ctx["partners"] and rng.random() < 0.7 else None
            )
            row = {
                "area_id": area_id,
                "name": name,
                "partner_id": partner,
                "partner_name": "" if partner else organisation,
                "held_on": held,
                "summary": " ".join(rng.sample(survey_bench.SENTENCES, 2)),
                "is_public": rng.random() < 0.85,
                "is_raised_public": rng.random() < 0.75,
                "is_agreed_public": rng.random() < 0.75,
                "created_by_id": ctx["organiser"],
            }
            detail = {
                "people": rng.sample(members, min(len(members), rng.randint(1, 3))),
                "typed": rng.random() < 0.2,
                "themes": rng.sample(ctx["themes"], min(len(ctx["themes"]), rng.randint(0, 2))),
                "priorities": rng.sample(
                    ctx["priorities"], min(len(ctx["priorities"]), rng.randint(0, 2))
                ),
                "actions": rng.randint(0, 4),
                "done": rng.random(),
            }
            if wanted:
                meeting_rows.append(row)
                details.append(detail)
        meeting_ids = _insert(Meeting, meeting_rows)
        people_rows, theme_rows, priority_rows, action_rows = [], [], [], []
        for meeting_id, row, detail in zip(meeting_ids, meeting_rows, details, strict=True):
            for user_id in detail["people"]:
                people_rows.append(
                    {"meeting_id": meeting_id, "area_id": area_id, "user_id": user_id}
                )
            if detail["typed"]:
                people_rows.append(
                    {"meeting_id": meeting_id, "area_id": area_id, "name": "A. Parent"}
                )
            theme_rows += [{"meeting_id": meeting_id, "theme_id": t} for t in detail["themes"]]
            priority_rows += [
                {"meeting_id": meeting_id, "priority_id": p} for p in detail["priorities"]
            ]
            for position in range(1, detail["actions"] + 1):
                action_rows.append(
                    {
                        "meeting_id": meeting_id,
                        "area_id": area_id,
                        "text": ACTIONS[(meeting_id + position) % len(ACTIONS)],
                        "owner": "Council SEND team" if position % 2 else "The forum",
                        "due_on": row["held_on"] + timedelta(days=60),
                        "is_done": row["held_on"] < date.today() - timedelta(days=90)
                        and detail["done"] < 0.7,
                        "position": position,
                    }
                )
        _insert(Representative, people_rows)
        _insert(meeting_themes, theme_rows)
        _insert(meeting_priorities, priority_rows)
        _insert(Action, action_rows)
        db.session.commit()
        survey_bench._move_sequences(Event, Registration, Meeting, Representative, Action)

        e.events += len(event_rows)
        e.upcoming += sum(1 for row in event_rows if row["ends_at"] > now)
        e.registrations += len(registration_rows)
        e.meetings += len(meeting_rows)
        e.actions += len(action_rows)
        db.session.remove()
    return time.perf_counter() - started


def _analyse(app) -> None:
    """Planner statistics after the bulk load (PostgreSQL), as autovacuum soon would."""
    from sqlalchemy import text

    from forum.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(
                text(
                    "ANALYZE events, event_registrations, representation_meetings, "
                    "representation_people, representation_actions"
                )
            )
            db.session.commit()
        db.session.remove()


def _counted(app, clients, count_queries, e: Events) -> dict[str, dict]:
    specs = specs_for(e)
    figures = count_queries(app, clients, list(specs.values()))
    return {key: figures[f"{spec.who} {spec.path}"] for key, spec in specs.items()}


def prepare(app, args, clients: dict, count_queries, step) -> Events:
    """The events and the log: statements counted with the last months, then with all years."""
    e = Events(area_slug=args.survey_area)
    e.generation_s += generate(app, e, args.event_years, small=True)
    if not e.measured_event_id:
        raise RuntimeError("no upcoming event with registrations was generated to measure")
    _analyse(app)
    step(
        f"events: {e.events:,} events ({e.upcoming} not over), {e.registrations:,} "
        f"registrations and {e.meetings} meetings within {SMALL_MONTHS} months of today"
    )
    small = _counted(app, clients, count_queries, e)
    seconds = generate(app, e, args.event_years, small=False)
    e.generation_s += seconds
    _analyse(app)
    step(
        f"events: grown to {e.events:,} events over {args.event_years:g} year(s) ({e.upcoming} "
        f"not over), {e.registrations:,} registrations, {e.meetings:,} meetings and "
        f"{e.actions:,} actions in {seconds:.1f} s"
    )
    large = _counted(app, clients, count_queries, e)
    e.query_counts = {"small": small, "large": large}
    e.specs = list(specs_for(e).values())
    return e


def load_specs(e: Events | None, args) -> list:
    if e is None:
        return []
    return [spec for spec in e.specs if spec.in_quick or not args.quick]


def sql_counts(e: Events | None) -> dict[str, dict]:
    if e is None:
        return {}
    return {f"{row['who']} {row['path']}": row for row in e.query_counts["large"].values()}


# --- many registering at once ----------------------------------------------------------------


def create_burst_event(app, area_slug: str, places: int) -> int:
    """A published public event with `places` places, made through the real services."""
    from run import organiser_account
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.areas.models import Area
    from forum.events import services
    from forum.extensions import db
    from forum.models import utcnow

    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == area_slug))
        organiser = db.session.scalar(select(User).where(User.email == organiser_account().email))
        starts = (utcnow() + timedelta(days=9)).replace(hour=10, minute=0, second=0, microsecond=0)
        event = services.create_event(
            area,
            title=BURST_TITLE,
            description="Everything about annual reviews, with time for questions.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            address="Northshire Library\nNorthshire",
            has_step_free_access=True,
            capacity=places,
            actor=organiser,
        )
        services.publish(event, actor=organiser)
        db.session.commit()
        event_id = event.id
        db.session.remove()
    return event_id


class Burst:
    """Every POST released at once, one thread and one connection each."""

    def __init__(self, port: int, path: str, done: str, forms: list[tuple[str | None, str]]):
        self.port, self.path, self.done, self.forms = port, path, done, forms
        self.statuses: dict[str, int] = {}
        self.post_ms: list[float] = []
        self.ok = 0
        self.first_error = ""
        self.lock = threading.Lock()
        self.began = 0.0
        self.seconds = 0.0

    def _mark_start(self) -> None:
        self.began = time.perf_counter()

    def _one(self, cookie: str | None, body: str, ready: threading.Barrier) -> None:
        ready.wait()
        started = time.perf_counter()
        try:
            reply = survey_bench._request(
                self.port, "POST", self.path, cookie=cookie, body=body, timeout=300
            )
            status: str | int = reply.status
            good = reply.status == 303 and self.done in reply.location
        except (OSError, http.client.HTTPException) as exc:
            status, good = type(exc).__name__, False
            with self.lock:
                self.first_error = self.first_error or f"{status}: {exc}"
        finished = time.perf_counter()
        with self.lock:
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
            if good:
                self.ok += 1
                self.post_ms.append((finished - started) * 1000)
            elif not self.first_error:
                self.first_error = f"HTTP {status}"

    def run(self) -> None:
        ready = threading.Barrier(len(self.forms), action=self._mark_start)
        threads = [
            threading.Thread(target=self._one, args=(cookie, body, ready))
            for cookie, body in self.forms
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.seconds = time.perf_counter() - self.began

    def summary(self) -> dict:
        post = sorted(self.post_ms)
        return {
            "posts": len(self.forms),
            "accepted": self.ok,
            "seconds": self.seconds,
            "per_s": self.ok / self.seconds if self.seconds else 0.0,
            "post_p50_ms": percentile(post, 50),
            "post_p95_ms": percentile(post, 95),
            "statuses": self.statuses,
            "first_error": self.first_error,
        }


def _forms(port: int, path: str, cookies: list[str | None], fields: dict) -> list[tuple]:
    """GET the form for each person (16 at a time, not timed): (cookie, body to POST)."""

    def one(cookie):
        reply = survey_bench._request(port, "GET", path, cookie=cookie)
        if reply.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {reply.status}")
        return reply.cookie, urlencode({**survey_bench._hidden(reply.body), **fields})

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(one, cookies))


def check_burst(app, event_id: int, emails: list[str], places: int) -> dict:
    """Exactly `places` placed and the rest waiting, in order; one registration each; every
    one told."""
    from sqlalchemy import func, select

    from forum.accounts.models import User
    from forum.events.models import Event, Registration, RegistrationStatus
    from forum.events.queries import waiting_position
    from forum.extensions import db
    from forum.notifications.models import OutboxMessage

    with app.app_context():
        event = db.session.get(Event, event_id)
        rows = db.session.scalars(
            select(Registration)
            .join(User, User.id == Registration.user_id)
            .where(Registration.event_id == event_id, User.email.in_(emails))
        ).all()
        placed = [r for r in rows if r.status is RegistrationStatus.CONFIRMED]
        waiting = sorted(
            (r for r in rows if r.status is RegistrationStatus.WAITING),
            key=lambda r: (r.waiting_since, r.id),
        )
        positions = [waiting_position(r) for r in waiting]
        told = dict(
            db.session.execute(
                select(OutboxMessage.kind, func.count())
                .where(
                    OutboxMessage.kind.in_(["event_registered", "event_waiting"]),
                    # only the burst's people: the demo's own registrations were told too
                    OutboxMessage.to_address.in_(emails),
                )
                .group_by(OutboxMessage.kind)
            ).all()
        )
        result = {
            "registrations": len(rows),
            "people": len({r.user_id for r in rows}),
            "placed": len(placed),
            "waiting": len(waiting),
            "places_taken": event.places_taken,
            "capacity": event.capacity,
            "in_order": bool(placed and waiting)
            and max(r.confirmed_at for r in placed) <= min(r.waiting_since for r in waiting)
            and positions == list(range(1, len(waiting) + 1)),
            "told_placed": told.get("event_registered", 0),
            "told_waiting": told.get("event_waiting", 0),
        }
        db.session.remove()
    result["ok"] = (
        result["registrations"] == result["people"] == len(emails)
        and result["placed"] == result["places_taken"] == places
        and result["waiting"] == len(emails) - places
        and result["in_order"]
        and result["told_placed"] == places
        and result["told_waiting"] == len(emails) - places
    )
    return result


def measure_burst(app, args, app_port: int, base_port: int, step) -> dict:
    """`args.registrants` members registering at once for `args.places` places, then the
    baseline's bare form POSTed as many times at once."""
    event_id = create_burst_event(app, args.survey_area, args.places)
    emails = survey_bench.add_members(app, args.survey_area, args.registrants, REGISTRANT_PREFIX)
    cookies = survey_bench.session_cookies(app, emails)
    step(f"{len(cookies)} members signed in (in process) to register at once")
    path = f"/areas/{args.survey_area}/events/{event_id}/register"
    answers = {"adults": "1", "access_needs": "", "dietary_needs": ""}
    app_forms = _forms(app_port, path, [cookies[e] for e in emails], answers)
    page_size = len(survey_bench._request(app_port, "GET", path, cookie=cookies[emails[0]]).body)
    base_path = f"/form?size={page_size}"
    base_forms = _forms(base_port, base_path, [None] * len(emails), answers)
    step(
        f"registering: {len(emails)} POSTs at once for {args.places} places "
        "(after the same burst to the baseline's form)"
    )
    base = Burst(base_port, base_path, "/form/done", base_forms)
    base.run()
    real = Burst(app_port, path, f"/events/{event_id}", app_forms)
    real.run()
    check = check_burst(app, event_id, emails, args.places)
    app_figures, base_figures = real.summary(), base.summary()
    return {
        "event_id": event_id,
        "places": args.places,
        "app": app_figures,
        "baseline": base_figures,
        "ratio": app_figures["per_s"] / base_figures["per_s"] if base_figures["per_s"] else 0.0,
        "check": check,
    }


# --- printing ------------------------------------------------------------------------------


def print_report(e: Events, burst: dict | None) -> list[str]:
    from survey import compared_counts

    problems: list[str] = []
    print()
    print(
        f"Events: {e.events:,} events ({e.upcoming} not over), {e.registrations:,} "
        f"registrations, {e.meetings:,} representation meetings with {e.actions:,} actions, "
        f"generated in {e.generation_s:.1f} s (not measured); pages are in the table above"
    )
    print(f"SQL statements per GET within {SMALL_MONTHS} months of today and with every year")
    small, large = e.query_counts["small"], e.query_counts["large"]
    for key, row, before, same in compared_counts(small, large, problems, "events page"):
        print(
            f"  {key:<20} {row['who']:<10} {row['path']:<40} "
            f"months: {before:>3}   years: {row['queries']:>3}   {same}   "
            f"bytes {small[key]['bytes']:>9,} → {row['bytes']:>9,}"
        )
    for problem in problems:
        name = problem.split(": ", 1)[1]
        extra = [s for s in large[name]["statements"] if s not in small[name]["statements"]]
        for statement in extra[:3]:
            print(f"    {statement[:200]}")
    if burst is None:
        return problems
    a, b, c = burst["app"], burst["baseline"], burst["check"]
    print()
    print(
        f"Registering at once: {a['posts']} members, one event with {burst['places']} places, "
        "every POST released together (one connection each)"
    )
    print(f"{'':<10} {'accepted':>8} {'seconds':>8} {'per s':>8} {'POST p50':>9} {'p95':>8}")
    for name, figures in (("coproduce", a), ("baseline", b)):
        print(
            f"{name:<10} {figures['accepted']:>8} {figures['seconds']:>8.2f} "
            f"{figures['per_s']:>8.1f} {figures['post_p50_ms']:>7.0f}ms "
            f"{figures['post_p95_ms']:>6.0f}ms"
        )
    print(f"registrations per second vs the baseline's form: {burst['ratio']:.2f}×")
    print(
        f"check: {c['placed']} placed (places taken {c['places_taken']} of {c['capacity']}), "
        f"{c['waiting']} waiting, in order: {'yes' if c['in_order'] else 'NO'}; "
        f"{c['registrations']} registrations for {c['people']} people; emails: "
        f"{c['told_placed']} places, {c['told_waiting']} waiting list; "
        f"statuses {a['statuses']}"
    )
    if not c["ok"]:
        problems.append(f"registrations at once: the check failed: {c}")
    if a["accepted"] != a["posts"]:
        problems.append(
            f"registrations at once: {a['posts'] - a['accepted']} POSTs not answered 303 "
            f"({a['statuses']}; {a['first_error']})"
        )
    return problems


def as_json(e: Events, burst: dict | None) -> dict:
    return {
        "events": e.events,
        "upcoming": e.upcoming,
        "registrations": e.registrations,
        "meetings": e.meetings,
        "actions": e.actions,
        "generation_s": round(e.generation_s, 2),
        "query_counts": {
            size: {key: row["queries"] for key, row in counts.items()}
            for size, counts in e.query_counts.items()
        },
        "burst": burst,
    }
