"""Unsubscribe tokens: signed, per person, per area, per topic, and never expiring.

A token names one person (an account or a public subscriber), one area and one topic, and is
signed with the app's secret key (`itsdangerous`), so nobody can make one, change the topic in
it, or use it for somebody else. It works without signing in, so it is all the authority the
unsubscribe page and the one-click POST (RFC 8058) need, and it does nothing else: the worst a
leaked token can do is stop that one kind of email to that one person, who can turn it back on.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from forum.notifications.topics import Topic

SALT = "coproduce.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    area_id: int
    topic: Topic
    user_id: int | None = None
    subscriber_id: int | None = None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(
    *, area_id: int, topic: Topic, user_id: int | None = None, subscriber_id: int | None = None
) -> str:
    if (user_id is None) == (subscriber_id is None):
        raise ValueError("an unsubscribe token names exactly one person")
    who = ["u", user_id] if user_id is not None else ["s", subscriber_id]
    return _serializer().dumps([*who, area_id, topic.value])


def read_token(token: str) -> Unsubscribe | None:
    """What a token stops, or None for anything not made by `make_token` with this key."""
    try:
        kind, person_id, area_id, topic = _serializer().loads(token)
        topic = Topic(topic)
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in ("u", "s") or not isinstance(person_id, int) or not isinstance(area_id, int):
        return None
    if kind == "u":
        return Unsubscribe(area_id=area_id, topic=topic, user_id=person_id)
    return Unsubscribe(area_id=area_id, topic=topic, subscriber_id=person_id)
