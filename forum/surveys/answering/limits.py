"""How many responses one device and one network address may start and send to one survey.

A device is a long-lived random cookie (`DEVICE_COOKIE`, set on the answering pages); an
address is the request's network address. Neither is stored as it is: the limiter's store and
the response hold keyed hashes (`keys.tracking_hash`), different in every survey. Signed-in
people are not limited (their account already allows one response each), but their device and
address are still hashed onto the response for the burst view.

The counts live in the limiter's storage (`RATELIMIT_STORAGE_URI`: Redis or memcached when
there is more than one worker), so every worker shares them. The limits are settings:
`RATELIMIT_SURVEY_DEVICE` and `RATELIMIT_SURVEY_ADDRESS`, each counted separately for starting
a response and for sending one. The defaults let a shared computer at a family centre take a
turn every couple of minutes for an afternoon, and a family centre's or school's network a
few dozen a day, but not one person a hundred.
"""

from __future__ import annotations

import re
import secrets
from typing import NamedTuple

from flask import current_app, g, request
from limits import parse_many

from forum.extensions import limiter
from forum.surveys.answering.keys import tracking_hash
from forum.surveys.models import Survey

DEVICE_COOKIE = "coproduce_device"
#: a year: long enough to recognise the same browser coming back through one consultation
DEVICE_COOKIE_SECONDS = 365 * 24 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


class Signals(NamedTuple):
    """Keyed hashes of where a response came from (None when unknown)."""

    device: str | None
    address: str | None


def device_token() -> str:
    """This browser's device token: the cookie's, or a new one that `set_device_cookie`
    gives the browser with the response."""
    token = request.cookies.get(DEVICE_COOKIE, "")
    if _TOKEN.match(token):
        return token
    new = g.get("new_device_token")
    if new is None:
        new = g.new_device_token = secrets.token_urlsafe(24)
    return new


def set_device_cookie(response):
    """Give a browser without a device token the one this request made (if any)."""
    new = g.get("new_device_token")
    if new is not None and not _TOKEN.match(request.cookies.get(DEVICE_COOKIE, "")):
        response.set_cookie(
            DEVICE_COOKIE,
            new,
            max_age=DEVICE_COOKIE_SECONDS,
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
            samesite="Lax",
        )
    return response


def signals(survey: Survey) -> Signals:
    address = request.remote_addr
    return Signals(
        device=tracking_hash(survey, "device", device_token()),
        address=tracking_hash(survey, "address", address) if address else None,
    )


def within_limits(survey: Survey, doing: str) -> bool:
    """Whether this device and address may `doing` ("start" or "send") one more response to
    the survey; if so, it is counted. A refusal counts nothing."""
    if not current_app.config.get("RATELIMIT_ENABLED", True) or not limiter.enabled:
        return True
    found = signals(survey)
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    checks = [
        (item, f"{prefix}/survey:{doing}:device:{found.device}")
        for item in parse_many(current_app.config["RATELIMIT_SURVEY_DEVICE"])
    ]
    if found.address:
        checks += [
            (item, f"{prefix}/survey:{doing}:address:{found.address}")
            for item in parse_many(current_app.config["RATELIMIT_SURVEY_ADDRESS"])
        ]
    store = limiter.limiter
    if not all(store.test(item, key) for item, key in checks):
        return False
    for item, key in checks:
        store.hit(item, key)
    return True
