"""`flask outbox …` commands: delivering queued email, and the periodic purges.

The worker is `flask worker` (`forum/jobs.py`): it delivers the outbox and runs the scheduled
jobs, `purge()` among them every hour. `flask outbox send` delivers email only, once or with
`--watch` forever; with `--watch` it also runs `purge()` when it starts and every
`--purge-every` seconds after: sent email bodies past their keeping time (`purge_sent`) and
used form submission keys older than a day (`purge_submission_keys`). Both are plain deletes
and updates by time, so several workers running them at once do no harm. `flask outbox purge`
runs them once.
"""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import deliver_pending, purge_sent
from forum.web.submissions import purge_submission_keys

outbox = AppGroup("outbox", help="Deliver queued email and purge what is no longer kept.")


def purge() -> dict[str, int]:
    """Run the periodic purges once and commit; counts of what each removed."""
    now = utcnow()
    counts = purge_sent(now)
    counts["submission keys"] = purge_submission_keys(now)
    db.session.commit()
    return counts


def _say(counts: dict[str, int]) -> str:
    return (
        f"emptied {counts['emptied']} sent emails, deleted {counts['deleted']} email records "
        f"and {counts['submission keys']} old submission keys"
    )


@outbox.command("send")
@click.option("--watch", is_flag=True, help="Keep running, checking for new mail.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between checks.")
@click.option("--limit", default=100, show_default=True, help="Most messages per pass.")
@click.option(
    "--purge-every",
    default=3600.0,
    show_default=True,
    help="With --watch, seconds between purges of old email bodies and submission keys.",
)
def send(watch: bool, interval: float, limit: int, purge_every: float) -> None:
    """Send every message that is due, once, or forever with --watch."""
    next_purge = time.monotonic()
    while True:
        if watch and time.monotonic() >= next_purge:
            counts = purge()
            if any(counts.values()):
                click.echo(_say(counts))
            next_purge = time.monotonic() + purge_every
        counts = deliver_pending(limit=limit)
        if not watch or any(counts.values()):
            click.echo(
                f"sent {counts['sent']}, to retry {counts['retry']}, "
                f"gave up {counts['failed']}, taken by another worker {counts['skipped']}"
            )
        if not watch:
            return
        time.sleep(interval)


@outbox.command("purge")
def purge_command() -> None:
    """Empty sent emails past OUTBOX_KEEP_DAYS, delete their records past
    OUTBOX_RECORD_DAYS, and delete form submission keys older than a day."""
    click.echo(_say(purge()))
