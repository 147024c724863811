"""Writing accounts. Each function flushes and returns; the caller commits."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from forum.accounts.models import AccountToken, TokenPurpose, User, new_session_token
from forum.accounts.passwords import (
    hash_password,
    needs_rehash,
    verify_nothing,
    verify_password,
)
from forum.accounts.queries import digest, get_by_email, normalise_email
from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import queue_email
from forum.web.urls import external_url


class AccountError(Refused):
    """A rule about accounts was broken; the message is safe to show."""


ADDRESS_TAKEN = "Another account now uses that email address, so yours cannot move to it"


def retire_tokens(user: User, *purposes: TokenPurpose) -> None:
    """Earlier unused links of these purposes stop working."""
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose.in_(purposes),
            AccountToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _retire_credential_links(user: User) -> None:
    """After the password or address changes, no link sent before may change either."""
    retire_tokens(user, TokenPurpose.RESET_PASSWORD, TokenPurpose.CHANGE_EMAIL)


def issue_token(
    user: User, purpose: TokenPurpose, lifetime: timedelta, *, new_email: str | None = None
) -> str:
    """Make a new single-use token, retiring earlier unused ones of the same purpose."""
    retire_tokens(user, purpose)
    secret = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_digest=digest(secret),
            expires_at=utcnow() + lifetime,
            new_email=new_email,
        )
    )
    db.session.flush()
    return secret


def _email_token(
    user: User,
    purpose: TokenPurpose,
    endpoint: str,
    *,
    to: str | None = None,
    new_email: str | None = None,
    link_values: dict | None = None,
    **lifetime: int,
) -> None:
    """Issue a `purpose` token lasting `lifetime` (hours= or minutes=, also shown in the email)
    and email its link (`endpoint`, with any `link_values` in its query) to `to` (the account's
    address unless given); the email's template is named after the purpose."""
    secret = issue_token(user, purpose, timedelta(**lifetime), new_email=new_email)
    link = external_url(endpoint, token=secret, **(link_values or {}))
    queue_email(
        to or user.email,
        purpose.value,
        kind=purpose.value,
        # the link is removed from the outbox's copy once sent, so no usable token is stored
        secrets=(link, secret),
        user=user,
        link=link,
        hours=lifetime.get("hours"),
        minutes=lifetime.get("minutes"),
    )


def send_verification(user: User, *, next_url: str | None = None) -> None:
    """Email a link confirming the address. `next_url` (a same-site path the caller has
    checked) rides along in the link, so that someone who registered from a consultation is
    taken back to it once they have confirmed and signed in."""
    hours = current_app.config["VERIFY_TOKEN_HOURS"]
    _email_token(
        user,
        TokenPurpose.VERIFY_EMAIL,
        "accounts.verify_email",
        link_values={"next": next_url} if next_url else None,
        hours=hours,
    )


def register(
    *,
    email: str,
    display_name: str,
    password: str,
    is_admin: bool = False,
    verified: bool = False,
    next_url: str | None = None,
) -> User | None:
    """Create an account and email a verification link.

    If the email already has an account, nothing is created and the owner is told by email
    instead, so the web page looks the same either way. The password is hashed either way
    (argon2id is most of the time this takes), so the time taken does not tell either.
    Returns the new user or None.
    """
    email = normalise_email(email)
    password_hash = hash_password(password)
    existing = get_by_email(email)
    if existing is not None:
        queue_email(
            existing.email,
            "already_registered",
            kind="already_registered",
            user=existing,
            link=external_url("accounts.forgot_password"),
        )
        return None
    user = User(
        email=email,
        display_name=display_name,
        password_hash=password_hash,
        is_admin=is_admin,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    record("account.registered", user, actor=user)
    if not verified:
        send_verification(user, next_url=next_url)
    return user


def verify_email(token: AccountToken) -> User:
    token.used_at = utcnow()
    user = token.user
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        record("account.verified", user, actor=user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the password matches; None otherwise, taking the same time either way."""
    user = get_by_email(email)
    if user is None:
        verify_nothing(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def note_sign_in(user: User) -> None:
    user.last_signed_in_at = utcnow()
    db.session.flush()


def end_all_sessions(user: User) -> None:
    """Every session cookie of this user stops working, on every device, and a sign-in waiting
    for its code cannot finish."""
    from forum.accounts.security.services import end_every_session

    user.session_token = new_session_token()
    end_every_session(user)
    db.session.flush()


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; do nothing visible otherwise."""
    user = get_by_email(email)
    if user is None:
        return
    minutes = current_app.config["RESET_TOKEN_MINUTES"]
    _email_token(user, TokenPurpose.RESET_PASSWORD, "accounts.reset_password", minutes=minutes)


def reset_password(token: AccountToken, new_password: str) -> User:
    user = token.user
    token.used_at = utcnow()
    user.password_hash = hash_password(new_password)
    _retire_credential_links(user)
    # Following the emailed link proves the address too.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    end_all_sessions(user)
    record("account.password_reset", user, actor=user)
    queue_email(user.email, "password_changed", kind="password_changed", user=user)
    return user


def change_password(user: User, current: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not right")
    user.password_hash = hash_password(new_password)
    _retire_credential_links(user)
    end_all_sessions(user)
    record("account.password_changed", user, actor=user)
    queue_email(user.email, "password_changed", kind="password_changed", user=user)


def update_profile(user: User, *, display_name: str) -> None:
    if display_name != user.display_name:
        user.display_name = display_name
        record("account.profile_updated", user, actor=user)
    db.session.flush()


def change_email(user: User, *, new_email: str, password: str) -> None:
    """Email a link to the new address; the account keeps its old address until it is followed.

    The old address is told a change was asked for. Nothing is said on the page or to the
    owner when the new address is taken: `confirm_email_change` refuses it then.
    """
    if not verify_password(user.password_hash, password):
        raise AccountError("Your password is not right")
    new_email = normalise_email(new_email)
    if new_email == user.email or get_by_email(new_email) is not None:
        return
    hours = current_app.config["VERIFY_TOKEN_HOURS"]
    _email_token(
        user,
        TokenPurpose.CHANGE_EMAIL,
        "accounts.confirm_email_change",
        to=new_email,
        new_email=new_email,
        hours=hours,
    )
    queue_email(user.email, "email_change_requested", kind="email_change_requested", user=user)
    record("account.email_change_requested", user, actor=user)


def confirm_email_change(token: AccountToken) -> User:
    """Move the account to the address the link was sent to, which following it proves."""
    user = token.user
    new_email = token.new_email or ""
    if get_by_email(new_email) is not None:
        raise AccountError(ADDRESS_TAKEN)
    token.used_at = utcnow()
    old = user.email
    user.email = new_email
    user.email_verified_at = utcnow()
    _retire_credential_links(user)
    db.session.flush()
    record("account.email_changed", user, actor=user)
    queue_email(old, "email_changed", kind="email_changed", user=user)
    return user
