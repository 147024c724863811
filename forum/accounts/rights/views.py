"""The "Your data" page, its JSON download, and deleting an account."""

from __future__ import annotations

import json

from flask import current_app, make_response, render_template, session, url_for
from flask_login import current_user, logout_user

from forum.accounts.rights import bp
from forum.accounts.rights import services as rights
from forum.accounts.rights.forms import DeleteAccountForm
from forum.accounts.rights.queries import download, personal_data
from forum.extensions import db, limiter
from forum.models import utcnow
from forum.web.auth import public, signed_in
from forum.web.htmx import redirect_after_post, render
from forum.web.security import private
from forum.web.submit import form_page, show_refusal


@bp.get("/account/your-data")
@signed_in
@private
def your_data():
    return render("accounts/rights/your_data.html", sections=personal_data(current_user))


@bp.get("/account/your-data.json")
@signed_in
def your_data_file():
    data = download(current_user, personal_data(current_user))
    response = make_response(json.dumps(data, ensure_ascii=False, indent=2))
    response.mimetype = "application/json"
    stamp = utcnow().strftime("%Y-%m-%d")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="coproduce-your-data-{stamp}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _password_limit() -> str:
    # The password is checked here too, so guesses count like those at sign-in.
    return current_app.config["RATELIMIT_AUTH"]


@bp.route("/account/delete", methods=["GET", "POST"])
@limiter.limit(_password_limit, methods=["POST"])
@signed_in
@private
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            rights.delete_account(current_user, password=form.password.data or "")
        except rights.RightsError as exc:
            db.session.rollback()
            show_refusal(form, exc, "password")
        else:
            db.session.commit()
            logout_user()
            session.clear()
            return redirect_after_post(url_for("rights.account_deleted"))
    sections = personal_data(current_user)
    return form_page(
        "accounts/rights/delete.html",
        form,
        held=[section for section in sections if section.records],
        warnings=[warning for section in sections for warning in section.warnings],
    )


@bp.get("/account/deleted")
@public
def account_deleted():
    return render_template("accounts/rights/deleted.html")
