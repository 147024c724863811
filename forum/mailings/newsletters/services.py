"""Writing newsletters: drafts, tests, sending and scheduling, withdrawing, and the fan-out
job that turns a message being sent into one email (or digest line) per person.

Pressing Send changes only the newsletter row, in one conditional UPDATE (status and time,
only from the version the organiser saw), so a double click or a second tab sends it once and
the request returns at once whatever the audience's size. `fan_out_due(now)` does the rest:
it starts scheduled messages whose time has come, then walks each message's audience in
batches, each batch in its own transaction together with the cursor that says how far it got,
so a crash resumes where it stopped and two workers never queue the same batch.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import cast

from sqlalchemy import CursorResult, select, update

from forum.audit.services import record
from forum.extensions import db
from forum.mailings.newsletters.models import (
    AudienceKind,
    Newsletter,
    NewsletterStatus,
    Visibility,
)
from forum.mailings.newsletters.queries import (
    Audience,
    count_recipients,
    get_consultation,
    select_subscriber_recipients,
    select_user_recipients,
)
from forum.models import utcnow
from forum.notifications.preferences import Mail, notify_each
from forum.notifications.rendering import MarkdownSource
from forum.notifications.services import OutboxMessage, queue_email
from forum.web.text import clean_text
from forum.web.urls import absolute

log = logging.getLogger("coproduce.newsletters")

SUBJECT_MAX = 150
BODY_MAX = 20_000
#: what a test email says where each person's own unsubscribe link will be
TEST_UNSUBSCRIBE = "(each person’s own unsubscribe link goes here)"


class NewsletterError(Exception):
    """A change the newsletter's state or audience does not allow; `field` names the form
    field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _checked(area, *, subject, body, audience, consultation_id, visibility):
    subject = clean_text(subject)
    body = clean_text(body, multiline=True)
    if not subject:
        raise NewsletterError("Enter a subject", "subject")
    if len(subject) > SUBJECT_MAX:
        raise NewsletterError(f"The subject must be {SUBJECT_MAX} characters or fewer", "subject")
    if not body:
        raise NewsletterError("Enter the message", "body")
    if len(body) > BODY_MAX:
        raise NewsletterError(f"The message must be {BODY_MAX:,} characters or fewer", "body")
    audience = AudienceKind(audience)
    visibility = Visibility(visibility)
    if audience is AudienceKind.RESPONDERS:
        consultation = get_consultation(area, consultation_id)
        if consultation is None:
            raise NewsletterError(
                "Choose a consultation of this forum whose survey is not anonymous",
                "consultation_id",
            )
        consultation_id = consultation.id
    else:
        consultation_id = None
    if audience is AudienceKind.PUBLIC and visibility is not Visibility.PUBLIC:
        raise NewsletterError(
            "A message to public subscribers is public: choose “Anyone” for who can read it "
            "in the archive, or send it to members only",
            "visibility",
        )
    return {
        "subject": subject,
        "body": body,
        "audience": audience,
        "consultation_id": consultation_id,
        "visibility": visibility,
    }


def create_newsletter(
    area, *, subject: str, body: str, audience, consultation_id, visibility, actor
) -> Newsletter:
    """A draft, seen only by organisers."""
    fields = _checked(
        area,
        subject=subject,
        body=body,
        audience=audience,
        consultation_id=consultation_id,
        visibility=visibility,
    )
    newsletter = Newsletter(area_id=area.id, created_by_id=getattr(actor, "id", None), **fields)
    newsletter.area = area
    db.session.add(newsletter)
    db.session.flush()
    record("newsletter.created", newsletter, actor=actor, area=area)
    return newsletter


def update_newsletter(
    newsletter: Newsletter, *, subject: str, body: str, audience, consultation_id, visibility, actor
) -> Newsletter:
    """Change a draft or a scheduled message (a scheduled one keeps its time)."""
    if not newsletter.is_editable:
        raise NewsletterError("This message has been sent, so it can no longer be changed")
    fields = _checked(
        newsletter.area,
        subject=subject,
        body=body,
        audience=audience,
        consultation_id=consultation_id,
        visibility=visibility,
    )
    for name, value in fields.items():
        setattr(newsletter, name, value)
    db.session.flush()
    record("newsletter.updated", newsletter, actor=actor, area=newsletter.area)
    return newsletter


def delete_newsletter(newsletter: Newsletter, *, actor) -> None:
    """Drafts and scheduled messages only: one that went out is withdrawn instead."""
    if not newsletter.is_editable:
        raise NewsletterError("A message that was sent cannot be deleted; withdraw it instead")
    record("newsletter.deleted", newsletter, actor=actor, area=newsletter.area)
    db.session.delete(newsletter)
    db.session.flush()


