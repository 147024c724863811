"""Security headers on every response, and the per-request CSP nonce."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, g, has_app_context, make_response, request
from flask_login import current_user
from markupsafe import Markup, escape


def csp_nonce() -> str:
    """This response's nonce for inline blocks, or "" for a page that may be kept and shared
    (`caching.py`), which is allowed its inline blocks by their hashes instead."""
    from forum.web.caching import is_shared_request

    if is_shared_request():
        return ""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def _hash_source(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def inline_style(css: str) -> Markup:
    """An inline <style> block's text (the area's colour), escaped, and allowed by its hash on
    this response: a kept page carries no nonce. Only for text the code makes."""
    shown = escape(css)
    g.setdefault("csp_style_hashes", set()).add(_hash_source(str(shown)))
    return shown


#: the hashes of the inline scripts the page layout (GOV.UK Frontend's template) has, worked
#: out from the template itself when the app starts (`init_app`)
_layout_scripts: list[str] = []


def content_security_policy(nonce: str) -> str:
    if not _layout_scripts and has_app_context():
        _layout_scripts[:] = _scripts_of_layout(current_app)
    scripts = " ".join(["'self'", *_layout_scripts, *([f"'nonce-{nonce}'"] if nonce else [])])
    styles = " ".join(
        [
            "'self'",
            *sorted(g.get("csp_style_hashes", ()) if has_app_context() else ()),
            *([f"'nonce-{nonce}'"] if nonce else []),
        ]
    )
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


def private(view: Callable) -> Callable:
    """no-store for a page with one person's own data, also when nobody is signed in."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapper


def _scripts_of_layout(app: Flask) -> list[str]:
    source, _, _ = app.jinja_env.loader.get_source(  # type: ignore[union-attr]
        app.jinja_env, "govuk_frontend_jinja/template.html"
    )
    return [_hash_source(text) for text in re.findall(r"<script[^>]*>(.+?)</script>", source)]


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        response.vary.add("HX-Request")
        if not request.path.startswith("/static/") and (
            current_user.is_authenticated or request.method != "GET"
        ):
            # Signed-in pages and form results must not sit in shared or back-button caches.
            headers["Cache-Control"] = "no-store"
        return response
