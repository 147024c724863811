"""One place that decides between a full page and its fragment.

A page template *includes* its fragment, so no HTML is written twice. htmx requests (that are
not boosted navigations or history restores) get just the fragment. After a successful POST a
browser without JavaScript gets 303 See Other; an htmx request gets `HX-Redirect` instead, so the
whole page changes rather than a fragment swapping in a page.
"""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, redirect, render_template, request


def wants_fragment() -> bool:
    htmx: Any = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, *, fragment: str | None = None, status: int = 200, **context) -> Response:
    """Render `template`, or `fragment` for an htmx request when one is given."""
    if not isinstance(status, int):
        # A context variable called "status" would land here; say so rather than send status 0.
        raise TypeError(f"status must be an HTTP status code, not {status!r}")
    name = fragment if fragment and wants_fragment() else template
    response = make_response(render_template(name, **context), status)
    response.vary.add("HX-Request")
    return response


def redirect_after_post(location: str) -> Response:
    """303 for plain forms; HX-Redirect for htmx, which would otherwise swap the next page in."""
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
    else:
        # Typed as werkzeug's Response; at run time it is the app's, flask's Response.
        response = redirect(location, code=303)  # type: ignore[assignment]
    response.vary.add("HX-Request")
    return response
