"""A form's POST happens once, however many copies of it arrive and however close together.

Every rendered form carries a random `submission_key` (`BaseForm`). The view claims the key by
inserting a `SubmissionKey` row in the same transaction as the change the form makes, and
writes where the person was sent on it before committing. A second copy of the same POST
(a double click, a refresh, three tabs sent at once) either finds the finished row and
redirects there, or, when it races the first, fails the unique constraint on (key, owner),
waits for the first to commit and redirects to where the first went. The guard lives in the
database, so it holds across processes and machines, unlike one kept in the session cookie.

A POST without a key (an older page, a script) is handled as it always was: no row, no guard.
Rows are kept for a day (`KEEP`) and purged by `purge_submission_keys`, which the outbox
worker runs with the other periodic purges.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import cast

from flask import g, session
from flask_login import current_user
from sqlalchemy import CursorResult, Index, String, UniqueConstraint, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import Upsert
from forum.extensions import db
from forum.models import UTCDateTime, utcnow

#: how long a used key is remembered: long enough for any back button or retry
KEEP = timedelta(days=1)
#: what a key may look like; anything else is treated as no key at all
_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class SubmissionKey(db.Model):  # type: ignore[name-defined]  # a base from an attribute, python/mypy#8603
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


class Lost:
    """The outcome of a claim that another copy of the same POST won: `url` is where that
    one sent the person (None when it has not said, so the form is shown with a message)."""

    def __init__(self, url: str | None):
        self.url = url


def usable(key: str | None) -> str | None:
    """`key` if it looks like a key this app made, else None."""
    if key and _KEY.match(key):
        return key
    return None


def owner() -> str:
    """Whose submission this is: the signed-in person, else this browser session."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    secret = session.get("csrf_token") or ""
    digest = hashlib.sha256(f"submission-owner:{secret}".encode()).hexdigest()[:40]
    return f"session:{digest}"


def _row(key: str) -> SubmissionKey | None:
    return db.session.scalar(
        select(SubmissionKey).where(SubmissionKey.key == key, SubmissionKey.owner == owner())
    )


def done_url(key: str | None) -> str | None:
    """Where the finished submission of `key` sent the person, or None if there is none."""
    key = usable(key)
    if key is None:
        return None
    row = _row(key)
    return row.url if row is not None else None


def claim(key: str | None) -> Lost | None:
    """Claim `key` in the current transaction: None when this request may go ahead (or the
    form had no key), `Lost` when another copy of the same POST got there first."""
    key = usable(key)
    if key is None:
        return None
    try:
        with db.session.begin_nested():
            db.session.add(SubmissionKey(key=key, owner=owner()))
        g.claimed_submission = key
    except IntegrityError:
        # The other copy has committed (PostgreSQL makes this insert wait for it); read where
        # it went.
        row = _row(key)
        return Lost(row.url if row is not None else None)
    return None


#: a finished form's key, with the page it led to, built once for each engine
_RECORD = Upsert(SubmissionKey, key=("key", "owner"), replace=("url",))


def finish(key: str | None, url: str) -> None:
    """Record where the submission of `key` sent the person. After `claim`, on the claimed
    row in the current transaction, which the view commits with its change. A view that did
    not claim first (it may already have committed its change) gets the record committed here,
    with whatever the transaction holds."""
    key = usable(key)
    if key is None:
        return
    claimed = g.get("claimed_submission") == key
    who = owner()
    if claimed:
        result = db.session.execute(
            update(SubmissionKey)
            .where(SubmissionKey.key == key, SubmissionKey.owner == who)
            .values(url=url[:1000])
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult, result).rowcount:  # an UPDATE gives a CursorResult
            return
    # No row of ours: there is one only if a copy of the same POST made it. One upsert, not
    # an UPDATE that finds nothing followed by a savepoint and an INSERT.
    _RECORD.run(db.session, key=key, owner=who, url=url[:1000], created_at=utcnow())
    if not claimed:
        db.session.commit()


def purge_submission_keys(now: datetime) -> int:
    """Delete keys older than `KEEP`; returns how many. The caller commits."""
    result = db.session.execute(
        delete(SubmissionKey)
        .where(SubmissionKey.created_at < now - KEEP)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount
