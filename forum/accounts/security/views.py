"""Pages for the second step of signing in, the authenticator app and recovery codes, confirming
it is you, "your sessions", and being signed out after a rest."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

from flask import current_app, flash, g, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from forum.accounts import bp
from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.accounts.notices import after_sign_in, landing
from forum.accounts.security import services as security
from forum.accounts.security import totp
from forum.accounts.security.forms import CodeForm, ReauthenticateForm, RecoveryCodeForm
from forum.accounts.security.guard import (
    current_session,
    end_browser_session,
    idle_limit,
    recently_authenticated,
    start_browser_session,
)
from forum.accounts.security.permissions import can_turn_off_authenticator, needs_second_factor
from forum.accounts.security.queries import (
    authenticator_of,
    get_session_of,
    has_authenticator,
    recovery_codes_left,
    sessions_of,
)
from forum.extensions import db, limiter
from forum.models import utcnow
from forum.web.auth import public, safe_next, signed_in
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post
from forum.web.security import private
from forum.web.submit import form_page

#: the Flask session key for a sign-in that has passed the password and waits for a code
PENDING = "second_step"
#: failed codes for one account, from any address (as for passwords in accounts.views)
CODE_LIMIT = "10 per 5 minutes"


def auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


def begin_second_step(user: User, next_url: str) -> None:
    """The password was right and the person has an app: remember that, for a few minutes, in a
    fresh cookie that signs no one in."""
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "token": user.session_token,
        "at": int(time.time()),
        "next": next_url,
    }


def _pending() -> tuple[User, str] | None:
    """The person half-way through signing in, if that began recently and still stands."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    minutes = current_app.config["SECOND_STEP_MINUTES"]
    if int(time.time()) - int(pending.get("at", 0)) > minutes * 60:
        return None
    user = db.session.get(User, int(pending.get("user", 0)))
    if user is None or user.session_token != pending.get("token"):
        return None
    return user, safe_next(pending.get("next"), "")


def _pending_key() -> str:
    pending = session.get(PENDING)
    who = str(pending.get("user")) if isinstance(pending, dict) else "none"
    key = current_app.config["SECRET_KEY"].encode()
    return "sign-in-code:account:" + hmac.new(key, who.encode(), hashlib.sha256).hexdigest()


def _code_failed(response) -> bool:
    return bool(g.get("sign_in_failed"))


def _finish_sign_in(user: User, next_url: str):
    accounts.note_sign_in(user)
    start_browser_session(user, second_factor=True)
    db.session.commit()
    after_sign_in(user)
    return redirect_after_post(landing(user, next_url))


def _start_again():
    session.pop(PENDING, None)
    flash("Signing in took too long. Enter your email address and password again.", "error")
    return redirect_after_post(url_for("accounts.sign_in"))


def _second_step(form, template: str, accept: Callable[[User, str], str | None], wrong: str):
    """The second step of signing in, with a code of one kind: `accept(user, code)` uses the
    code up and returns what to tell the person (or None if the code is not right)."""
    if current_user.is_authenticated:
        return redirect_after_post(url_for("areas.index"))
    pending = _pending()
    if pending is None:
        return _start_again()
    user, next_url = pending
    if form.validate_on_submit():
        said = accept(user, form.code.data)
        if said is not None:
            response = _finish_sign_in(user, next_url)
            if said:
                flash(said, "success")
            return response
        db.session.rollback()
        g.sign_in_failed = True
        form.code.errors = [wrong]
    return form_page(template, form)


def _app_code(user: User, code: str) -> str | None:
    return "" if security.check_code(user, code) else None


def _recovery_code(user: User, code: str) -> str | None:
    if not security.use_recovery_code(user, code):
        return None
    return _codes_left_message(recovery_codes_left(user))


