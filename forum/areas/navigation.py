"""The header and main menu of every page, made once per place and standing, not per request.

The menu is the same for everyone who stands alike (signed in or not, admin, allowed to manage
the area's members or settings) on the same kind of page (which item is marked current) in the
same area: it is made from `areas/_navigation.html` the first time and kept in this process,
at most `KEPT` of them, the least recently used going first. Only the sign-out button's CSRF
token belongs to one person: it is kept as a mark and this request's token put in its place.
Rendering the GOV.UK service navigation macro cost about a quarter of a short page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from forum.accounts.permissions import is_admin
from forum.areas.data_versions import TOKEN_MARK
from forum.areas.permissions import can_edit_area, can_manage_members

#: menus kept in each process
KEPT = 2048

_made: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def navigation(area) -> Markup:
    """The header and main menu for this request (a template global)."""
    signed_in = bool(current_user.is_authenticated)
    key = (
        (area.id, area.slug, area.name, area.forum_name) if area else None,
        signed_in,
        is_admin(current_user),
        bool(area) and can_manage_members(current_user, area),
        bool(area) and can_edit_area(current_user, area),
        request.endpoint,
    )
    with _lock:
        html = _made.get(key)
        if html is not None:
            _made.move_to_end(key)
    if html is None:
        html = render_template("areas/_navigation.html", area=area)
        if signed_in:
            html = html.replace(generate_csrf(), TOKEN_MARK)
        with _lock:
            _made[key] = html
            while len(_made) > KEPT:
                _made.popitem(last=False)
    if signed_in:
        html = html.replace(TOKEN_MARK, generate_csrf())
    return Markup(html)  # noqa: S704 - made by the app's autoescaping templates


def forget() -> None:
    """For tests: make every menu afresh."""
    with _lock:
        _made.clear()
