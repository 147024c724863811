"""Error pages in the layout, or as fragments for htmx requests.

An htmx request that fails gets the error message re-targeted at the page's main content, so a
person never clicks a button and sees nothing happen.
"""

from __future__ import annotations

import logging
import traceback
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from forum.extensions import db
from forum.web.auth import safe_next
from forum.web.htmx import wants_fragment

log = logging.getLogger("coproduce.errors")

TITLES = {
    400: "Something was wrong with that request",
    403: "You cannot do that here",
    404: "Page not found",
    405: "That cannot be done at this address",
    413: "That was too much to send",
    429: "Too many attempts",
    500: "Sorry, something went wrong on our side",
}


def _referrer_path() -> str:
    url = request.referrer
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return ""
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""), "")


def render_error(code: int, reason: str | None = None, explain: str | None = None):
    context = {
        "code": code,
        "title": TITLES.get(code, "Something went wrong"),
        "reason": reason,
        "explain": explain,
        "back": _referrer_path(),
    }
    if wants_fragment():
        headers = {"HX-Retarget": "#main-content", "HX-Reswap": "innerHTML"}
        return render_template("web/_error.html", **context), code, headers
    return render_template("web/error.html", **context), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_error(400, reason="csrf")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        explain = error.description if code == 403 else None
        body, status, *rest = render_error(code, explain=explain)
        headers = dict(rest[0]) if rest else {}
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return body, status, headers

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # Exception messages can hold what people typed (SQL parameters, form values); log the
        # type and where it happened, never the message.
        where = "".join(traceback.format_tb(error.__traceback__))
        if current_app.debug or current_app.testing:
            where += f"{error!r}\n"  # local only: never in production logs
        log.error(
            "unhandled %s on %s %s\n%s",
            type(error).__name__,
            request.method,
            request.url_rule.rule if request.url_rule else "?",
            where,
        )
        db.session.rollback()
        return render_error(500)