def _mail(newsletter: Newsletter, *, test: bool = False):
    link = absolute(newsletter)

    def mail_for(person) -> Mail:
        return Mail(
            template="newsletter",
            kind="newsletter_test" if test else "newsletter",
            title=newsletter.subject,
            link=link,
            summary=_summary(newsletter.body),
            context={
                "newsletter": newsletter,
                # the organiser's markdown, shown as markdown (raw HTML still shows as text)
                "body": MarkdownSource(newsletter.body),
                "link": link,
                "test": test,
            },
        )

    return mail_for


def _summary(body: str, limit: int = 300) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def send_test(newsletter: Newsletter, *, actor) -> OutboxMessage:
    """The message as its recipients will get it, to the organiser's own address only."""
    mail = _mail(newsletter, test=True)(actor)
    message = queue_email(
        actor.email,
        mail.template,
        kind=mail.kind,
        area=newsletter.area,
        unsubscribe_link=TEST_UNSUBSCRIBE,
        **(mail.context or {}),
    )
    record("newsletter.test_sent", newsletter, actor=actor, area=newsletter.area)
    return message


def _refuse_if_nobody(newsletter: Newsletter, now: datetime) -> int:
    reach = count_recipients(Audience.of(newsletter), now)
    if reach.total == 0:
        raise NewsletterError(reach.nobody_because or "Nobody would get this.")
    return reach.total


