"""Account pages: register, verify, sign in and out, reset and change password, profile."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy.exc import IntegrityError

from forum import hooks
from forum.accounts import bp
from forum.accounts import services as accounts
from forum.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from forum.accounts.models import TokenPurpose
from forum.accounts.notices import after_sign_in, landing
from forum.accounts.queries import get_live_token, normalise_email
from forum.accounts.security.guard import current_session, start_browser_session
from forum.accounts.security.queries import has_authenticator
from forum.accounts.security.views import begin_second_step
from forum.extensions import db, limiter
from forum.notifications.services import is_undeliverable, try_address_again
from forum.web.auth import public, safe_next, signed_in
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post
from forum.web.security import private
from forum.web.submit import accept, form_page

#: failed sign-ins to one account, from any address (successful ones are not counted). The
#: window is short, so a stranger who types someone's address locks them out for five minutes
#: at most; keeping them out longer means ten more failures every five minutes, each from an
#: address that is itself limited.
ACCOUNT_LIMIT = "10 per 5 minutes"


def auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


def _account_key() -> str:
    """The account being tried, as a keyed hash: the address typed never reaches the store."""
    email = normalise_email(request.form.get("email", ""))
    key = current_app.config["SECRET_KEY"].encode()
    return "sign-in:account:" + hmac.new(key, email.encode(), hashlib.sha256).hexdigest()


def _sign_in_failed(response) -> bool:
    return bool(g.get("sign_in_failed"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
@public
def register():
    # Where they came from (a consultation, say): carried through the confirmation link and
    # signing in, so they end up back there. Only ever a path on this site.
    next_url = safe_next(request.values.get("next"), "") or None
    if current_user.is_authenticated:
        return redirect(next_url or url_for("accounts.account"))
    form = RegisterForm()
    if done := form.already_done():
        return redirect_after_post(done)
    if form.validate_on_submit():
        try:
            accounts.register(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                next_url=next_url,
            )
            db.session.commit()
        except IntegrityError:
            # Two submissions raced for the same address: the first one won.
            db.session.rollback()
        checked = url_for("accounts.check_email", next=next_url)
        form.mark_done(checked)
        return redirect_after_post(checked)
    return form_page("accounts/register.html", form, next_url=next_url)


@bp.get("/register/check-your-email")
@public
@private
def check_email():
    # The address is not shown: keeping it for this page would put it in the session cookie,
    # which is signed but not encrypted.
    next_url = safe_next(request.args.get("next"), "") or None
    return render_template("accounts/check_email.html", next_url=next_url)


@bp.route("/verify-email/<token>", methods=["GET", "POST"])
@public
@private
def verify_email(token: str):
    live = get_live_token(token, TokenPurpose.VERIFY_EMAIL)
    if live is None:
        return render_template("accounts/link_expired.html", purpose="verify"), 404
    next_url = safe_next(request.values.get("next"), "") or None
    form = ActionForm()
    if form.validate_on_submit():
        user = accounts.verify_email(live)
        db.session.commit()
        if current_user.is_authenticated and current_user.id == user.id:
            flash("Your email address is confirmed.", "success")
            return redirect_after_post(next_url or url_for("accounts.account"))
        flash(
            "Your email address is confirmed."
            + (" Sign in to carry on where you were." if next_url else ""),
            "success",
        )
        return redirect_after_post(url_for("accounts.sign_in", next=next_url))
    return render_template(
        "accounts/verify_email.html", form=form, user=live.user, next_url=next_url
    )


@bp.route("/confirm-email-change/<token>", methods=["GET", "POST"])
@public
@private
def confirm_email_change(token: str):
    live = get_live_token(token, TokenPurpose.CHANGE_EMAIL)
    if live is None:
        return render_template("accounts/link_expired.html", purpose="change_email"), 404
    form = ActionForm()
    page = "accounts/confirm_email_change.html"
    if form.validate_on_submit():
        try:
            user = accounts.confirm_email_change(live)
            db.session.commit()
        except accounts.AccountError as exc:
            db.session.rollback()
            return render_template(page, refusal=str(exc)), 409
        except IntegrityError:
            # Another account took the address at the same moment.
            db.session.rollback()
            return render_template(page, refusal=accounts.ADDRESS_TAKEN), 409
        flash("Your email address has been changed.", "success")
        if current_user.is_authenticated and current_user.id == user.id:
            return redirect_after_post(url_for("accounts.account"))
        return redirect_after_post(url_for("accounts.sign_in"))
    return render_template(page, form=form, new_email=live.new_email)


@bp.post("/account/verify-email/resend")
@limiter.limit(auth_limit)
@signed_in
def resend_verification():
    form = ActionForm()
    if form.validate_on_submit() and not current_user.is_verified:
        accounts.send_verification(current_user)
        db.session.commit()
        flash(f"We have sent a new link to {current_user.email}.", "success")
    return redirect_after_post(url_for("accounts.account"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
@limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=_account_key, deduct_when=_sign_in_failed)
@public
def sign_in():
    # Empty unless the person asked for a page: then `landing` decides, once we know who.
    next_url = safe_next(request.values.get("next"), "")
    if current_user.is_authenticated:
        return redirect(landing(current_user, next_url))
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None and has_authenticator(user):
            # Not signed in yet: the code from the app is a separate step.
            db.session.commit()  # a rehashed password, if any
            begin_second_step(user, next_url)
            return redirect_after_post(url_for("accounts.sign_in_code"))
        if user is not None:
            # Signed in; staff who have no app yet are asked to set one up before anything
            # else (see accounts.security.guard).
            accounts.note_sign_in(user)
            start_browser_session(user, second_factor=False)
            db.session.commit()
            after_sign_in(user)
            return redirect_after_post(landing(user, next_url))
        db.session.rollback()
        g.sign_in_failed = True
        # The same words whether the address is unknown or the password wrong.
        form.form_errors.append("Enter a correct email address and password")
        form.email.errors = ["Enter a correct email address and password"]
    return form_page("accounts/sign_in.html", form, next_url=next_url)


@bp.post("/sign-out")
@public
def sign_out():
    # Public so that a stale page's sign-out button never lands on an error; a signed-out
    # person is simply taken home.
    form = ActionForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        accounts.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash("You have signed out on every device.", "success")
    return redirect_after_post(url_for("areas.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if done := form.already_done():
        return redirect_after_post(done)
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        db.session.commit()
        form.mark_done(url_for("accounts.reset_sent"))
        return redirect_after_post(url_for("accounts.reset_sent"))
    return form_page("accounts/forgot_password.html", form)


@bp.get("/forgot-password/sent")
@public
@private
def reset_sent():
    # As on check_email: the typed address is not kept in the session cookie to show here.
    return render_template("accounts/reset_sent.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
@public
def reset_password(token: str):
    if done := ResetPasswordForm().already_done():
        return redirect_after_post(done)
    live = get_live_token(token, TokenPurpose.RESET_PASSWORD)
    if live is None:
        return render_template("accounts/link_expired.html", purpose="reset"), 404
    form = ResetPasswordForm(account=live.user)
    if form.validate_on_submit():
        accounts.reset_password(live, form.password.data)
        db.session.commit()
        logout_user()
        session.clear()
        form.mark_done(url_for("accounts.sign_in"))
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect_after_post(url_for("accounts.sign_in"))
    return form_page("accounts/reset_password.html", form)


@bp.get("/account")
@signed_in
def account():
    return render_template(
        "accounts/account.html",
        form=ActionForm(),
        has_app=has_authenticator(current_user),
        undeliverable=is_undeliverable(current_user.email),
        sections=hooks.account_page_sections.results(current_user),
    )


@bp.post("/account/email/try-again")
@signed_in
def try_email_again():
    """Clear the undeliverable mark on the person's own address, so emails go to it again."""
    form = ActionForm()
    if form.validate_on_submit():
        if try_address_again(current_user.email, actor=current_user):
            flash("We will send emails to your address again.", "success")
        db.session.commit()
    return redirect_after_post(url_for("accounts.account"))


@bp.route("/account/profile", methods=["GET", "POST"])
@signed_in
def profile():
    form = ProfileForm(obj=current_user)
    done = accept(
        form,
        lambda: accounts.update_profile(current_user, display_name=form.display_name.data),
        refused=accounts.AccountError,
        field="display_name",
        then=url_for("accounts.account"),
        message="Your name has been updated.",
        row=current_user._get_current_object(),
        what="your profile",
    )
    return done or form_page("accounts/profile.html", form)


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm(account=current_user)
    if done := form.already_done():
        return redirect_after_post(done)
    if form.validate_on_submit():
        record = current_session()
        passed_second_step = record is not None and record.second_factor_at is not None
        try:
            accounts.change_password(current_user, form.current_password.data, form.password.data)
        except accounts.AccountError as exc:
            db.session.rollback()
            form.current_password.errors = [str(exc)]
        else:
            user = current_user._get_current_object()
            # Every other device is signed out; this one gets a new session.
            start_browser_session(user, second_factor=passed_second_step, keep_csrf=True)
            db.session.commit()
            form.mark_done(url_for("accounts.account"))
            flash("Your password has been changed. Other devices have been signed out.", "success")
            return redirect_after_post(url_for("accounts.account"))
    return form_page("accounts/change_password.html", form)


@bp.route("/account/email", methods=["GET", "POST"])
@signed_in
def change_email():
    form = ChangeEmailForm()
    if done := form.already_done():
        return redirect_after_post(done)
    if form.validate_on_submit():
        try:
            accounts.change_email(
                current_user, new_email=form.email.data, password=form.password.data
            )
        except accounts.AccountError as exc:
            db.session.rollback()
            form.password.errors = [str(exc)]
        else:
            db.session.commit()
            form.mark_done(url_for("accounts.account"))
            # The typed address is not repeated: flashes live in the session cookie, which is
            # signed but not encrypted.
            flash(
                "If that email address can be used, we have sent a link to it. "
                "Your account keeps its current address until you follow the link.",
                "success",
            )
            return redirect_after_post(url_for("accounts.account"))
    return form_page("accounts/change_email.html", form)
