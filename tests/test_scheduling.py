"""forum/scheduling.py: due times in London time across the clock changes, and the claim that
runs each due time once: however many workers, after a crash (taken over once its timeout
passes), after a failure (tried again, a few times), and after the worker was down (once, not
once per missed day)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from forum import hooks
from forum.extensions import db
from forum.scheduling import (
    KEEP_RUNS,
    MAX_ATTEMPTS,
    RETRY_AFTER,
    Daily,
    Due,
    Every,
    Job,
    JobRun,
    Weekly,
    forget_old_runs,
    load_statuses,
    registered_jobs,
    run_due,
    run_now,
)
from forum.web.time import LONDON
from tests.conftest import make_app


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- due times --------------------------------------------------------------------------------


def test_every_few_minutes_is_on_the_utc_clock():
    schedule = Every(minutes=5)
    due = schedule.latest(utc(2026, 12, 5, 20, 37, 12))
    assert due == Due("2026-12-05T20:35Z", utc(2026, 12, 5, 20, 35))
    assert schedule.latest(utc(2026, 12, 5, 20, 35)) == due, "a due time is due at its moment"
    assert schedule.following(due) == Due("2026-12-05T20:40Z", utc(2026, 12, 5, 20, 40))
    hourly = Every(minutes=60)
    # The night the clocks go forward: every UTC hour is still there, once.
    keys = [hourly.latest(utc(2026, 3, 29, 0, 0) + timedelta(minutes=20 * n)).key for n in range(9)]
    assert sorted(set(keys)) == ["2026-03-29T00:00Z", "2026-03-29T01:00Z", "2026-03-29T02:00Z"]


def test_daily_is_at_the_london_hour_summer_and_winter():
    schedule = Daily(hour=3)
    assert schedule.latest(utc(2026, 12, 5, 12)) == Due("2026-12-05", utc(2026, 12, 5, 3))
    assert schedule.latest(utc(2026, 7, 5, 12)) == Due("2026-07-05", utc(2026, 7, 5, 2))
    # Before today's time, the latest is yesterday's.
    assert schedule.latest(utc(2026, 12, 5, 2, 59)) == Due("2026-12-04", utc(2026, 12, 4, 3))
    assert schedule.following(Due("2026-12-04", utc(2026, 12, 4, 3))).at == utc(2026, 12, 5, 3)


@pytest.mark.parametrize(
    ("day", "hour", "minute", "due_utc"),
    [
        # 29 March 2026: the clocks go forward at 1am GMT, straight to 2am BST.
        (date(2026, 3, 28), 3, 0, utc(2026, 3, 28, 3)),
        (date(2026, 3, 29), 3, 0, utc(2026, 3, 29, 2)),
        # 1:30am does not exist that day: it runs at 2:30am BST, the same instant as 1:30 GMT.
        (date(2026, 3, 29), 1, 30, utc(2026, 3, 29, 1, 30)),
        # 25 October 2026: the clocks go back at 2am BST to 1am GMT; 1:30am happens twice and
        # the first (BST) is the one.
        (date(2026, 10, 25), 1, 30, utc(2026, 10, 25, 0, 30)),
        (date(2026, 10, 25), 3, 0, utc(2026, 10, 25, 3)),
        (date(2026, 10, 24), 3, 0, utc(2026, 10, 24, 2)),
    ],
)
def test_daily_due_times_on_the_days_the_clocks_change(day, hour, minute, due_utc):
    schedule = Daily(hour=hour, minute=minute)
    assert schedule.latest(due_utc) == Due(day.isoformat(), due_utc)
    assert (
        schedule.latest(due_utc - timedelta(seconds=1)).key == (day - timedelta(days=1)).isoformat()
    )


@pytest.mark.parametrize("hour, minute", [(0, 0), (1, 0), (1, 30), (2, 0), (3, 0), (23, 30)])
@pytest.mark.parametrize("start", [utc(2026, 3, 26), utc(2026, 10, 22)])
def test_a_daily_job_is_due_once_each_london_day_across_a_clock_change(start, hour, minute):
    """Walking a week around each change in 5-minute ticks: one key per London day, no day
    missed or doubled, each first due at that day's time (or the hour after, in a gap)."""
    schedule = Daily(hour=hour, minute=minute)
    first_seen: dict[str, datetime] = {}
    for n in range(7 * 24 * 12):
        now = start + timedelta(minutes=5 * n)
        first_seen.setdefault(schedule.latest(now).key, now)
    days = [date.fromisoformat(key) for key in first_seen]
    assert days == [days[0] + timedelta(days=i) for i in range(len(days))]
    assert len(days) >= 7
    for key, seen in list(first_seen.items())[1:]:
        wall = seen.astimezone(LONDON)
        assert wall.date().isoformat() == key
        assert (wall.hour, wall.minute) in {(hour, minute), (hour + 1, minute)}


