"""What runs around every signed-in request: the idle timeout, the second factor staff must set
up before anything else, and "confirm it is you" before exports and role changes.

The session record itself is loaded with the user (see `queries.load_signed_in`, called by
Flask-Login's user loader), so a revoked session is simply not signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from forum.accounts.models import User
from forum.accounts.security import services as security
from forum.accounts.security.devices import describe
from forum.accounts.security.models import UserSession
from forum.accounts.security.permissions import needs_second_factor
from forum.accounts.security.queries import has_authenticator
from forum.database import READ_ONLY_METHODS
from forum.extensions import db
from forum.models import utcnow
from forum.web.htmx import redirect_after_post, wants_fragment

#: the Flask session key holding this browser's session secret
SESSION_KEY = "sid"
#: last_seen_at is written at most this often, not on every request
TOUCH_EVERY = timedelta(minutes=1)

#: what a signed-in person who still has to set up an authenticator app may open
SETUP_ENDPOINTS = frozenset(
    {
        "accounts.authenticator",
        "accounts.start_authenticator",
        "accounts.setup_authenticator",
        "accounts.recovery_codes",
        "accounts.recovery_codes_saved",
        "accounts.sign_out",
        "accounts.signed_out",
        "accounts.sign_in",
    }
)


def current_session() -> UserSession | None:
    """This browser's session record, when someone is signed in."""
    if not current_user.is_authenticated:
        return None
    return g.get("user_session")


def start_browser_session(user: User, *, second_factor: bool, keep_csrf: bool = False) -> None:
    """Sign `user` in on this browser with a fresh session (nothing from before carries over, so
    no fixation) and a new session record. The caller commits.

    After a password change the same person stays on the same device, so the CSRF token is
    kept: a second click on the old page then lands on the result instead of an error.
    """
    csrf = session.get("csrf_token") if keep_csrf else None
    session.clear()
    if csrf:
        session["csrf_token"] = csrf
    record, secret = security.start_session(
        user, device=describe(request.user_agent.string), second_factor=second_factor
    )
    session[SESSION_KEY] = secret
    g.user_session = record
    login_user(user)
    session.permanent = True


def end_browser_session() -> None:
    """Sign this browser out: its record goes, and the cookie is emptied. The caller commits."""
    record = current_session()
    if record is not None:
        security.end_session(record)
    logout_user()
    session.clear()
    g.pop("user_session", None)


def _send_to(url: str):
    if request.method != "GET" or wants_fragment():
        return redirect_after_post(url)
    return redirect(url)


def _here() -> str:
    return request.full_path.rstrip("?") if request.method == "GET" else request.path


def idle_limit(user) -> timedelta:
    """How long a session may sit unused: short for staff, whose pages hold named data."""
    if needs_second_factor(user):
        return timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    return timedelta(days=current_app.config["MEMBER_IDLE_DAYS"])


def _guard():
    if request.endpoint in (None, "static") or request.path.startswith("/static/"):
        return None
    record = current_session()
    if record is None:
        return None
    user = current_user._get_current_object()
    now = utcnow()
    idle = now - record.last_seen_at
    staff_idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    # Staff status costs the memberships query, so it is asked only when it decides something.
    if idle > staff_idle and idle > idle_limit(user):
        minutes = int(idle_limit(user).total_seconds() // 60)
        end_browser_session()
        db.session.commit()
        return _send_to(url_for("accounts.signed_out", idle=minutes, next=_here()))
    if idle >= TOUCH_EVERY:
        if request.method in READ_ONLY_METHODS:
            # A GET reads in a deferred transaction (forum/database.py): on SQLite a write
            # after those reads is refused at once ("database is locked", a 500) when anyone
            # has committed since they began. Ending the reads first lets the write begin its
            # own transaction (its first statement the UPDATE), which waits for the lock.
            record_id = record.id
            db.session.rollback()
            security.touch_by_id(record_id, now)
        else:
            security.touch(record, now)
        db.session.commit()
        # The cookie's expiry moves on with the record, at most once a minute: signing and
        # sending the cookie on every request cost more than anything else a short page does
        # (SESSION_REFRESH_EACH_REQUEST is off).
        session.modified = True
    if record.second_factor_at is None and needs_second_factor(user):
        if request.endpoint in SETUP_ENDPOINTS or request.blueprint == "web":
            return None
        if has_authenticator(user):
            # The app was switched on after this session began without it: sign in again.
            end_browser_session()
            db.session.commit()
            return _send_to(url_for("accounts.sign_in", next=_here()))
        return _send_to(url_for("accounts.authenticator", next=_here()))
    return None


def init_app(app: Flask) -> None:
    app.before_request(_guard)


def recently_authenticated(back: Callable[..., str] | None = None) -> Callable:
    """Ask the person to confirm it is them (password or code) unless they did in the last
    REAUTH_MINUTES, then bring them back: to this page, or for a POST to `back(**kwargs)` (the
    page the form was on), or to this same address when it also answers GET.

    Goes inside `@access`, so people who may not do the thing at all get 403, not this.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            record = current_session()
            window = timedelta(minutes=current_app.config["REAUTH_MINUTES"])
            if record is not None and utcnow() - record.authenticated_at <= window:
                return view(*args, **kwargs)
            target = back(**kwargs) if back is not None and request.method != "GET" else _here()
            return _send_to(url_for("accounts.reauthenticate", next=target))

        return wrapper

    return decorator
