"""`flask outbox …` commands."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from forum.notifications.services import deliver_pending

outbox = AppGroup("outbox", help="Deliver queued email.")


@outbox.command("send")
@click.option("--watch", is_flag=True, help="Keep running, checking for new mail.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between checks.")
@click.option("--limit", default=100, show_default=True, help="Most messages per pass.")
def send(watch: bool, interval: float, limit: int) -> None:
    """Send every message that is due, once, or forever with --watch."""
    while True:
        counts = deliver_pending(limit=limit)
        if not watch or any(counts.values()):
            click.echo(
                f"sent {counts['sent']}, to retry {counts['retry']}, "
                f"gave up {counts['failed']}, taken by another worker {counts['skipped']}"
            )
        if not watch:
            return
        time.sleep(interval)
