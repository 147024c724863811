"""Scheduled jobs: what runs when, and the claim that makes each due time run once.

`flask worker` (`forum/jobs.py`) delivers the outbox and then runs every job that is due, over
and over; any number of workers may run, on any number of machines. A job is due once per
*due time* of its schedule, and each due time has a key ("2026-12-05" for a daily job,
"2026-12-05T20:35Z" for one every few minutes). Before running, a worker claims the due time
by inserting a `JobRun` row, unique on (job name, due key), and commits it; a worker whose
insert breaks that constraint (or that finds the row already there) leaves the job alone. So
each due time runs once however many workers there are, and nothing depends on a process's
memory.

How an area adds a job: in the marked block at the end of its package's `__init__.py`,

    from forum import hooks
    from forum.scheduling import Daily, Every, Job, Weekly

    hooks.scheduled_jobs.register(
        Job(
            name="mailings.daily-digests",       # unique; lower case, dots and dashes
            schedule=Daily(hour=7),              # 7:00am in London, whatever the season
            run=send_daily_digests,              # run(now) -> int: how much it did
            description="daily digest emails",   # a few words for `flask jobs list`
        ),
        order=60,                                # the registering area's layer, as for hooks
    )

Schedules: `Every(minutes=5)` (due times on the UTC clock: every 5 minutes past the hour,
unaffected by summer time), `Daily(hour=3, minute=0)` and `Weekly(weekday=0, hour=8)`
(Monday is 0) in Europe/London time. A daily time that does not exist on the day the clocks go
forward runs an hour later by the clock that day; one that happens twice when they go back
runs at the first. Either way it runs once that day.

What a job's `run(now)` must do: take `now` (an aware UTC datetime, the time of the tick) and
return how many things it did (None counts as 0). It works through `db.session`; it may commit
as it goes (a long job should, in batches), and whatever it leaves uncommitted is committed with
the record that it finished. If it raises, its uncommitted work is rolled back, the error's
type (never its message, which may quote data) is recorded and logged, and the same due time is
tried again after `RETRY_AFTER`, up to `MAX_ATTEMPTS` times. A worker that dies mid-run leaves
its row unfinished; once `Job.timeout` has passed another worker takes the run over, so a job
that can take long needs a longer timeout. Because of those two, a job must be safe to run
again over work it half did: mark what it has done (a `sent_at`, a state) in the same commit
as doing it.

Catching up: a worker only ever looks at a job's latest due time. After a day down, a daily
job runs once, at the next tick, not once per day missed; a job first deployed at 2pm with a
3am time runs at 2pm that day. A job whose previous run is still going is not started again
for a newer due time until that run finishes or times out.
"""

from __future__ import annotations

import calendar
import logging
import os
import re
import socket
import time as clock
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol, cast

