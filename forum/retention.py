"""The retention schedule, enforced: scheduled purges, and the `flask purge` command.

`docs/retention.md` is the schedule in words, and the privacy notice repeats its figures. Each
area registers the purges of what it keeps on `hooks.retention_purges` (in the marked block of
its `__init__.py`); `run_purges` runs them all, each in a transaction of its own, so one that
fails leaves the others done. The worker runs it daily (the job `retention.purges`,
registered in `forum/jobs.py`); `flask purge` runs it by hand. Every purge can run any number
of times, and on several machines at once, with the same result.

The accounts package (tokens, unconfirmed accounts, idle sessions), the audit log, the outbox
and the forms' submission keys keep no hooks of their own, so their purges are here, at the
composition root, where they may import them (`flask outbox purge` runs the last two alone).
"""

from __future__ import annotations

import logging
import time
import typing
from datetime import datetime, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import CursorResult, Text, and_, cast, delete, exists, or_, select, update

from forum import hooks
from forum.accounts.models import AccountToken, User
from forum.accounts.security.services import purge_idle_sessions
from forum.areas.models import Membership, MembershipStatus
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import purge_sent
from forum.web.submissions import purge_submission_keys

log = logging.getLogger("coproduce.retention")

#: used and expired sign-up, reset and email-change links are deleted this long after they
#: stopped working (the token is only a digest; the row says when a link was sent)
TOKENS_KEPT = timedelta(days=30)
#: accounts whose email address was never confirmed are deleted this long after sign-up
UNVERIFIED_KEPT = timedelta(days=30)
#: what an audit entry adds beyond who did what to which thing and when (reasons typed,
#: old and new values) is erased after this long; the entry itself stays
AUDIT_DETAIL_KEPT = timedelta(days=2 * 365)


def _rows(result) -> int:
    return typing.cast(CursorResult, result).rowcount or 0


def purge_account_tokens(now: datetime) -> int:
    """Links that expired, or were used, more than `TOKENS_KEPT` ago."""
    cutoff = now - TOKENS_KEPT
    return _rows(
        db.session.execute(
            delete(AccountToken)
            .where(or_(AccountToken.expires_at < cutoff, AccountToken.used_at < cutoff))
            .execution_options(synchronize_session=False)
        )
    )


def purge_unverified_accounts(now: datetime) -> int:
    """Accounts never confirmed within `UNVERIFIED_KEPT` of signing up, that belong to no
    forum (an organiser may have added someone who has yet to confirm: that account stays)."""
    cutoff = now - UNVERIFIED_KEPT
    ids = list(
        db.session.scalars(
            select(User.id).where(
                User.email_verified_at.is_(None),
                User.created_at < cutoff,
                ~exists().where(
                    and_(
                        Membership.user_id == User.id,
                        Membership.status == MembershipStatus.ACTIVE,
                    )
                ),
            )
        )
    )
    if not ids:
        return 0
    db.session.execute(delete(AccountToken).where(AccountToken.user_id.in_(ids)))
    return _rows(
        db.session.execute(
            delete(User).where(User.id.in_(ids)).execution_options(synchronize_session=False)
        )
    )


def purge_audit_detail(now: datetime) -> int:
    """Empty the detail of audit entries older than `AUDIT_DETAIL_KEPT`."""
    cutoff = now - AUDIT_DETAIL_KEPT
    return _rows(
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.created_at < cutoff, cast(AuditEvent.detail, Text) != "{}")
            .values(detail={})
            .execution_options(synchronize_session=False)
        )
    )


hooks.retention_purges.register(purge_account_tokens, name="expired account links", order=1)
hooks.retention_purges.register(purge_unverified_accounts, name="unconfirmed accounts", order=1)
hooks.retention_purges.register(purge_audit_detail, name="audit entry details", order=0)


def purge_outbox(now: datetime) -> int:
    """Sent email bodies after `OUTBOX_KEEP_DAYS`, their records after `OUTBOX_RECORD_DAYS`."""
    return sum(purge_sent(now).values())


hooks.retention_purges.register(purge_outbox, name="sent email bodies", order=0)
hooks.retention_purges.register(purge_submission_keys, name="form submission keys", order=0)
hooks.retention_purges.register(purge_idle_sessions, name="idle session records", order=1)


def run_purges(now: datetime | None = None) -> dict[str, int]:
    """Run every registered purge, each committed on its own; returns rows per purge name. A
    purge that fails is rolled back and logged (without the data it touched), and the rest
    still run; it is tried again next time."""
    now = now or utcnow()
    done: dict[str, int] = {}
    for provider in hooks.retention_purges:
        name = provider.name or provider.target.__name__
        try:
            done[name] = int(provider.target(now) or 0)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("retention purge %r failed; it runs again next time", name)
            done[name] = -1
    return done


@click.command("purge")
@with_appcontext
@click.option("--watch", is_flag=True, help="Keep running, once every --interval seconds.")
@click.option("--interval", default=3600.0, show_default=True, help="Seconds between runs.")
def purge(watch: bool, interval: float) -> None:
    """Delete what the retention schedule no longer keeps (docs/retention.md): every scheduled
    purge once, or forever with --watch, saying what each removed."""
    while True:
        done = run_purges()
        for name, rows in done.items():
            click.echo(f"{name}: {'failed, see the log' if rows < 0 else rows}")
        if not watch:
            if any(rows < 0 for rows in done.values()):
                raise click.ClickException("A purge failed; the others were done.")
            return
        time.sleep(interval)
