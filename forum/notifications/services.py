"""Queueing and delivering email."""

from __future__ import annotations

import html
import json
import logging
import smtplib
import socket
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import formatdate
from typing import cast

from flask import current_app
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import escapeHtml
from markupsafe import escape
from sqlalchemy import CursorResult, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from forum import hooks
from forum.audit.services import record
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import EmailAddressStatus, OutboxMessage, Subscriber
from forum.notifications.rendering import render_email
from forum.notifications.topics import Frequency

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


#: after this many emails to an address refused for good (a 5xx reply), in a row, the address
#: is marked undeliverable and gets no more email until its owner changes it or tries it again
UNDELIVERABLE_AFTER = 3

#: kinds of email that still go to an address marked undeliverable: the person at the
#: address asked for each of them just now (a sign-up, reset or email-change link, a survey
#: confirmation, a subscription), which is a sign that the address works again, and without
#: them a person whose address was marked could never get back in. When one arrives, the
#: mark goes.
SENT_EVEN_IF_UNDELIVERABLE = frozenset(
    {
        "verify_email",
        "change_email",
        "reset_password",
        "already_registered",
        "survey_confirm_response",
        "account_deleted",
        "subscriber_confirm",
        "subscriber_already",
        "subscriber_welcome",
    }
)

#: how long what is known against an address is kept after its last refusal, when nothing
#: has been sent there since (`purge_sent`)
ADDRESS_STATUS_KEPT = timedelta(days=365)

#: stands in the stored body for the person's unsubscribe link, which is made when the email
#: is sent (`build_email`), so the outbox never holds one
UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe-link.invalid/"

#: the audience of an optional email to an address given with a paper or phone response, by
#: someone without an account (`hooks.email_contact_allowed`); no user or subscriber is named
CONTACT_AUDIENCE = "contact"

#: the kinds of a daily and a weekly digest (`forum.mailings.digests`): one email holding
#: several topics, whose unsubscribe link stops the whole digest (`tokens.make_digest_token`)
DIGEST_KINDS = {"digest_daily": Frequency.DAILY, "digest_weekly": Frequency.WEEKLY}


