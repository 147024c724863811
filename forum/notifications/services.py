"""Queueing and delivering email."""

from __future__ import annotations

import json
import logging
import smtplib
import socket
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from typing import cast

from flask import current_app, render_template
from sqlalchemy import CursorResult, delete, func, or_, select, update

from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import OutboxMessage

log = logging.getLogger("coproduce.outbox")

#: a row gives up after this many failed attempts
MAX_ATTEMPTS = 8
#: how long a worker may hold a row while it sends
CLAIM_SECONDS = 120
#: what a secret link says in the stored copy of an email once it has been sent
REMOVED = "(link removed after sending)"

#: kinds of email whose row is deleted once it is sent (or given up on): the one that tells
#: a person their account was deleted is the last thing holding their address
ERASED_AFTER_SENDING = frozenset({"account_deleted"})


def queue_email(
    to: str, template: str, *, kind: str, secrets: Iterable[str] = (), **context
) -> OutboxMessage:
    """Add an email to the outbox in the current transaction.

    `template` names `templates/emails/<template>.txt`; its first line is the subject.
    `secrets` are strings in it that work as a key (a reset or verification link): they are
    sent, then removed from the stored copy (`scrub`), so the outbox holds no usable token. To
    have the address and body blanked once it is sent (or given up on), set
    `is_forgotten_once_sent` on the message returned.
    """
    text = render_template(f"emails/{template}.txt", **context)
    subject, _, body = text.partition("\n")
    kept = sorted({s for s in secrets if s}, key=len, reverse=True)
    message = OutboxMessage(
        to_address=to,
        subject=subject.strip()[:200],
        body_text=body.lstrip("\n"),
        kind=kind,
        secret_values=json.dumps(kept) if kept else None,
    )
    db.session.add(message)
    db.session.flush()
    return message


def scrub(message: OutboxMessage) -> None:
    """Replace the message's secret strings in its stored subject and body; forget them."""
    if not message.secret_values:
        return
    for secret in json.loads(message.secret_values):
        message.subject = message.subject.replace(secret, REMOVED)
        message.body_text = message.body_text.replace(secret, REMOVED)
    message.secret_values = None


def purge_sent(now: datetime) -> dict[str, int]:
    """The outbox's retention: bodies of messages sent (or given up on) more than
    `OUTBOX_KEEP_DAYS` ago are emptied, keeping the recipient, kind, times and status; rows
    finished more than `OUTBOX_RECORD_DAYS` ago are deleted. Messages still to be sent are
    never touched. Returns counts of emptied and deleted rows; the caller commits."""
    config = current_app.config
    keep_bodies = now - timedelta(days=config["OUTBOX_KEEP_DAYS"])
    keep_rows = now - timedelta(days=config["OUTBOX_RECORD_DAYS"])
    finished = or_(OutboxMessage.sent_at.is_not(None), OutboxMessage.failed_at.is_not(None))
    finished_at = func.coalesce(OutboxMessage.sent_at, OutboxMessage.failed_at)
    deleted = db.session.execute(
        delete(OutboxMessage)
        .where(finished, finished_at < keep_rows)
        .execution_options(synchronize_session=False)
    )
    emptied = db.session.execute(
        update(OutboxMessage)
        .where(finished, finished_at < keep_bodies, OutboxMessage.purged_at.is_(None))
        .values(subject="", body_text="", secret_values=None, last_error=None, purged_at=now)
        .execution_options(synchronize_session=False)
    )
    return {
        "emptied": cast(CursorResult, emptied).rowcount,
        "deleted": cast(CursorResult, deleted).rowcount,
    }


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _due_ids(limit: int) -> list[int]:
    now = utcnow()
    stmt = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(stmt))
    db.session.commit()
    return ids


def _claim(message_id: int, worker: str) -> OutboxMessage | None:
    """Take one row for this worker, or None if another worker got there first."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), claimed_by=worker)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if cast(CursorResult, result).rowcount != 1:  # an UPDATE gives a CursorResult
        return None
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    # The same id on any retry lets receiving servers drop a duplicate.
    email["Message-ID"] = message.message_id
    email.set_content(message.body_text)
    return email


def _transport_send(email: EmailMessage) -> None:
    config = current_app.config
    transport = config["MAIL_TRANSPORT"]
    if transport == "console":
        # Development only: the full message goes to the log so links can be followed.
        log.info("email (console transport)\n%s", email.as_string())
        return
    if transport != "smtp":
        raise RuntimeError(f"unknown MAIL_TRANSPORT {transport!r}")
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def deliver_pending(limit: int = 100, worker: str | None = None) -> dict[str, int]:
    """Send what is due. Commits per row; returns counts of sent, failed and skipped rows."""
    worker = worker or f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    for message_id in _due_ids(limit):
        message = _claim(message_id, worker)
        if message is None:
            counts["skipped"] += 1
            continue
        try:
            _transport_send(build_email(message))
        except (OSError, smtplib.SMTPException) as exc:
            message.attempts += 1
            message.claimed_until = None
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.failed_at = utcnow()
                scrub(message)
                counts["failed"] += 1
                log.error(
                    "outbox message %s gave up after %s attempts", message.id, message.attempts
                )
            else:
                message.next_attempt_at = utcnow() + backoff(message.attempts)
                counts["retry"] += 1
                log.warning(
                    "outbox message %s failed (attempt %s); will retry",
                    message.id,
                    message.attempts,
                )
        else:
            message.attempts += 1
            message.sent_at = utcnow()
            message.claimed_until = None
            scrub(message)
            counts["sent"] += 1
            log.info("outbox message %s sent (%s)", message.id, message.kind)
        if message.sent_at or message.failed_at:
            if message.kind in ERASED_AFTER_SENDING:
                db.session.delete(message)
            elif message.is_forgotten_once_sent:
                message.to_address = ""
                message.body_text = ""
        db.session.commit()
    return counts


def forget_addresses(addresses: set[str]) -> None:
    """A person deleted their account: emails waiting to go to any of their `addresses` are
    cancelled, the record of those already sent is deleted, and so is every email to someone
    else that names one of the addresses (an organiser's "asked to join" email)."""
    addresses = {address for address in addresses if address}
    if not addresses:
        return
    mentioned = [
        column.contains(address, autoescape=True)
        for address in addresses
        for column in (OutboxMessage.subject, OutboxMessage.body_text)
    ]
    db.session.execute(
        delete(OutboxMessage)
        .where(or_(OutboxMessage.to_address.in_(addresses), *mentioned))
        .execution_options(synchronize_session=False)
    )