from sqlalchemy import (
    CursorResult,
    Index,
    String,
    UniqueConstraint,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from forum import hooks
from forum.extensions import db
from forum.models import UTCDateTime, utcnow
from forum.web.time import LONDON

log = logging.getLogger("coproduce.jobs")

#: a failed run of a due time is tried again this long after it failed …
RETRY_AFTER = timedelta(minutes=10)
#: … until it has been tried this many times; then it waits for the next due time
MAX_ATTEMPTS = 3
#: records of runs are deleted after this long (longer than the longest schedule, a week, so
#: a due time's record is never deleted while it is still the latest)
KEEP_RUNS = timedelta(days=30)

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")


# --- schedules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One due time of a schedule: its key (unique per job) and the moment, in UTC."""

    key: str
    at: datetime


class Schedule(Protocol):
    def latest(self, now: datetime) -> Due:
        """The most recent due time at or before `now`."""
        ...

    def following(self, due: Due) -> Due:
        """The due time after `due`."""
        ...

    def describe(self) -> str:
        """Plain words: "every 5 minutes", "daily at 3:00am (London time)"."""
        ...


@dataclass(frozen=True)
class Every:
    """Every `minutes` minutes, on the UTC clock (every 60: on the hour, every 5: at :00, :05 …)."""

    minutes: int

    def __post_init__(self):
        if not 1 <= self.minutes <= 24 * 60:
            raise ValueError("Every(minutes=…) takes 1 to 1440 minutes")

    def _due(self, slot: int) -> Due:
        at = datetime.fromtimestamp(slot * self.minutes * 60, UTC)
        return Due(at.strftime("%Y-%m-%dT%H:%MZ"), at)

    def latest(self, now: datetime) -> Due:
        return self._due(int(now.timestamp()) // (self.minutes * 60))

    def following(self, due: Due) -> Due:
        return self._due(int(due.at.timestamp()) // (self.minutes * 60) + 1)

    def describe(self) -> str:
        if self.minutes % 60 == 0:
            hours = self.minutes // 60
            return "every hour" if hours == 1 else f"every {hours} hours"
        return "every minute" if self.minutes == 1 else f"every {self.minutes} minutes"


def _clock(hour: int, minute: int) -> str:
    return time(hour, minute).strftime("%-I:%M%p").replace("AM", "am").replace("PM", "pm")


def _london_at(day: date, hour: int, minute: int) -> datetime:
    """`hour:minute` on `day` in London, in UTC. A time the clocks skip is read with the
    offset before the change (1:30am on the spring day is 2:30am BST); one that happens twice
    is the first (fold=0)."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


@dataclass(frozen=True)
class Daily:
    """Once a day at `hour:minute` in Europe/London. The key is the London date."""

    hour: int
    minute: int = 0

    def __post_init__(self):
        time(self.hour, self.minute)  # ValueError when out of range

    def _due(self, day: date) -> Due:
        return Due(day.isoformat(), _london_at(day, self.hour, self.minute))

    def latest(self, now: datetime) -> Due:
        day = now.astimezone(LONDON).date()
        due = self._due(day)
        return due if due.at <= now else self._due(day - timedelta(days=1))

    def following(self, due: Due) -> Due:
        return self._due(date.fromisoformat(due.key) + timedelta(days=1))

    def describe(self) -> str:
        return f"daily at {_clock(self.hour, self.minute)} (London time)"


@dataclass(frozen=True)
class Weekly:
    """Once a week on `weekday` (Monday 0 … Sunday 6) at `hour:minute` in Europe/London. The
    key is the London date of that day."""

    weekday: int
    hour: int
    minute: int = 0

    def __post_init__(self):
        if not 0 <= self.weekday <= 6:
            raise ValueError("Weekly(weekday=…) takes 0 (Monday) to 6 (Sunday)")
        time(self.hour, self.minute)

    def _due(self, day: date) -> Due:
        return Due(day.isoformat(), _london_at(day, self.hour, self.minute))

    def latest(self, now: datetime) -> Due:
        today = now.astimezone(LONDON).date()
        day = today - timedelta(days=(today.weekday() - self.weekday) % 7)
        due = self._due(day)
        return due if due.at <= now else self._due(day - timedelta(days=7))

    def following(self, due: Due) -> Due:
        return self._due(date.fromisoformat(due.key) + timedelta(days=7))

    def describe(self) -> str:
        day = calendar.day_name[self.weekday]
        return f"every {day} at {_clock(self.hour, self.minute)} (London time)"


# --- jobs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """Something the worker runs on a schedule (registered on `hooks.scheduled_jobs`)."""

    #: unique among jobs, kept in `job_runs.name`: lower case letters, digits, dots, dashes
    name: str
    schedule: Schedule
    #: `run(now) -> int | None`: does the work for the due time, returns how much it did
    run: Callable[[datetime], int | None] = field(repr=False)
    #: a few words for `flask jobs list`
    description: str = ""
    #: a run started this long ago and still not finished is taken to have crashed, and
    #: another worker may take it over
    timeout: timedelta = timedelta(hours=1)

    def __post_init__(self):
        if not _NAME.match(self.name):
            raise ValueError(f"job name {self.name!r}: lower case, digits, '.', '-', '_'")


def registered_jobs() -> list[Job]:
    """Every job on `hooks.scheduled_jobs`, in order; refuses anything but a `Job`, and two
    jobs of one name (they would share their claims)."""
    found = [provider.target for provider in hooks.scheduled_jobs]
    wrong = [target for target in found if not isinstance(target, Job)]
    if wrong:
        raise TypeError(f"hooks.scheduled_jobs takes Job(...), not {wrong[0]!r}")
    names = [job.name for job in found]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"two scheduled jobs are called {', '.join(twice)}")
    return found


def get_job(name: str) -> Job | None:
    return next((job for job in registered_jobs() if job.name == name), None)


class JobRun(db.Model):  # type: ignore[name-defined]  # a base from an attribute, python/mypy#8603
    """One due time of one job, claimed by a worker. The unique (name, due_key) is the claim:
    only one worker's insert succeeds. A run unfinished after its job's timeout, or failed and
    not yet tried `MAX_ATTEMPTS` times, may be taken over by moving `attempts` on, compared
    and set in one UPDATE. Deleted after `KEEP_RUNS`."""

    __tablename__ = "job_runs"
    __table_args__ = (
        UniqueConstraint("name", "due_key", name="uq_job_runs_name_due_key"),
        Index("ix_job_runs_name_due_at", "name", "due_at"),
        Index("ix_job_runs_due_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the job's name (`Job.name`)
    name: Mapped[str] = mapped_column(String(60))
    #: which due time: "2026-12-05" (daily, weekly), "2026-12-05T20:35Z" (every few minutes),
    #: "manual:2026-12-05T20:41Z" (`flask jobs run`)
    due_key: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: when the current attempt started (moved on when a run is taken over)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the worker of the current attempt: "host:pid:random"
    worker: Mapped[str] = mapped_column(String(64))
    #: how many times the due time was started; every take-over adds one
    attempts: Mapped[int] = mapped_column(default=1)
    #: what `run` returned: how much it did
    result: Mapped[int | None] = mapped_column()
    #: the type of the exception of a failed attempt (not its message, which may quote data)
    error: Mapped[str | None] = mapped_column(String(200))

    @property
    def state(self) -> str:
        if self.finished_at is None:
            return "running"
        return "failed" if self.error else "done"


def worker_name() -> str:
    """This process, as written on what it claims: host, process id and a random part."""
    host = socket.gethostname()[:40]
    return f"{host}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _rowcount(result) -> int:
    return cast(CursorResult, result).rowcount or 0


def _may_take_over(job: Job, now: datetime):
    """The rows another worker may take over: crashed (started, unfinished, past the
    timeout) or failed and due a retry."""
    return or_(
        and_(JobRun.finished_at.is_(None), JobRun.started_at < now - job.timeout),
        and_(
            JobRun.error.is_not(None),
            JobRun.finished_at < now - RETRY_AFTER,
            JobRun.attempts < MAX_ATTEMPTS,
        ),
    )


def _still_running_before(job: Job, due: Due, now: datetime) -> bool:
    """Whether an earlier due time of the job is still running (and not past its timeout)."""
    return (
        db.session.scalar(
            select(JobRun.id)
            .where(
                JobRun.name == job.name,
                JobRun.due_key != due.key,
                JobRun.finished_at.is_(None),
                JobRun.started_at >= now - job.timeout,
            )
            .limit(1)
        )
        is not None
    )


@dataclass(frozen=True)
class Claim:
    """A due time this worker claimed (its `JobRun` row, as values: reading the row again
    would open a transaction, which on SQLite holds the write lock, before the job starts)."""

    run_id: int
    due_key: str
    worker: str
    attempts: int


def claim(job: Job, due: Due, *, worker: str, now: datetime) -> Claim | None:
    """Claim `due` of `job` for `worker`, committed: the claim, or None when another worker
    has it (or has had it, or an earlier run of the job is still going).

    The usual case reads the row and finds it there. A due time nobody has claimed is
    inserted; two workers racing to insert it are ordered by the database (PostgreSQL makes the
    second insert wait for the first to commit and then fail the unique constraint; SQLite's
    `BEGIN IMMEDIATE` queues the whole transaction, so the second finds the row). Taking over a
    crashed or failed run is an UPDATE whose WHERE repeats the test and the `attempts` it read,
    so of two workers doing it at once only one changes the row (PostgreSQL checks the WHERE
    again on the row the first one wrote, and it no longer matches)."""
    try:
        row = db.session.scalar(
            select(JobRun)
            .where(JobRun.name == job.name, JobRun.due_key == due.key)
            .execution_options(populate_existing=True)
        )
        if row is None:
            if _still_running_before(job, due, now):
                return None
            run = JobRun(
                name=job.name,
                due_key=due.key,
                due_at=due.at,
                started_at=now,
                worker=worker,
                attempts=1,
            )
            db.session.add(run)
            try:
                db.session.flush()
                claimed = Claim(run.id, due.key, worker, 1)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                return None
            return claimed
        run_id, attempts, before = row.id, row.attempts, row.worker  # a commit expires `row`
        taken = db.session.execute(
            update(JobRun)
            .where(JobRun.id == run_id, JobRun.attempts == attempts, _may_take_over(job, now))
            .values(started_at=now, finished_at=None, worker=worker, attempts=attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if _rowcount(taken) != 1:
            return None
        db.session.commit()
        log.warning("job %s (%s): taken over from %s", job.name, due.key, before)
        return Claim(run_id, due.key, worker, attempts + 1)
    finally:
        # Never leave a transaction open (on SQLite it would hold the write lock).
        db.session.rollback()


@dataclass(frozen=True)
class Ran:
    """What one run did, for the worker to say."""

    name: str
    due_key: str
    result: int | None
    error: str | None
    attempts: int = 1


def run_claimed(job: Job, run: Claim, now: datetime) -> Ran:
    """Run `job` for its claimed `run`, and record how it went in the same commit as whatever
    the job left uncommitted. Never raises for the job's own errors."""
    run_id, attempts, worker, key = run.run_id, run.attempts, run.worker, run.due_key
    mine = and_(JobRun.id == run_id, JobRun.attempts == attempts, JobRun.worker == worker)
    began = clock.monotonic()

    def finished_at() -> datetime:
        # On the same clock as `now` (the tick's time, or a test's), plus how long it took.
        return now + timedelta(seconds=clock.monotonic() - began)

    try:
        result = int(job.run(now) or 0)
    except Exception as exc:  # the job's own failure: recorded, tried again later
        db.session.rollback()
        log.exception("job %s (%s) failed on attempt %s", job.name, key, attempts)
        error = type(exc).__name__[:200]
        db.session.execute(
            update(JobRun)
            .where(mine)
            .values(finished_at=finished_at(), error=error, result=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return Ran(job.name, key, None, error, attempts)
    finished = db.session.execute(
        update(JobRun)
        .where(mine)
        .values(finished_at=finished_at(), error=None, result=result)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if _rowcount(finished) != 1:
        log.warning(
            "job %s (%s) finished after its timeout; another worker had taken it over",
            job.name,
            key,
        )
    return Ran(job.name, key, result, None, attempts)


def run_due(
    *, worker: str | None = None, at: datetime | None = None, jobs: list[Job] | None = None
) -> list[Ran]:
    """Run every registered job (or these `jobs`) whose latest due time this worker can
    claim, one after the other; returns what ran. `at` fixes the time (tests); otherwise each
    job is looked at with the time of its turn."""
    worker = worker or worker_name()
    done = []
    for job in registered_jobs() if jobs is None else jobs:
        now = at or utcnow()
        due = job.schedule.latest(now)
        run = claim(job, due, worker=worker, now=now)
        if run is not None:
            done.append(run_claimed(job, run, now))
    return done


def run_now(job: Job, *, worker: str | None = None, at: datetime | None = None) -> Ran | None:
    """Run `job` now, outside its schedule (`flask jobs run`), still claimed: under the key
    "manual:<minute>", so the same command given twice in a minute, or on two machines, runs
    once. None when it was claimed already or an earlier run is still going."""
    now = at or utcnow()
    minute = now.replace(second=0, microsecond=0)
    due = Due("manual:" + minute.strftime("%Y-%m-%dT%H:%MZ"), minute)
    run = claim(job, due, worker=worker or worker_name(), now=now)
    return None if run is None else run_claimed(job, run, now)


def run_due_time(job: Job, *, worker: str | None = None, at: datetime | None = None) -> Ran | None:
    """Run `job` for its latest due time now, as the worker would (`flask jobs run --due`)."""
    now = at or utcnow()
    run = claim(job, job.schedule.latest(now), worker=worker or worker_name(), now=now)
    return None if run is None else run_claimed(job, run, now)


# --- what operators see -----------------------------------------------------------------------


@dataclass(frozen=True)
class JobStatus:
    job: Job
    #: the latest run of the job by due time (manual runs included), or None
    last: JobRun | None
    #: when it is next due; `now` or earlier when it is due and not yet claimed
    next_at: datetime


def load_statuses(now: datetime | None = None) -> list[JobStatus]:
    """Every job with its last run and next due time, in three statements."""
    now = now or utcnow()
    jobs = registered_jobs()
    latest = (
        select(JobRun.name, func.max(JobRun.due_at).label("due_at"))
        .group_by(JobRun.name)
        .subquery()
    )
    last_runs = {
        run.name: run
        for run in db.session.scalars(
            select(JobRun)
            .join(latest, and_(JobRun.name == latest.c.name, JobRun.due_at == latest.c.due_at))
            .order_by(JobRun.id)
        )
    }
    current = [
        and_(JobRun.name == job.name, JobRun.due_key == job.schedule.latest(now).key)
        for job in jobs
    ]
    claimed = (
        {
            (name, key)
            for name, key in db.session.execute(
                select(JobRun.name, JobRun.due_key).where(or_(*current))
            )
        }
        if current
        else set()
    )
    statuses = []
    for job in jobs:
        due = job.schedule.latest(now)
        next_at = due.at if (job.name, due.key) not in claimed else job.schedule.following(due).at
        statuses.append(JobStatus(job, last_runs.get(job.name), next_at))
    return statuses


def forget_old_runs(now: datetime) -> int:
    """Delete the records of runs due more than `KEEP_RUNS` ago; the caller commits."""
    return _rowcount(
        db.session.execute(
            delete(JobRun)
            .where(JobRun.due_at < now - KEEP_RUNS)
            .execution_options(synchronize_session=False)
        )
    )
