"""Writing sessions, authenticators and recovery codes. Each function flushes; the caller commits.

A session record is made at sign-in and deleted at sign-out, when it is revoked from the "your
sessions" page, when it has been idle too long, and (every one of a person's) by
`forum.accounts.services.end_all_sessions`.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, or_, select, update

from forum.accounts.models import User
from forum.accounts.passwords import verify_password
from forum.accounts.queries import digest
from forum.accounts.security import totp
from forum.accounts.security.models import Authenticator, RecoveryCode, UserSession
from forum.accounts.security.permissions import can_turn_off_authenticator
from forum.accounts.security.queries import authenticator_of
from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import queue_email


class SecurityError(Refused):
    """A code or password was not right, or a step was not allowed; safe to show."""


WRONG_CODE = "Enter the 6-digit code shown in your authenticator app now"
WRONG_RECOVERY_CODE = "Enter one of your recovery codes that has not been used yet"


def _secret_key() -> str:
    return current_app.config["SECRET_KEY"]


# --- sessions ------------------------------------------------------------------------------


def start_session(
    user: User, *, device: str, second_factor: bool, now: datetime | None = None
) -> tuple[UserSession, str]:
    """A new session record; returns it and the secret for the cookie (kept nowhere else)."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(32)
    session = UserSession(
        user_id=user.id,
        token_digest=digest(secret),
        created_at=now,
        last_seen_at=now,
        authenticated_at=now,
        second_factor_at=now if second_factor else None,
        device=device[:120],
    )
    db.session.add(session)
    db.session.flush()
    return session, secret


def end_session(session: UserSession) -> None:
    db.session.delete(session)
    db.session.flush()


def end_every_session(user: User) -> None:
    """Delete every session record of the person (see accounts.services.end_all_sessions)."""
    for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        db.session.delete(row)
    db.session.flush()


def end_other_sessions(user: User, keep: UserSession) -> int:
    """Sign the person out on every browser but this one; returns how many were ended."""
    others = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.id != keep.id)
    ).all()
    for row in others:
        db.session.delete(row)
    db.session.flush()
    ended = len(others)
    if ended:
        record("account.other_sessions_ended", user, actor=user, count=ended)
    return ended


