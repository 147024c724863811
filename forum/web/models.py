"""The one table the web plumbing keeps: submission keys, which make a form's POST happen once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models import UTCDateTime, utcnow


class SubmissionKey(db.Model):
    """A form that was sent and acted on. The row is added in the same transaction as the
    change the form made, so two copies of the same POST racing each other cannot both make
    it: the second insert breaks the unique constraint and that request sends the person to
    `url` instead. Rows are purged a day after they are made (`purge_submission_keys`)."""

    __tablename__ = "submission_keys"
    __table_args__ = (
        UniqueConstraint("key", "owner", name="uq_submission_keys_key_owner"),
        Index("ix_submission_keys_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the random key the form carried in its hidden `submission_key` field
    key: Mapped[str] = mapped_column(String(64))
    #: who sent it: "user:<id>", or "session:<digest>" for someone not signed in (a digest of
    #: their session's CSRF secret, never the secret itself)
    owner: Mapped[str] = mapped_column(String(80))
    #: where the first submission sent the person; empty until its change is made
    url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
