"""Reading sessions, authenticators and recovery codes."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.accounts.queries import digest
from forum.accounts.security.models import Authenticator, RecoveryCode, UserSession
from forum.extensions import db


@cache
def _signed_in() -> Select:
    """Built once (on first use, when every model is known): every signed-in request sends it,
    and building it cost as much as running it. The person's memberships come in the same
    statement (a row for each), since nearly every page asks where they stand in its area
    (forum/areas/permissions.py): one round trip, not two."""
    return (
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .options(joinedload(User.memberships))
        .where(
            User.id == bindparam("user_id"),
            User.session_token == bindparam("token"),
            UserSession.token_digest == bindparam("digest"),
        )
    )


def load_signed_in(session_id: str, secret: str | None) -> tuple[User, UserSession] | None:
    """The user and their session record, if the cookie's user id, account session token and
    session secret all still match, with the person's memberships: one statement."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token or not secret or len(secret) > 200:
        return None
    row = (
        db.session.execute(
            _signed_in(), {"user_id": int(user_id), "token": token, "digest": digest(secret)}
        )
        .unique()
        .first()
    )
    return (row[0], row[1]) if row is not None else None


def sessions_of(user: User) -> list[UserSession]:
    """The person's signed-in browsers, the most recently used first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def get_session_of(user: User, session_id: int) -> UserSession | None:
    return db.session.scalar(
        select(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id)
    )


def authenticator_of(user: User) -> Authenticator | None:
    """The person's authenticator, switched on or still being set up."""
    return db.session.scalar(select(Authenticator).where(Authenticator.user_id == user.id))


def has_authenticator(user: User) -> bool:
    found = authenticator_of(user)
    return found is not None and found.enabled_at is not None


def recovery_codes_left(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )
