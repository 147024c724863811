"""Access decorators: every route says who may use it.

`public`, `signed_in` and `access(check, …)` mark the view with `view.access`, and a
test walks every URL rule to prove none was left without one. `access` runs a pure permission
function (`can_…(user, obj)`) from an area's `permissions.py`, after an optional loader has
turned URL values into objects (404 if they do not exist).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import redirect, request, url_for
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from forum.web.htmx import redirect_after_post, wants_fragment


class NotAllowed(Forbidden):
    """403 with a sentence telling the person what they can do about it."""

    def __init__(self, explain: str):
        super().__init__(description=explain)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths; never another host, never a scheme-relative URL."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    return target


def to_sign_in():
    target = url_for("accounts.sign_in", next=request.full_path.rstrip("?"))
    if wants_fragment():
        return redirect_after_post(target)
    return redirect(target)


def _mark(view: Callable, access: str) -> Callable:
    view.access = access  # type: ignore[attr-defined]  # read by the every-route-has-access test
    return view


def public(view: Callable) -> Callable:
    return _mark(view, "public")


def signed_in(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return to_sign_in()
        return view(*args, **kwargs)

    return _mark(wrapper, "signed in")


def access(
    check: Callable[..., bool],
    *,
    explain: str,
    load: Callable[[dict], dict] | None = None,
    subject: str | None = None,
    needs_sign_in: bool = True,
) -> Callable[[Callable], Callable]:
    """Run `load(kwargs)`, then `check(user, kwargs[subject])`; 403 with `explain` if it fails.

    `explain` may use `{subject}` fields, e.g. "Ask the organisers of {area.forum_name}".
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if load is not None:
                kwargs = load(kwargs)
            target = kwargs[subject] if subject else None
            allowed = check(current_user, target) if subject else check(current_user)
            if not allowed:
                if needs_sign_in and not current_user.is_authenticated:
                    return to_sign_in()
                raise NotAllowed(explain.format(**kwargs))
            return view(*args, **kwargs)

        return _mark(wrapper, check.__name__)

    return decorator