def test_weekly_is_on_its_day_in_london():
    monday_8am = Weekly(weekday=0, hour=8)
    saturday = utc(2026, 12, 5, 12)
    assert monday_8am.latest(saturday) == Due("2026-11-30", utc(2026, 11, 30, 8))
    assert monday_8am.following(Due("2026-11-30", utc(2026, 11, 30, 8))) == Due(
        "2026-12-07", utc(2026, 12, 7, 8)
    )
    assert monday_8am.latest(utc(2026, 12, 7, 7, 59)).key == "2026-11-30"
    assert monday_8am.latest(utc(2026, 12, 7, 8)).key == "2026-12-07"
    # Sunday 29 March 2026 at 9am is 8am UTC (BST); the Sunday before, 9am GMT.
    sunday_9am = Weekly(weekday=6, hour=9)
    assert sunday_9am.latest(utc(2026, 3, 29, 12)) == Due("2026-03-29", utc(2026, 3, 29, 8))
    assert sunday_9am.following(Due("2026-03-22", utc(2026, 3, 22, 9))).at == utc(2026, 3, 29, 8)


def test_schedules_say_when_in_plain_words():
    assert Every(minutes=5).describe() == "every 5 minutes"
    assert Every(minutes=60).describe() == "every hour"
    assert Every(minutes=180).describe() == "every 3 hours"
    assert Daily(hour=3).describe() == "daily at 3:00am (London time)"
    assert Weekly(weekday=0, hour=17, minute=30).describe() == (
        "every Monday at 5:30pm (London time)"
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: Every(minutes=0),
        lambda: Daily(hour=24),
        lambda: Daily(hour=3, minute=60),
        lambda: Weekly(weekday=7, hour=3),
        lambda: Job("Has Spaces", Daily(hour=3), lambda now: 0),
        lambda: Job("", Daily(hour=3), lambda now: 0),
    ],
)
def test_impossible_schedules_and_names_are_refused(make):
    with pytest.raises(ValueError):
        make()


def test_only_jobs_with_different_names_may_be_registered(app):
    job = Job("test.one", Every(minutes=5), lambda now: 0)
    twin = Job("test.one", Daily(hour=3), lambda now: 0)
    with hooks.scheduled_jobs.replaced(job, twin), pytest.raises(ValueError, match="test.one"):
        registered_jobs()
    with hooks.scheduled_jobs.replaced(job, lambda now: 0), pytest.raises(TypeError):
        registered_jobs()


def test_the_existing_periodic_work_is_registered(app):
    names = [job.name for job in registered_jobs()]
    assert {
        "retention.purges",
        "outbox.purge",
        "outcomes.refresh-figures",
        "surveys.seal-closed",
        "jobs.forget-old-runs",
    } <= set(names)


# --- claiming ---------------------------------------------------------------------------------


class Counter:
    """A job's `run` that counts its calls (from any thread)."""

    def __init__(self, fail: bool = False, pause: float = 0.0, did: int = 1):
        self.calls: list[datetime] = []
        self.lock = threading.Lock()
        self.fail, self.pause, self.did = fail, pause, did

    def __call__(self, now: datetime) -> int:
        with self.lock:
            self.calls.append(now)
        if self.pause:
            time.sleep(self.pause)
        if self.fail:
            raise RuntimeError("something about a person that must not be stored")
        return self.did


def runs(name: str) -> list[JobRun]:
    return list(db.session.scalars(select(JobRun).where(JobRun.name == name).order_by(JobRun.id)))


def test_a_due_time_runs_once_then_the_next_one_runs(app):
    work = Counter(did=7)
    job = Job("test.every", Every(minutes=5), work)
    now = utc(2026, 12, 5, 20, 36)
    with app.app_context():
        [ran] = run_due(worker="a", at=now, jobs=[job])
        assert (ran.name, ran.due_key, ran.result, ran.error) == (
            "test.every",
            "2026-12-05T20:35Z",
            7,
            None,
        )
        assert run_due(worker="b", at=now + timedelta(minutes=3), jobs=[job]) == []
        assert [
            r.due_key for r in run_due(worker="b", at=now + timedelta(minutes=4), jobs=[job])
        ] == ["2026-12-05T20:40Z"]
        [first, second] = runs("test.every")
        assert (first.worker, first.state, first.result, first.attempts) == ("a", "done", 7, 1)
        assert first.started_at == now and first.finished_at is not None
        assert second.worker == "b"
    assert len(work.calls) == 2