def purge_idle_sessions(now: datetime | None = None) -> int:
    """Delete the records of sessions nobody has used for MEMBER_IDLE_DAYS (longer than any
    session may rest), for browsers that never came back to be signed out. Returns how many."""
    from datetime import timedelta

    cutoff = (now or utcnow()) - timedelta(days=current_app.config["MEMBER_IDLE_DAYS"])
    result = db.session.execute(
        delete(UserSession)
        .where(UserSession.last_seen_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def revoke_session(user: User, session: UserSession) -> None:
    """Sign out one of the person's browsers from another."""
    if session.user_id != user.id:
        raise SecurityError("That is not one of your sessions")
    db.session.delete(session)
    record("account.session_ended", user, actor=user, device=session.device)
    db.session.flush()


def touch(session: UserSession, now: datetime) -> None:
    session.last_seen_at = now
    db.session.flush()


def touch_by_id(session_id: int, now: datetime) -> None:
    """`touch` as one UPDATE that reads nothing first (the guard's, on a GET)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_id)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def note_authenticated(session: UserSession) -> None:
    """The person has just proved who they are on this session."""
    session.authenticated_at = utcnow()
    db.session.flush()


# --- the authenticator app -----------------------------------------------------------------


def begin_authenticator(user: User) -> str:
    """A new secret for the person to put in their app, not yet switched on. Starting again
    replaces a secret that was never confirmed; one that is on stays on until confirmed anew.
    Returns the secret."""
    secret = totp.new_secret()
    sealed = totp.seal(secret, _secret_key())
    existing = authenticator_of(user)
    if existing is not None and existing.enabled_at is None:
        existing.secret_sealed = sealed
        existing.created_at = utcnow()
        existing.last_step = None
    elif existing is None:
        db.session.add(Authenticator(user_id=user.id, secret_sealed=sealed))
    else:
        raise SecurityError("Your authenticator app is already set up")
    db.session.flush()
    return secret


def pending_secret(user: User) -> str | None:
    """The secret being set up (not yet confirmed), to show again on the setup page."""
    found = authenticator_of(user)
    if found is None or found.enabled_at is not None:
        return None
    return totp.unseal(found.secret_sealed, _secret_key())


def secret_of(authenticator: Authenticator) -> str | None:
    return totp.unseal(authenticator.secret_sealed, _secret_key())


def _accept_code(authenticator: Authenticator, code: str) -> bool:
    secret = secret_of(authenticator)
    if secret is None:
        return False
    step = totp.matching_step(secret, code, after=authenticator.last_step)
    if step is None:
        return False
    # A conditional UPDATE, so two requests with the same code at the same moment cannot both
    # get in: only one of them moves the step on.
    result = db.session.execute(
        update(Authenticator)
        .where(
            Authenticator.id == authenticator.id,
            or_(Authenticator.last_step.is_(None), Authenticator.last_step < step),
        )
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        return False
    authenticator.last_step = step
    db.session.flush()
    return True


def confirm_authenticator(user: User, code: str, *, session: UserSession) -> list[str]:
    """Switch the app on once it shows the right code. This session counts as having passed
    the second step; the person's other sessions end (they had only a password behind them).
    Returns the new recovery codes, shown once."""
    found = authenticator_of(user)
    if found is None or found.enabled_at is not None:
        raise SecurityError("Start setting up your authenticator app again", field="code")
    if not _accept_code(found, code):
        raise SecurityError(WRONG_CODE, field="code")
    now = utcnow()
    found.enabled_at = now
    session.second_factor_at = now
    session.authenticated_at = now
    end_other_sessions(user, session)
    codes = new_recovery_codes(user, session=session, announce=False)
    record("account.authenticator_on", user, actor=user)
    queue_email(user.email, "authenticator_on", kind="authenticator_on", user=user)
    return codes


def check_code(user: User, code: str) -> bool:
    """Whether `code` is a fresh code from the person's switched-on app (it is then used up)."""
    found = authenticator_of(user)
    if found is None or found.enabled_at is None:
        return False
    return _accept_code(found, code)


def turn_off_authenticator(user: User) -> None:
    """Voluntary users may stop using an app; staff may not (they would only be asked again)."""
    if not can_turn_off_authenticator(user):
        raise SecurityError(
            "You run or respond for a forum, so your account must keep an authenticator app"
        )
    remove_authenticator(user)
    record("account.authenticator_off", user, actor=user)
    queue_email(user.email, "authenticator_off", kind="authenticator_off", user=user)


def replace_authenticator(user: User) -> str:
    """Start setting up a different app (a new phone, or a secret that can no longer be read
    after SECRET_KEY changed): the old app and its recovery codes stop working now, and this
    session stays as it is while the new one is set up. Returns the new secret."""
    _delete_app_and_codes(user)
    record("account.authenticator_replaced", user, actor=user)
    return begin_authenticator(user)


def reset_authenticator(user: User, *, actor: User | None = None) -> None:
    """For someone who lost their phone and their recovery codes, once the platform's operator
    is sure who they are (`flask accounts reset-authenticator`): the app and codes go, and
    every session ends. Staff are asked to set up an app again when they next sign in."""
    remove_authenticator(user)
    from forum.accounts.services import end_all_sessions

    end_all_sessions(user)
    record("account.authenticator_reset", user, actor=actor)
    queue_email(user.email, "authenticator_off", kind="authenticator_off", user=user)


def remove_authenticator(user: User) -> None:
    """The person's app and recovery codes go, and no session of theirs counts as having passed
    the second step. Records nothing: callers say why (turned off, reset, account deleted)."""
    _delete_app_and_codes(user)
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id)
        .values(second_factor_at=None, unseen_codes=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


def _delete_app_and_codes(user: User) -> None:
    db.session.execute(
        delete(Authenticator)
        .where(Authenticator.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


# --- recovery codes ------------------------------------------------------------------------


def new_recovery_codes(user: User, *, session: UserSession, announce: bool = True) -> list[str]:
    """Ten new single-use codes; earlier ones stop working. Only digests are stored; the codes
    themselves are kept, sealed, on this session until the person says they have saved them."""
    db.session.execute(
        delete(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    codes = [totp.new_recovery_code() for _ in range(totp.RECOVERY_COUNT)]
    for code in codes:
        normalised = totp.normalise_recovery_code(code)
        assert normalised is not None  # made from the same alphabet
        db.session.add(
            RecoveryCode(user_id=user.id, code_digest=totp.recovery_digest(user.id, normalised))
        )
    session.unseen_codes = totp.seal(json.dumps(codes), _secret_key())
    db.session.flush()
    if announce:
        record("account.recovery_codes_made", user, actor=user)
    return codes


def unseen_codes(session: UserSession) -> list[str]:
    if not session.unseen_codes:
        return []
    opened = totp.unseal(session.unseen_codes, _secret_key())
    return list(json.loads(opened)) if opened else []


def codes_saved(session: UserSession) -> None:
    session.unseen_codes = None
    db.session.flush()


def use_recovery_code(user: User, typed: str) -> bool:
    """Use up a recovery code; False if it is not one of the person's unused codes."""
    normalised = totp.normalise_recovery_code(typed)
    if normalised is None:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_digest == totp.recovery_digest(user.id, normalised),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    # The UPDATE's own condition makes the use single, even for two requests at once.
    if not getattr(result, "rowcount", 0):
        return False
    record("account.recovery_code_used", user, actor=user)
    queue_email(user.email, "recovery_code_used", kind="recovery_code_used", user=user)
    db.session.flush()
    return True


# --- confirming it is you ------------------------------------------------------------------


def reauthenticate(
    user: User, session: UserSession, *, password: str | None, code: str | None
) -> None:
    """Prove again who you are, with your password or a fresh authenticator code."""
    if code:
        if not check_code(user, code):
            raise SecurityError(WRONG_CODE, field="code")
    elif not (password and verify_password(user.password_hash, password)):
        raise SecurityError("Your password is not right", field="password")
    note_authenticated(session)
