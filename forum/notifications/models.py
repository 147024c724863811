"""The outbox table.

A row's body is kept only as long as it is useful: the links in it that work as secrets
(reset, verification and email-change links) are replaced once the email is sent or given up
on, and the subject and body are emptied `OUTBOX_KEEP_DAYS` after that, leaving who it went to,
what kind it was, when, and how it went, until the row is deleted `OUTBOX_RECORD_DAYS` after
sending (`services.purge_sent`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow
from forum.notifications.topics import Frequency, Topic


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    #: the same email as HTML (`rendering.render_email`); null on rows queued before there was one
    body_html: Mapped[str | None] = mapped_column(Text)
    #: files sent with it (a JSON list of {"filename", "content_type", "text"}: text files
    #: only, such as an event's .ics); emptied with the body
    attachments: Mapped[str | None] = mapped_column(Text)
    #: kind of message, e.g. "verify_email"; for counts, never the body
    kind: Mapped[str] = mapped_column(String(40), default="general")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: not tried again before this time (backoff after a failure)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    #: a worker owns the row until this time; another may take it only after
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: after too many failures the row is parked here and not tried again
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    #: the strings in the body that work as secrets (a JSON list), until they are scrubbed
    #: from it after sending; then NULL
    secret_values: Mapped[str | None] = mapped_column(Text)
    #: when the subject and body were emptied (the row is kept a while longer as a record)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the address and the body are blanked once the message is sent (or given up on): for
    #: emails to people who have no account, whose address is not to be kept
    is_forgotten_once_sent: Mapped[bool] = mapped_column(default=False)

    # -- who an optional email is for, checked again when it is sent (`services.may_send`) --
    #: the kind of optional email (a `Topic`); null for a service email nobody can turn off
    topic: Mapped[Topic | None] = mapped_column(str_enum(Topic, 20))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_subscribers.id", ondelete="CASCADE"), index=True
    )
    #: "members" when only the area's active members may have it, "public" when its
    #: subscribers may too; null for service emails
    audience: Mapped[str | None] = mapped_column(String(10))
    #: what the email is about, for the send-time check that the person may still see it
    #: (for example "consultation:12" or "newsletter:3"); null when it is about nothing
    about: Mapped[str | None] = mapped_column(String(60))
    #: set instead of `sent_at` when the check at sending said no (left the forum, turned
    #: the topic off, address undeliverable …), with the reason in `last_error`
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def message_id(self) -> str:
        return f"<outbox-{self.id}@coproduce>"


class EmailAddressStatus(db.Model):
    """How delivery to one address has gone, once a receiving server refused an email to it
    for good (a 5xx reply). No row means nothing is known against the address; a successful
    send deletes the row. After `services.UNDELIVERABLE_AFTER` refusals the address is
    marked undeliverable and gets no more email, except what the person asks for just then
    (`services.SENT_EVEN_IF_UNDELIVERABLE`), until they change it or ask to try it again."""

    __tablename__ = "email_address_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower-cased
    address: Mapped[str] = mapped_column(String(254), unique=True)
    #: refusals in a row since the last successful send
    permanent_failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: set after too many refusals: nothing more is sent here until it is cleared
    undeliverable_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the receiving server's last reply, shortened (says why, never the email)
    last_error: Mapped[str | None] = mapped_column(String(200))

    @property
    def is_undeliverable(self) -> bool:
        return self.undeliverable_at is not None


class Subscriber(db.Model):
    """Someone without an account who asked for an area's public announcements. They are a
    subscriber once they follow the link emailed to them (`confirmed_at`); until then they
    get nothing but that email, and an unconfirmed row is deleted after a few days."""

    __tablename__ = "email_subscribers"
    __table_args__ = (UniqueConstraint("area_id", "email", name="uq_email_subscribers_area_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    #: lower-cased
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: a digest of the secret in the confirmation link; null once confirmed
    confirm_digest: Mapped[str | None] = mapped_column(String(64), unique=True)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class EmailPreference(db.Model):
    """How often one person (an account or a subscriber) wants one topic from one area. No
    row means the topic's default (`Topic.default`)."""

    __tablename__ = "email_preferences"
    __table_args__ = (
        UniqueConstraint("area_id", "user_id", "topic", name="uq_email_preferences_user"),
        UniqueConstraint(
            "area_id", "subscriber_id", "topic", name="uq_email_preferences_subscriber"
        ),
        CheckConstraint(
            "(user_id IS NULL) <> (subscriber_id IS NULL)", name="email_preference_has_one_person"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_subscribers.id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[Topic] = mapped_column(str_enum(Topic, 20))
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, 12))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DigestItem(db.Model):
    """One thing a person chose to have in their daily or weekly email instead of on its own.
    The digest job gathers a person's unsent items, checks again that they may see each one
    (`about`, `audience`), and sends one email, or nothing if none is left."""

    __tablename__ = "email_digest_items"
    __table_args__ = (
        Index("ix_email_digest_items_due", "frequency", "sent_at", "user_id", "subscriber_id"),
        CheckConstraint(
            "(user_id IS NULL) <> (subscriber_id IS NULL)", name="digest_item_has_one_person"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_subscribers.id", ondelete="CASCADE")
    )
    topic: Mapped[Topic] = mapped_column(str_enum(Topic, 20))
    #: daily or weekly: the person's choice when the item was made
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, 12))
    #: one line for the digest (the subject the email would have had)
    title: Mapped[str] = mapped_column(String(200))
    #: a few plain sentences, no more than the email itself would have said
    summary: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500))
    audience: Mapped[str] = mapped_column(String(10), default="members")
    about: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: when it went out in a digest, or was dropped because the person may no longer see it
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