@dataclass(frozen=True)
class Account:
    """An account by its id, where this package (below the accounts package) needs to name
    one: the preference functions and `hooks.email_recipient_allowed` take it like a `User`."""

    id: int


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an email (an event's .ics), kept on its outbox row as text."""

    filename: str
    content_type: str
    text: str


@dataclass(frozen=True)
class Optional:
    """Who an optional email is for, kept on its outbox row so that it can be checked again,
    and its unsubscribe link made, when it is sent. Made by `preferences.notify`."""

    topic: object
    area_id: int
    audience: str
    about: str | None = None
    user_id: int | None = None
    subscriber_id: int | None = None


def queue_email(
    to: str,
    template: str,
    *,
    kind: str,
    secrets: Iterable[str] = (),
    optional: Optional | None = None,
    attachments: Iterable[Attachment] = (),
    flush: bool = True,
    due_while: str | None = None,
    **context,
) -> OutboxMessage:
    """Add an email to the outbox in the current transaction.

    `template` names `templates/emails/<template>.txt`; its first line is the subject.
    `secrets` are strings in it that work as a key (a reset or verification link): they are
    sent, then removed from the stored copy (`scrub`), so the outbox holds no usable token. To
    have the address and body blanked once it is sent (or given up on), set
    `is_forgotten_once_sent` on the message returned. An optional email (`optional`, given by
    `preferences.notify`) gets an unsubscribe link in its footer (`unsubscribe_link`) and in
    its headers, and is checked again when it is sent. A service email that is due only
    while something lasts (an invitation not withdrawn, a membership not ended) names it in
    `due_while` ("invitation:5"), and is checked again through `hooks.service_email_due`.
    `attachments` are text files sent with it (an event's calendar file).
    """
    if due_while is not None and optional is not None:
        raise ValueError("an optional email is checked through its Optional")
    if optional is not None:
        context["unsubscribe_link"] = UNSUBSCRIBE_PLACEHOLDER
        context.setdefault("topic_label", getattr(optional.topic, "label", str(optional.topic)))
        context.setdefault("preferences_link", _preferences_link(context.get("area")))
    email = render_email(template, **context)
    kept = sorted({s for s in secrets if s}, key=len, reverse=True)
    message = OutboxMessage(
        to_address=to,
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        kind=kind,
        secret_values=json.dumps(kept) if kept else None,
        attachments=json.dumps([asdict(a) for a in attachments]) if attachments else None,
        **(asdict(optional) if optional is not None else {"about": due_while}),
    )
    # (an address marked undeliverable is checked when the email's turn comes to be sent,
    # in `deliver_pending`, not here: a query per email queued would grow with the forum)
    db.session.add(message)
    if flush:  # (many at once: the caller flushes them together, in a few INSERTs)
        db.session.flush()
    return message


def _preferences_link(area) -> str | None:
    """The "Your emails" page, at the email's forum, if the app has that page."""
    from forum.web.urls import external_url

    if "mailings.preferences" not in current_app.view_functions:
        return None
    anchor = {"_anchor": f"emails-{area.slug}"} if area is not None else {}
    return external_url("mailings.preferences", **anchor)


def _withdraw(message: OutboxMessage, reason: str) -> None:
    message.withdrawn_at = utcnow()
    message.claimed_until = None
    message.last_error = f"not sent: {reason}"[:500]
    message.body_text = ""
    message.body_html = ""
    message.secret_values = None


def _html_forms(value: str) -> list[str]:
    """How `value` (a link, a token, an address, a title) may appear in an email's HTML
    part: as it is, or escaped by markdown-it (text and links), by Jinja (the subject) or by
    the standard library, and as markdown-it writes a link's address. Longest first."""
    forms = set()
    for base in (value, normalizeLink(value)):
        forms |= {base, escapeHtml(base), str(escape(base)), html.escape(base)}
    return sorted(forms, key=len, reverse=True)


def replace_in_message(message: OutboxMessage, old: str, new: str) -> None:
    """Replace `old` with `new` wherever the stored email says it: its subject, its text
    part and its HTML part (escaped there as the HTML part escapes it)."""
    if not old:
        return
    message.subject = message.subject.replace(old, new)[:200]
    message.body_text = message.body_text.replace(old, new)
    if message.body_html:
        for form in _html_forms(old):
            message.body_html = message.body_html.replace(form, str(escape(new)))


def scrub(message: OutboxMessage) -> None:
    """Replace the message's secret strings in its stored subject and body; forget them."""
    if not message.secret_values:
        return
    for secret in json.loads(message.secret_values):
        replace_in_message(message, secret, REMOVED)
    message.secret_values = None


def purge_sent(now: datetime) -> dict[str, int]:
    """The outbox's retention: bodies of messages sent (or given up on) more than
    `OUTBOX_KEEP_DAYS` ago are emptied, keeping the recipient, kind, times and status; rows
    finished more than `OUTBOX_RECORD_DAYS` ago are deleted. Messages still to be sent are
    never touched. What is known against an address (`EmailAddressStatus`) goes
    `ADDRESS_STATUS_KEPT` after its last refusal. Returns counts of emptied and deleted rows
    and of forgotten address records; the caller commits."""
    config = current_app.config
    keep_bodies = now - timedelta(days=config["OUTBOX_KEEP_DAYS"])
    keep_rows = now - timedelta(days=config["OUTBOX_RECORD_DAYS"])
    finished = or_(
        OutboxMessage.sent_at.is_not(None),
        OutboxMessage.failed_at.is_not(None),
        OutboxMessage.withdrawn_at.is_not(None),
    )
    finished_at = func.coalesce(
        OutboxMessage.sent_at, OutboxMessage.failed_at, OutboxMessage.withdrawn_at
    )
    deleted = db.session.execute(
        delete(OutboxMessage)
        .where(finished, finished_at < keep_rows)
        .execution_options(synchronize_session=False)
    )
    emptied = db.session.execute(
        update(OutboxMessage)
        .where(finished, finished_at < keep_bodies, OutboxMessage.purged_at.is_(None))
        .values(
            subject="",
            body_text="",
            body_html="",
            attachments=None,
            secret_values=None,
            last_error=None,
            purged_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    addresses = db.session.execute(
        delete(EmailAddressStatus)
        .where(EmailAddressStatus.last_failure_at < now - ADDRESS_STATUS_KEPT)
        .execution_options(synchronize_session=False)
    )
    return {
        "emptied": cast(CursorResult, emptied).rowcount,
        "deleted": cast(CursorResult, deleted).rowcount,
        "addresses": cast(CursorResult, addresses).rowcount,
    }


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _claim_due(limit: int, worker: str) -> list[int]:
    """Take up to `limit` due rows for this pass of this worker, in one UPDATE, and return
    their ids. A row another worker holds is left to it: the UPDATE checks the claim again row by
    row (PostgreSQL re-reads a row it waited for; SQLite runs one writer at a time), so a row
    is never held by two workers. `worker` must be new for each pass."""
    now = utcnow()
    free = (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.withdrawn_at.is_(None),
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id).where(*free).order_by(OutboxMessage.id).limit(limit)
        )
    )
    if not ids:
        db.session.commit()
        return []
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), *free)
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), claimed_by=worker)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == worker)
            .order_by(OutboxMessage.id)
        )
    )


