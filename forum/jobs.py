"""The worker: `flask worker` delivers the outbox and runs the scheduled jobs; `flask jobs …`.

One command does all the periodic work, and any number of copies may run, on any number of
machines: the outbox claims each email before sending it, and `forum.scheduling` claims each
due time of each job in the database, so nothing is sent or run twice. Each pass delivers
what the outbox holds, then runs every job that is due, then sleeps `--interval` seconds;
`--once` does one pass (for cron, or tests). SIGTERM or Ctrl-C stop it after the step it is
in, so a job is not cut off half way (one cut off anyway is taken over after its timeout).

This module sits at the top, beside `forum/retention.py`, because it registers the periodic
work of areas that have no other way to be called on a schedule: the retention purges, the
outbox's own purges, the scorecard's figures, sealing anonymous surveys that have closed, and
forgetting old records of runs. Areas register their own jobs in their `__init__.py`
(docs/scheduling.md).
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime, timedelta

import click
from flask.cli import AppGroup, with_appcontext

from forum import hooks
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.cli import purge as purge_outbox
from forum.notifications.services import deliver_pending
from forum.outcomes.scorecard.services import refresh_figures
from forum.retention import run_purges
from forum.scheduling import (
    Daily,
    Every,
    Job,
    Ran,
    forget_old_runs,
    get_job,
    load_statuses,
    registered_jobs,
    run_due,
    run_due_time,
    run_now,
    worker_name,
)
from forum.surveys.answering.services import seal_closed_surveys
from forum.web.time import london

log = logging.getLogger("coproduce.jobs")


class PurgeFailed(Exception):
    """Some retention purges failed (the others were done); the job is tried again."""


def retention_purges(now: datetime) -> int:
    done = run_purges(now)
    failed = sorted(name for name, rows in done.items() if rows < 0)
    if failed:
        raise PurgeFailed(", ".join(failed))
    return sum(done.values())


def outbox_purges(now: datetime) -> int:
    return sum(purge_outbox().values())


def scorecard_figures(now: datetime) -> int:
    stored = refresh_figures(now=now)
    db.session.commit()
    return stored


def seal_closed(now: datetime) -> int:
    return seal_closed_surveys(now)


# Order 0: below every area's jobs, which register with their layer's number.
for _job in (
    Job(
        "retention.purges",
        Daily(hour=3),
        retention_purges,
        description="the retention schedule (docs/retention.md)",
        timeout=timedelta(hours=2),
    ),
    Job("outbox.purge", Every(minutes=60), outbox_purges, "old email bodies, submission keys"),
    Job("outcomes.refresh-figures", Every(minutes=60), scorecard_figures, "scorecard figures"),
    Job("surveys.seal-closed", Every(minutes=5), seal_closed, "seal closed anonymous surveys"),
    Job("jobs.forget-old-runs", Daily(hour=4), forget_old_runs, "records of old job runs"),
):
    hooks.scheduled_jobs.register(_job, order=0)


# --- flask worker -----------------------------------------------------------------------------


def _said(ran: Ran) -> str:
    again = f", attempt {ran.attempts}" if ran.attempts > 1 else ""
    if ran.error:
        return f"{ran.name} ({ran.due_key}{again}): failed ({ran.error}), see the log"
    return f"{ran.name} ({ran.due_key}{again}): {ran.result}"


def one_pass(worker: str, limit: int) -> tuple[dict[str, int], list[Ran]]:
    """Deliver the outbox, then run every due job."""
    sent = deliver_pending(limit=limit, worker=worker)
    return sent, run_due(worker=worker)


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="One pass, then stop (for cron or a test).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
@click.option("--limit", default=100, show_default=True, help="Most emails per pass.")
def worker(once: bool, interval: float, limit: int) -> None:
    """Deliver queued email and run the scheduled jobs (`flask jobs list`), forever or
    --once. Run one or more, on any machines: each email and each due job goes once."""
    name = worker_name()
    stopping = threading.Event()
    if not once and threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        click.echo(f"Worker {name}: email and {len(registered_jobs())} jobs, Ctrl-C to stop.")
    while True:
        try:
            sent, ran = one_pass(name, limit)
        except Exception:
            if once:
                raise
            db.session.rollback()
            log.exception("worker pass failed; trying again in %s seconds", interval)
        else:
            if once or any(sent.values()):
                click.echo(
                    f"email: sent {sent['sent']}, to retry {sent['retry']}, gave up "
                    f"{sent['failed']}, withdrawn {sent['withdrawn']}, "
                    f"taken by another worker {sent['skipped']}"
                )
            for each in ran:
                click.echo(_said(each))
            if once:
                if any(each.error for each in ran):
                    raise click.ClickException("A job failed; it is tried again later.")
                return
        if stopping.wait(interval):
            click.echo("Stopped.")
            return


# --- flask jobs -------------------------------------------------------------------------------

jobs = AppGroup("jobs", help="The scheduled jobs `flask worker` runs.")


def _when(value: datetime | None) -> str:
    return london(value, "%-d %b %H:%M") if value else ""


@jobs.command("list")
def list_jobs() -> None:
    """Every job: its schedule, its last run and when it is next due (London time)."""
    now = utcnow()
    for status in load_statuses(now):
        job, last = status.job, status.last
        click.echo(
            f"{job.name}: {job.schedule.describe()}"
            + (f" - {job.description}" if job.description else "")
        )
        if last is None:
            click.echo("  last run: never")
        elif last.finished_at is None:
            click.echo(
                f"  last run: {last.due_key}, running since {_when(last.started_at)} "
                f"on {last.worker}"
            )
        elif last.error:
            click.echo(
                f"  last run: {last.due_key}, failed {_when(last.finished_at)} ({last.error}, "
                f"attempt {last.attempts})"
            )
        else:
            click.echo(f"  last run: {last.due_key}, done {_when(last.finished_at)}: {last.result}")
        due = "now" if status.next_at <= now else _when(status.next_at)
        click.echo(f"  next due: {due}")


@jobs.command("run")
@click.argument("name")
@click.option(
    "--due",
    is_flag=True,
    help="Claim the current due time, as the worker would (it then does not run it again), "
    "rather than running once more outside the schedule.",
)
def run_job(name: str, due: bool) -> None:
    """Run the job NAME now (still claimed: given twice at once, it runs once)."""
    job = get_job(name)
    if job is None:
        known = ", ".join(j.name for j in registered_jobs())
        raise click.ClickException(f"No job called {name!r}. The jobs are: {known}.")
    ran = run_due_time(job) if due else run_now(job)
    if ran is None:
        raise click.ClickException(
            f"{name} is already running or has already run for this time; "
            "`flask jobs list` says when."
        )
    click.echo(_said(ran))
    if ran.error:
        raise click.ClickException("The job failed; see the log.")
