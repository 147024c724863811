"""The link that opens a subscriber's own choices: signed, never expiring, one subscriber.

It names the subscriber, their area and the moment they confirmed, signed with the app's
secret key under a salt of its own (an unsubscribe token is not a preferences link, nor the
other way round). The moment confirmed stops a link from working for a later subscriber who
happens to get the same row id after the first deleted their subscription. Whoever holds the
link can change that one subscription or delete it, which is all a subscriber can do.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "coproduce.subscriber-preferences"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _stamp(subscriber) -> int:
    return int(subscriber.confirmed_at.timestamp())


def make_token(subscriber) -> str:
    if subscriber.confirmed_at is None:
        raise ValueError("only a confirmed subscriber has a preferences link")
    return _serializer().dumps([subscriber.id, subscriber.area_id, _stamp(subscriber)])


def read_token(token: str) -> tuple[int, int, int] | None:
    """(subscriber id, area id, stamp), or None for anything `make_token` did not make."""
    try:
        found = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(found, list) and len(found) == 3):
        return None
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in found):
        return None
    return found[0], found[1], found[2]


def matches(subscriber, stamp: int) -> bool:
    return subscriber.confirmed_at is not None and _stamp(subscriber) == stamp
