"""Reading accounts."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from forum.accounts.models import AccountToken, TokenPurpose, User
from forum.extensions import db
from forum.models import utcnow


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def display_names(ids) -> dict[int | None, str]:
    """People's display names by id, for the ids given (None and 0 are left out, so a lookup of
    either finds nothing and takes the caller's default)."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def get_by_session_id(session_id: str) -> User | None:
    """The user whose id and current session token match what the cookie holds."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token:
        return None
    return user


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def get_live_token(secret: str, purpose: TokenPurpose) -> AccountToken | None:
    """An unused, unexpired token for this purpose, or None."""
    if not secret or len(secret) > 200:
        return None
    token = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_digest == digest(secret), AccountToken.purpose == purpose
        )
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token