def test_a_missed_daily_run_runs_once_when_the_worker_is_back(app):
    work = Counter()
    job = Job("test.daily", Daily(hour=3), work)
    with app.app_context():
        [ran] = run_due(worker="a", at=utc(2026, 12, 1, 3, 5), jobs=[job])
        assert ran.due_key == "2026-12-01"
        # Down from the 1st to the afternoon of the 5th: the 5th's run, once, and no other.
        back = utc(2026, 12, 5, 14)
        assert [r.due_key for r in run_due(worker="a", at=back, jobs=[job])] == ["2026-12-05"]
        for minutes in (1, 60, 600):
            assert run_due(worker="b", at=back + timedelta(minutes=minutes), jobs=[job]) == []
        assert [r.due_key for r in runs("test.daily")] == ["2026-12-01", "2026-12-05"]
    assert len(work.calls) == 2


def test_a_crashed_run_is_taken_over_after_its_timeout(app):
    work = Counter()
    job = Job("test.crash", Daily(hour=3), work, timeout=timedelta(minutes=30))
    now = utc(2026, 12, 5, 3, 40)
    with app.app_context():
        db.session.add(
            JobRun(
                name=job.name,
                due_key="2026-12-05",
                due_at=utc(2026, 12, 5, 3),
                started_at=utc(2026, 12, 5, 3, 20),
                worker="gone",
            )
        )
        db.session.commit()
        # 20 minutes in: it may still be running.
        assert run_due(worker="b", at=now, jobs=[job]) == []
        # 31 minutes in: it crashed; b takes it over, once.
        later = utc(2026, 12, 5, 3, 51)
        [ran] = run_due(worker="b", at=later, jobs=[job])
        assert (ran.due_key, ran.attempts, ran.error) == ("2026-12-05", 2, None)
        assert run_due(worker="c", at=later + timedelta(hours=2), jobs=[job]) == []
        [row] = runs(job.name)
        assert (row.worker, row.attempts, row.state, row.started_at) == ("b", 2, "done", later)
    assert len(work.calls) == 1


def test_a_job_is_not_started_again_while_its_previous_run_is_going(app):
    work = Counter()
    job = Job("test.overlap", Every(minutes=5), work, timeout=timedelta(minutes=30))
    with app.app_context():
        db.session.add(
            JobRun(
                name=job.name,
                due_key="2026-12-05T20:00Z",
                due_at=utc(2026, 12, 5, 20),
                started_at=utc(2026, 12, 5, 20),
                worker="slow",
            )
        )
        db.session.commit()
        assert run_due(worker="b", at=utc(2026, 12, 5, 20, 10), jobs=[job]) == []
        # Past the slow run's timeout, the latest due time runs.
        [ran] = run_due(worker="b", at=utc(2026, 12, 5, 20, 31), jobs=[job])
        assert ran.due_key == "2026-12-05T20:30Z"
    assert len(work.calls) == 1


def test_a_failed_run_is_tried_again_a_few_times_and_its_work_is_rolled_back(app):
    work = Counter(fail=True)

    def run(now):
        # Something the job wrote before failing: it must not be kept.
        db.session.add(
            JobRun(name="test.marker", due_key="x", due_at=now, started_at=now, worker="w")
        )
        return work(now)

    job = Job("test.fails", Daily(hour=3), run)
    now = utc(2026, 12, 5, 3)
    with app.app_context():
        [ran] = run_due(worker="a", at=now, jobs=[job])
        assert (ran.result, ran.error) == (None, "RuntimeError")
        [row] = runs(job.name)
        assert row.state == "failed" and row.error == "RuntimeError"
        assert "person" not in row.error
        assert runs("test.marker") == []
        # Not again at once…
        assert run_due(worker="a", at=now + timedelta(minutes=1), jobs=[job]) == []
        # … but after RETRY_AFTER, until MAX_ATTEMPTS.
        for attempt in range(2, MAX_ATTEMPTS + 1):
            [row] = runs(job.name)
            [ran] = run_due(worker="a", at=row.finished_at + RETRY_AFTER * 2, jobs=[job])
            assert ran.attempts == attempt and ran.error == "RuntimeError"
        [row] = runs(job.name)
        assert run_due(worker="a", at=row.finished_at + RETRY_AFTER * 2, jobs=[job]) == []
    assert len(work.calls) == MAX_ATTEMPTS


def test_a_job_that_succeeds_keeps_what_it_left_uncommitted(app):
    def run(now):
        db.session.add(
            JobRun(name="test.marker", due_key="kept", due_at=now, started_at=now, worker="w")
        )
        return 1

    job = Job("test.keeps", Every(minutes=5), run)
    with app.app_context():
        run_due(worker="a", at=utc(2026, 12, 5, 20), jobs=[job])
        db.session.rollback()
        assert [r.due_key for r in runs("test.marker")] == ["kept"]


def test_a_manual_run_is_claimed_too(app):
    work = Counter()
    job = Job("test.manual", Daily(hour=3), work)
    now = utc(2026, 12, 5, 14, 7, 30)
    with app.app_context():
        ran = run_now(job, worker="a", at=now)
        assert ran is not None and ran.due_key == "manual:2026-12-05T14:07Z"
        assert run_now(job, worker="b", at=now + timedelta(seconds=20)) is None
        # The schedule's own due time still runs.
        assert [r.due_key for r in run_due(worker="a", at=now, jobs=[job])] == ["2026-12-05"]
    assert len(work.calls) == 2


def test_statuses_give_the_last_run_and_the_next_due_time(app):
    done = Job("test.done", Daily(hour=3), Counter())
    never = Job("test.never", Every(minutes=5), Counter())
    now = utc(2026, 12, 5, 14)
    with app.app_context(), hooks.scheduled_jobs.replaced(done, never):
        run_due(worker="a", at=now)
        db.session.query(JobRun).filter(JobRun.name == "test.never").delete()
        db.session.commit()
        statuses = {s.job.name: s for s in load_statuses(now)}
        assert statuses["test.done"].last.due_key == "2026-12-05"
        assert statuses["test.done"].next_at == utc(2026, 12, 6, 3)
        assert statuses["test.never"].last is None
        assert statuses["test.never"].next_at == utc(2026, 12, 5, 14), "due now"


def test_old_run_records_are_forgotten(app):
    now = utc(2026, 12, 5, 4)
    with app.app_context():
        for key, due_at in [("old", now - KEEP_RUNS - timedelta(days=1)), ("recent", now)]:
            db.session.add(
                JobRun(name="test.x", due_key=key, due_at=due_at, started_at=due_at, worker="w")
            )
        db.session.commit()
        assert forget_old_runs(now) == 1
        db.session.commit()
        assert [r.due_key for r in runs("test.x")] == ["recent"]


# --- several workers at once ------------------------------------------------------------------


def _race(app, job: Job, at: datetime, workers: int = 3) -> list:
    """`workers` workers, each with its own app (engine, connections) and session, run the
    due jobs at the same moment."""
    apps = [app] + [make_app(app.config.copy()) for _ in range(workers - 1)]
    barrier = threading.Barrier(workers)
    results: list = []
    errors: list = []

    def work(flask_app, name):
        try:
            with flask_app.app_context():
                barrier.wait()
                results.extend(run_due(worker=name, at=at, jobs=[job]))
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(a, f"worker-{n}")) for n, a in enumerate(apps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for other in apps[1:]:
        with other.app_context():
            db.engine.dispose()
    assert errors == []
    return results


@pytest.mark.real_commits
def test_several_workers_run_a_due_job_exactly_once(app):
    work = Counter(pause=0.2)
    job = Job("test.race", Every(minutes=5), work)
    for n in range(3):
        at = utc(2026, 12, 5, 20, 1) + timedelta(minutes=5 * n)
        ran = _race(app, job, at)
        assert len(ran) == 1, ran
    assert len(work.calls) == 3
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 3
        assert {r.attempts for r in runs(job.name)} == {1}


@pytest.mark.real_commits
def test_several_workers_take_over_a_crashed_run_exactly_once(app):
    work = Counter(pause=0.2)
    job = Job("test.race-crash", Daily(hour=3), work, timeout=timedelta(minutes=10))
    with app.app_context():
        db.session.add(
            JobRun(
                name=job.name,
                due_key="2026-12-05",
                due_at=utc(2026, 12, 5, 3),
                started_at=utc(2026, 12, 5, 3),
                worker="gone",
            )
        )
        db.session.commit()
    ran = _race(app, job, utc(2026, 12, 5, 3, 30))
    assert len(ran) == 1 and ran[0].attempts == 2
    assert len(work.calls) == 1
    with app.app_context():
        [row] = runs(job.name)
        assert row.attempts == 2 and row.state == "done"