def unsubscribe_url(message: OutboxMessage) -> str | None:
    """The one-click unsubscribe link of an optional email, made when it is sent."""
    if message.topic is None or message.area_id is None:
        return None
    from forum.notifications.tokens import make_digest_token, make_token
    from forum.web.urls import external_url

    if message.audience == CONTACT_AUDIENCE:
        links = hooks.email_contact_unsubscribe.results(message.about)
        return links[0] if links else None
    digest = DIGEST_KINDS.get(message.kind)
    if digest is not None:
        token = make_digest_token(
            area_id=message.area_id,
            frequency=digest,
            user_id=message.user_id,
            subscriber_id=message.subscriber_id,
        )
        return external_url("mailings.digest_unsubscribe", token=token)
    token = make_token(
        area_id=message.area_id,
        topic=message.topic,
        user_id=message.user_id,
        subscriber_id=message.subscriber_id,
    )
    return external_url("mailings.unsubscribe", token=token)


#: lines up to the 998 characters RFC 5322 allows, so that a long `List-Unsubscribe` link is
#: folded nowhere and never encoded (mail programs read it as a plain URL)
EMAIL_POLICY = policy.default.clone(max_line_length=998)


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage(policy=EMAIL_POLICY)
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    # The same id on any retry lets receiving servers drop a duplicate.
    email["Message-ID"] = message.message_id
    text, html_body = message.body_text, message.body_html
    link = unsubscribe_url(message)
    if link:
        # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to it
        email["List-Unsubscribe"] = f"<{link}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        text = text.replace(UNSUBSCRIBE_PLACEHOLDER, link)
        if html_body:
            html_body = html_body.replace(UNSUBSCRIBE_PLACEHOLDER, html.escape(link))
    email.set_content(text)
    if html_body:
        # multipart/alternative: mail programs show the last part they can, the HTML one
        email.add_alternative(html_body, subtype="html")
    for attachment in json.loads(message.attachments or "[]"):
        # multipart/mixed: the text and HTML parts, then each file
        maintype, _, subtype = attachment["content_type"].partition("/")
        email.add_attachment(
            attachment["text"].encode(),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["filename"],
        )
    return email