#: both kinds of code are limited per address, and failures per account from any address
second_step_limits = (
    limiter.limit(auth_limit, methods=["POST"]),
    limiter.limit(CODE_LIMIT, methods=["POST"], key_func=_pending_key, deduct_when=_code_failed),
)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@second_step_limits[0]
@second_step_limits[1]
@public
@private
def sign_in_code():
    return _second_step(
        CodeForm(), "accounts/security/sign_in_code.html", _app_code, security.WRONG_CODE
    )


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@second_step_limits[0]
@second_step_limits[1]
@public
@private
def sign_in_recovery():
    return _second_step(
        RecoveryCodeForm(),
        "accounts/security/sign_in_recovery.html",
        _recovery_code,
        security.WRONG_RECOVERY_CODE,
    )


def _codes_left_message(left: int) -> str:
    words = f"You have {left} recovery code{'' if left == 1 else 's'} left."
    if left <= 3:
        words += " Make new ones on your authenticator app page, so you are not locked out."
    return words


@bp.get("/signed-out")
@public
def signed_out():
    idle = request.args.get("idle", "")
    minutes = int(idle) if idle.isdigit() and len(idle) < 7 else None
    next_url = safe_next(request.args.get("next"), url_for("areas.index"))
    return render_template("accounts/security/signed_out.html", minutes=minutes, next_url=next_url)


# --- the authenticator app -----------------------------------------------------------------


def _next() -> str:
    return safe_next(request.values.get("next"), url_for("accounts.authenticator"))


@bp.get("/account/authenticator")
@signed_in
def authenticator():
    found = authenticator_of(current_user)
    return render_template(
        "accounts/security/authenticator.html",
        form=ActionForm(),
        is_on=found is not None and found.enabled_at is not None,
        enabled_at=found.enabled_at if found else None,
        required=needs_second_factor(current_user),
        can_turn_off=can_turn_off_authenticator(current_user),
        codes_left=recovery_codes_left(current_user),
        next_url=_next(),
    )


@bp.post("/account/authenticator/start")
@signed_in
def start_authenticator():
    form = ActionForm()
    if form.validate_on_submit() and not has_authenticator(current_user):
        try:
            security.begin_authenticator(current_user)
            db.session.commit()
        except IntegrityError:
            # A double click: the other request made the secret; set up with that one.
            db.session.rollback()
        return redirect_after_post(url_for("accounts.setup_authenticator", next=_next()))
    return redirect_after_post(url_for("accounts.authenticator", next=_next()))


@bp.route("/account/authenticator/setup", methods=["GET", "POST"])
@signed_in
@private
def setup_authenticator():
    secret = security.pending_secret(current_user)
    if secret is None:
        return redirect_after_post(url_for("accounts.authenticator", next=_next()))
    form = CodeForm()
    if done := form.already_done():
        return redirect_after_post(done)
    if form.validate_on_submit():
        record = current_session()
        assert record is not None  # signed_in
        try:
            security.confirm_authenticator(current_user, form.code.data, session=record)
        except security.SecurityError as exc:
            db.session.rollback()
            form.code.errors = [str(exc)]
        else:
            db.session.commit()
            then = url_for("accounts.recovery_codes", next=_next())
            form.mark_done(then)
            flash("Your authenticator app is set up.", "success")
            return redirect_after_post(then)
    return form_page(
        "accounts/security/setup.html",
        form,
        qr=totp.qr_svg(totp.provisioning_uri(secret, current_user.email)),
        secret=totp.grouped(secret),
        next_url=_next(),
    )


@bp.get("/account/authenticator/recovery-codes")
@signed_in
@private
def recovery_codes():
    record = current_session()
    codes = security.unseen_codes(record) if record is not None else []
    return render_template(
        "accounts/security/recovery_codes.html",
        form=ActionForm(),
        codes=codes,
        codes_left=recovery_codes_left(current_user),
        is_on=has_authenticator(current_user),
        next_url=_next(),
    )


@bp.post("/account/authenticator/recovery-codes/saved")
@signed_in
def recovery_codes_saved():
    form = ActionForm()
    record = current_session()
    if form.validate_on_submit() and record is not None:
        security.codes_saved(record)
        db.session.commit()
    return redirect_after_post(_next())


