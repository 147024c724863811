"""What a person is told on the first page after they sign in, and which page that is.

For now one thing: that our emails to their address are not arriving (the receiving server
refused them for good, `forum.notifications.services.UNDELIVERABLE_AFTER` times), so they can
change the address or ask us to try it again from their account page, where the same notice
stays until they do (`templates/accounts/_undeliverable.html`).
"""

from __future__ import annotations

from flask import flash, url_for

from forum import hooks
from forum.notifications.services import is_undeliverable

#: the words of the notice; the address is not in them, as flashes live in the session cookie
UNDELIVERABLE = (
    "Our emails to you are not arriving: your email provider says your address does not "
    "work. Go to your account to change your email address, or to ask us to try it again."
)


def after_sign_in(user) -> None:
    if is_undeliverable(user.email):
        flash(UNDELIVERABLE, "error")


def landing(user, next_url: str | None = None) -> str:
    """Where to go after signing in: the page asked for (`next_url`, already checked to be a
    path on this site), else the page for the kind of person they are (decided in one place,
    `forum.outcomes.landing`, through `hooks.landing_page`), else the list of areas."""
    if next_url:
        return next_url
    for path in hooks.landing_page.results(user):
        return path
    return url_for("areas.index")