def may_send(message: OutboxMessage) -> str | None:
    """Why an optional email must not go now (the person turned its topic off, left the forum,
    may no longer see what it is about …), or why a service email is no longer due, or None.
    Other service emails always go."""
    if message.topic is None:
        if message.about is None:
            return None
        reasons = hooks.service_email_due.results(
            message.about, message.area_id, message.to_address
        )
        return reasons[0] if reasons else None
    if message.area_id is None:
        return None
    if message.audience == CONTACT_AUDIENCE:
        if not list(hooks.email_contact_allowed):
            return "nobody to send it to"
        found = hooks.email_contact_allowed.results(message.area_id, message.about)
        return found[0] if found else None
    person: Subscriber | Account | None
    if message.subscriber_id is not None:
        person = db.session.get(Subscriber, message.subscriber_id)
        if person is None or not person.is_confirmed:
            return "no longer subscribed"
    elif message.user_id is not None:
        # (a deleted account's rows are gone with it: the foreign key cascades)
        person = Account(message.user_id)
    else:
        return "nobody to send it to"
    from forum.notifications.preferences import frequency

    # (a digest's topic is the first of its topics, and was not "never" when it was made a
    # moment ago; stopping the whole digest sets it to "never" too)
    if frequency(person, message.area_id, message.topic) is Frequency.NEVER:
        return "turned off"
    reasons = hooks.email_recipient_allowed.results(
        person, message.area_id, message.audience or "members", message.about
    )
    return reasons[0] if reasons else None


# -- addresses that do not work ------------------------------------------------------------


def address_status(address: str) -> EmailAddressStatus | None:
    """What is known against `address`, if anything."""
    if not address:
        return None
    return db.session.scalar(
        select(EmailAddressStatus).where(EmailAddressStatus.address == address.strip().lower())
    )


def is_undeliverable(address: str) -> bool:
    """Whether `address` is marked undeliverable: emails to it are not sent."""
    status = address_status(address)
    return status is not None and status.is_undeliverable


def record_refusal(address: str, error: str) -> EmailAddressStatus:
    """A receiving server refused an email to `address` for good: count it, and mark the
    address undeliverable at `UNDELIVERABLE_AFTER` refusals in a row. Flushes."""
    address = address.strip().lower()
    status = address_status(address)
    if status is None:
        status = EmailAddressStatus(address=address, permanent_failures=0)
        try:
            with db.session.begin_nested():
                db.session.add(status)
        except IntegrityError:  # another worker recorded one first
            status = address_status(address)
            assert status is not None
    status.permanent_failures += 1
    status.last_failure_at = utcnow()
    status.last_error = error[:200]
    if status.permanent_failures >= UNDELIVERABLE_AFTER and status.undeliverable_at is None:
        status.undeliverable_at = utcnow()
        log.warning("an address is now marked undeliverable after %s refusals", UNDELIVERABLE_AFTER)
    db.session.flush()
    return status


def try_address_again(address: str, *, actor) -> bool:
    """The person asks for their address to be tried again: the undeliverable mark and the
    count of refusals go, so emails to it are sent again (and three more refusals mark it
    again). Returns whether there was a mark to clear. Flushes."""
    status = address_status(address)
    if status is None:
        return False
    was_marked = status.is_undeliverable
    db.session.delete(status)
    db.session.flush()
    if was_marked:
        record("account.email_retried", actor, actor=actor)
    return was_marked


def _address_is_kept(message: OutboxMessage) -> bool:
    """Whether a refusal may be noted against the message's address: not for an address we
    said we would not keep (a survey confirmation to someone without an account, the last
    email to a deleted account)."""
    return not message.is_forgotten_once_sent and message.kind not in ERASED_AFTER_SENDING