def send_now(newsletter: Newsletter, *, actor, now: datetime | None = None) -> Newsletter:
    """Mark the message as sending, from the version the organiser saw, in one conditional
    UPDATE: a second press (another tab, a double click that beat the form's key) changes
    nothing and is refused. The emails are queued by `fan_out_due`, not here."""
    now = now or utcnow()
    if not newsletter.is_editable:
        raise NewsletterError("This message has already been sent")
    size = _refuse_if_nobody(newsletter, now)
    result = db.session.execute(
        update(Newsletter)
        .where(
            Newsletter.id == newsletter.id,
            Newsletter.version == newsletter.version,
            Newsletter.status.in_((NewsletterStatus.DRAFT, NewsletterStatus.SCHEDULED)),
        )
        .values(
            status=NewsletterStatus.SENDING,
            sent_at=now,
            scheduled_for=None,
            audience_size=size,
            version=Newsletter.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, result).rowcount != 1:
        raise NewsletterError("This message has already been sent, or changed since you saw it")
    db.session.refresh(newsletter)
    record("newsletter.sent", newsletter, actor=actor, area=newsletter.area, people=size)
    return newsletter


def schedule(newsletter: Newsletter, *, when: datetime, actor, now: datetime | None = None):
    """Send it at `when` (which must be in the future), by `fan_out_due`."""
    now = now or utcnow()
    if not newsletter.is_editable:
        raise NewsletterError("This message has already been sent")
    if when <= now:
        raise NewsletterError("The time to send it must be in the future", "when")
    _refuse_if_nobody(newsletter, now)
    newsletter.status = NewsletterStatus.SCHEDULED
    newsletter.scheduled_for = when
    db.session.flush()
    record("newsletter.scheduled", newsletter, actor=actor, area=newsletter.area)
    return newsletter


def unschedule(newsletter: Newsletter, *, actor) -> Newsletter:
    """Back to a draft: nothing goes at the scheduled time."""
    if newsletter.status is not NewsletterStatus.SCHEDULED:
        raise NewsletterError("This message is not scheduled")
    newsletter.status = NewsletterStatus.DRAFT
    newsletter.scheduled_for = None
    db.session.flush()
    record("newsletter.unscheduled", newsletter, actor=actor, area=newsletter.area)
    return newsletter


def withdraw(newsletter: Newsletter, *, actor, now: datetime | None = None) -> Newsletter:
    """Take a message that went out off the archive and stop the emails not yet sent (each is
    checked again just before it goes, and the fan-out stops at its next batch)."""
    if not newsletter.is_out:
        raise NewsletterError("Only a message that was sent can be withdrawn")
    newsletter.status = NewsletterStatus.WITHDRAWN
    newsletter.withdrawn_at = now or utcnow()
    db.session.flush()
    record("newsletter.withdrawn", newsletter, actor=actor, area=newsletter.area)
    return newsletter


#: the outbox's audience for each kind: who the send-time check lets have it. People who
#: answered a consultation need not be members (anyone signed in may answer a public one);
#: a members-only message still goes to members only (`queries.still_for`)
SEND_AUDIENCE = {
    AudienceKind.MEMBERS: "members",
    AudienceKind.PUBLIC: "public",
    AudienceKind.RESPONDERS: "personal",
}


# -- the fan-out job ------------------------------------------------------------------------


def _start_scheduled(now: datetime) -> None:
    due = list(
        db.session.scalars(
            select(Newsletter.id).where(
                Newsletter.status == NewsletterStatus.SCHEDULED,
                Newsletter.scheduled_for <= now,
            )
        )
    )
    db.session.commit()
    for newsletter_id in due:
        newsletter = db.session.get(Newsletter, newsletter_id, populate_existing=True)
        if newsletter is None:
            continue
        size = count_recipients(Audience.of(newsletter), now).total
        db.session.execute(
            update(Newsletter)
            .where(
                Newsletter.id == newsletter_id,
                Newsletter.status == NewsletterStatus.SCHEDULED,
                Newsletter.scheduled_for <= now,
            )
            .values(
                status=NewsletterStatus.SENDING,
                sent_at=now,
                audience_size=size,
                version=Newsletter.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def _claim_batch(newsletter: Newsletter, column, old: int, new: int, people: int) -> bool:
    """Move the cursor from `old` to `new`, only if nobody else has: the batch is ours."""
    result = db.session.execute(
        update(Newsletter)
        .where(
            Newsletter.id == newsletter.id,
            Newsletter.status == NewsletterStatus.SENDING,
            column == old,
        )
        .values({column: new, Newsletter.people_done: Newsletter.people_done + people})
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount == 1


def _fan_out_batch(newsletter: Newsletter, now: datetime, batch: int) -> int | None:
    """Queue one batch of the message in one transaction; how many were queued, or None when
    there was nobody left (the message is then marked sent)."""
    audience = Audience.of(newsletter)
    steps = [
        (
            select_user_recipients(audience, now),
            Newsletter.cursor_user_id,
            newsletter.cursor_user_id,
        ),
    ]
    subscribers = select_subscriber_recipients(audience, now)
    if subscribers is not None:
        steps.append(
            (subscribers, Newsletter.cursor_subscriber_id, newsletter.cursor_subscriber_id)
        )
    for stmt, column, old in steps:
        entity = stmt.column_descriptions[0]["entity"]
        people = list(db.session.scalars(stmt.where(entity.id > old).limit(batch)))
        if not people:
            continue
        if not _claim_batch(newsletter, column, old, people[-1].id, len(people)):
            db.session.rollback()  # another worker took this batch; look again
            return 0
        queued = notify_each(
            people,
            newsletter.area,
            audience.kind.topic,
            _mail(newsletter),
            audience=SEND_AUDIENCE[audience.kind],
            about=newsletter.about,
        )
        db.session.execute(
            update(Newsletter)
            .where(Newsletter.id == newsletter.id)
            .values(queued=Newsletter.queued + queued)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return queued
    db.session.execute(
        update(Newsletter)
        .where(
            Newsletter.id == newsletter.id,
            Newsletter.status == NewsletterStatus.SENDING,
            Newsletter.cursor_user_id == newsletter.cursor_user_id,
            Newsletter.cursor_subscriber_id == newsletter.cursor_subscriber_id,
        )
        .values(status=NewsletterStatus.SENT, fanned_out_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return None


def fan_out_due(now: datetime | None = None, batch: int = 1000) -> int:
    """The scheduled job (every minute): start the scheduled messages whose time has come,
    then queue every message being sent, `batch` people per transaction. Safe to run any
    number of times, at once on several machines: each batch is claimed by moving the
    message's cursor with a conditional UPDATE in the batch's own transaction. Returns how
    many emails and digest lines it queued. Commits."""
    now = now or utcnow()
    _start_scheduled(now)
    sending = list(
        db.session.scalars(
            select(Newsletter.id).where(Newsletter.status == NewsletterStatus.SENDING)
        )
    )
    db.session.commit()
    total = 0
    for newsletter_id in sending:
        while True:
            newsletter = db.session.get(Newsletter, newsletter_id, populate_existing=True)
            if newsletter is None or newsletter.status is not NewsletterStatus.SENDING:
                db.session.commit()
                break
            queued = _fan_out_batch(newsletter, now, batch)
            if queued is None:
                log.info("newsletter %s: every email queued", newsletter_id)
                break
            total += queued
    return total


#: people per transaction when the worker runs the fan-out: on SQLite a transaction holds the
#: database's write lock, and 250 emails take about a second to queue, so pages that write wait
#: at most that long (PostgreSQL only locks the newsletter row)
JOB_BATCH = 250


def fan_out_job(now: datetime) -> int:
    """`fan_out_due` as the worker runs it, every minute (job `mailings.newsletters`)."""
    return fan_out_due(now, batch=JOB_BATCH)
