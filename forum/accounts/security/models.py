"""Sessions held on the server, authenticator apps and recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, utcnow


class UserSession(db.Model):
    """One signed-in browser. The cookie holds a random secret; only its digest is kept here, so
    this table cannot be used to take over a session. Deleting the row signs that browser out.
    """

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_seen", "user_id", "last_seen_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: hex SHA-256 of the secret in the session cookie
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the last request, to the minute (an idle session ends; see security.guard)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the last time the person proved who they are here (password or code): exports and role
    #: changes ask again when this is old
    authenticated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: when this session passed the second step (an authenticator code or a recovery code);
    #: null for a session signed in with a password alone
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: "Firefox on Windows": worked out from the browser's User-Agent at sign-in, never the
    #: raw string and never the address
    device: Mapped[str] = mapped_column(String(120), default="")
    #: recovery codes made in this session and not yet acknowledged, encrypted; shown on this
    #: session's recovery codes page until the person says they have saved them
    unseen_codes: Mapped[str | None] = mapped_column(Text)

    user = relationship("User")


class Authenticator(db.Model):
    """A person's authenticator app (TOTP, RFC 6238). One per person. Until `enabled_at` is set
    it is only being set up, and signing in does not ask for it."""

    __tablename__ = "authenticators"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: the shared secret, encrypted with a key derived from SECRET_KEY (see security.totp)
    secret_sealed: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the 30-second step of the last code accepted: that code and earlier ones are refused
    last_step: Mapped[int | None] = mapped_column(BigInteger)

    user = relationship("User")


class RecoveryCode(db.Model):
    """A single-use code for when the authenticator app is lost. Only a digest is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: hex SHA-256 of the user's id and the code
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
