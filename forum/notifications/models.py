"""The outbox table.

A row's body is kept only as long as it is useful: the links in it that work as secrets
(reset, verification and email-change links) are replaced once the email is sent or given up
on, and the subject and body are emptied `OUTBOX_KEEP_DAYS` after that, leaving who it went to,
what kind it was, when, and how it went, until the row is deleted `OUTBOX_RECORD_DAYS` after
sending (`services.purge_sent`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
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

    @property
    def message_id(self) -> str:
        return f"<outbox-{self.id}@coproduce>"