def is_permanent_refusal(exc: BaseException) -> bool:
    """Whether a sending error says the receiving server will never take this email to this
    address: a 5xx reply to the recipient (RCPT) or to the message (DATA). A 5xx reply to our
    own sign-in, greeting or sender address is our fault, not the address's: it is retried
    like any other failure, so an operator can mend the settings without losing email."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    return False


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = [
            f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for code, reply in exc.recipients.values()
        ]
        return f"{type(exc).__name__}: {'; '.join(replies)}"
    return f"{type(exc).__name__}: {exc}"


class Transport:
    """Sends built emails: to the log (development) or by SMTP, keeping one connection open
    for a whole pass of the worker rather than one per email. A connection that fails is
    closed, and the next email opens a new one."""

    def __init__(self) -> None:
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        )
        try:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, email: EmailMessage) -> None:
        transport = self.config["MAIL_TRANSPORT"]
        if transport == "console":
            # Development only: the full message goes to the log so links can be followed.
            log.info("email (console transport)\n%s", email.as_string())
            return
        if transport != "smtp":
            raise RuntimeError(f"unknown MAIL_TRANSPORT {transport!r}")
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(email)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
            # the server answered about this email; the connection is still good (smtplib
            # has reset the transaction)
            raise
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def deliver_pending(limit: int = 100, worker: str | None = None) -> dict[str, int]:
    """Send what is due, over one connection. Claims its rows in one go, then commits per row
    as each is sent, so a crash re-sends at most the one in flight (with the same Message-ID).
    Returns counts of sent, retried, failed, skipped (held by another worker) and withdrawn
    (no longer allowed) rows."""
    worker = f"{worker or socket.gethostname()}:{uuid.uuid4().hex[:12]}"[:64]
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0, "withdrawn": 0}
    transport = Transport()
    try:
        for message_id in _claim_due(limit, worker):
            # One row in the session at a time: each commit expires what the session holds,
            # so a whole batch held there would cost the square of its size.
            message = db.session.get(OutboxMessage, message_id, populate_existing=True)
            if message is None:  # deleted meanwhile (an account erased)
                continue
            _deliver(message, transport, counts)
            if message in db.session:
                db.session.expunge(message)
    finally:
        transport.close()
    return counts


def _deliver(message: OutboxMessage, transport: Transport, counts: dict[str, int]) -> None:
    reason = may_send(message)
    # one query tells both whether the address is marked and whether there is a count
    # for a delivery to clear
    status = address_status(message.to_address) if reason is None else None
    if (
        status is not None
        and status.is_undeliverable
        and message.kind not in SENT_EVEN_IF_UNDELIVERABLE
    ):
        reason = "address undeliverable"
    if reason is not None:
        _withdraw(message, reason)
        counts["withdrawn"] += 1
        log.info("outbox message %s not sent (%s): %s", message.id, message.kind, reason)
        db.session.commit()
        return
    try:
        transport.send(build_email(message))
    except (OSError, smtplib.SMTPException) as exc:
        message.attempts += 1
        message.claimed_until = None
        message.last_error = _describe(exc)[:500]
        if is_permanent_refusal(exc):
            # never tried again: the receiving server said no for good
            message.failed_at = utcnow()
            scrub(message)
            if _address_is_kept(message):
                record_refusal(message.to_address, _describe(exc))
            counts["failed"] += 1
            log.warning("outbox message %s refused for good (%s)", message.id, message.kind)
        elif message.attempts >= MAX_ATTEMPTS:
            message.failed_at = utcnow()
            scrub(message)
            counts["failed"] += 1
            log.error("outbox message %s gave up after %s attempts", message.id, message.attempts)
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
        if status is not None:
            # delivered: whatever was counted against the address is forgotten
            db.session.delete(status)
        counts["sent"] += 1
        log.info("outbox message %s sent (%s)", message.id, message.kind)
    if message.sent_at or message.failed_at:
        if message.kind in ERASED_AFTER_SENDING:
            db.session.delete(message)
        elif message.is_forgotten_once_sent:
            message.to_address = ""
            message.body_text = ""
            message.body_html = ""
            message.attachments = None
    db.session.commit()


def forget_addresses(addresses: set[str]) -> None:
    """A person deleted their account: emails waiting to go to any of their `addresses` are
    cancelled, the record of those already sent is deleted, and so is every email to someone
    else that names one of the addresses (an organiser's "asked to join" email), and what
    was known against the addresses (refusals, an undeliverable mark)."""
    addresses = {address for address in addresses if address}
    if not addresses:
        return
    mentioned = [
        column.contains(form, autoescape=True)
        for address in addresses
        for column, forms in (
            (OutboxMessage.subject, {address}),
            (OutboxMessage.body_text, {address}),
            (OutboxMessage.body_html, _html_forms(address)),
        )
        for form in forms
    ]
    db.session.execute(
        delete(OutboxMessage)
        .where(or_(OutboxMessage.to_address.in_(addresses), *mentioned))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(EmailAddressStatus)
        .where(EmailAddressStatus.address.in_({a.strip().lower() for a in addresses}))
        .execution_options(synchronize_session=False)
    )