@bp.post("/account/authenticator/recovery-codes/new")
@signed_in
@recently_authenticated(back=lambda: url_for("accounts.authenticator"))
def new_recovery_codes():
    form = ActionForm()
    record = current_session()
    if form.validate_on_submit() and record is not None and has_authenticator(current_user):
        security.new_recovery_codes(current_user, session=record)
        db.session.commit()
        return redirect_after_post(url_for("accounts.recovery_codes"))
    return redirect_after_post(url_for("accounts.authenticator"))


@bp.post("/account/authenticator/replace")
@signed_in
@recently_authenticated(back=lambda: url_for("accounts.authenticator"))
def replace_authenticator():
    form = ActionForm()
    if form.validate_on_submit() and has_authenticator(current_user):
        security.replace_authenticator(current_user)
        db.session.commit()
        return redirect_after_post(url_for("accounts.setup_authenticator"))
    return redirect_after_post(url_for("accounts.authenticator"))


@bp.post("/account/authenticator/turn-off")
@signed_in
@recently_authenticated(back=lambda: url_for("accounts.authenticator"))
def turn_off_authenticator():
    form = ActionForm()
    if form.validate_on_submit() and has_authenticator(current_user):
        try:
            security.turn_off_authenticator(current_user)
        except security.SecurityError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                "Your authenticator app is turned off. Signing in needs only your password.",
                "success",
            )
    return redirect_after_post(url_for("accounts.authenticator"))


# --- confirming it is you ------------------------------------------------------------------


@bp.route("/account/confirm-it-is-you", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
@signed_in
@private
def reauthenticate():
    next_url = safe_next(request.values.get("next"), url_for("accounts.account"))
    with_code = has_authenticator(current_user)
    form = ReauthenticateForm()
    form.with_code = with_code
    if not with_code:
        form.code.data = ""
    if form.validate_on_submit():
        record = current_session()
        assert record is not None  # signed_in
        try:
            security.reauthenticate(
                current_user, record, password=form.password.data, code=form.code.data
            )
        except security.SecurityError as exc:
            db.session.rollback()
            name = exc.field if exc.field in ("code", "password") else "password"
            form[name].errors = [str(exc)]
        else:
            db.session.commit()
            return redirect_after_post(next_url)
    return form_page(
        "accounts/security/reauthenticate.html", form, with_code=with_code, next_url=next_url
    )


# --- your sessions -------------------------------------------------------------------------


@bp.get("/account/sessions")
@signed_in
@private
def sessions():
    record = current_session()
    # A session idle past the limit ends at its next request; it is not shown as signed in.
    cutoff = utcnow() - idle_limit(current_user)
    return render_template(
        "accounts/security/sessions.html",
        form=ActionForm(),
        sessions=[s for s in sessions_of(current_user) if s.last_seen_at >= cutoff],
        this_one=record.id if record is not None else None,
    )


@bp.post("/account/sessions/<int:session_id>/sign-out")
@signed_in
def end_session(session_id: int):
    form = ActionForm()
    record = current_session()
    other = get_session_of(current_user, session_id)
    if form.validate_on_submit() and other is not None:
        if record is not None and other.id == record.id:
            end_browser_session()
            db.session.commit()
            flash("You have signed out on this device.", "success")
            return redirect_after_post(url_for("areas.index"))
        security.revoke_session(current_user, other)
        db.session.commit()
        flash(f"{other.device} has been signed out.", "success")
    elif other is None:
        flash("That device had already been signed out.", "success")
    return redirect_after_post(url_for("accounts.sessions"))


@bp.post("/account/sessions/sign-out-others")
@signed_in
def end_other_sessions():
    form = ActionForm()
    record = current_session()
    if form.validate_on_submit() and record is not None:
        ended = security.end_other_sessions(current_user, record)
        db.session.commit()
        flash(
            "You have signed out on every other device."
            if ended
            else "You were not signed in on any other device.",
            "success",
        )
    return redirect_after_post(url_for("accounts.sessions"))
