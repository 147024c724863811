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

from forum.notifications.topics import Frequency, Topic

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


# -- digests: one email holding several topics ---------------------------------------------
# A daily or weekly digest gathers several topics, so "unsubscribe" in it cannot name one
# topic: its token names the person, the area and the frequency, and stops the whole digest
# (every topic the person has from that area at that frequency is set to "never"). It has
# its own salt, so a topic token can never be read as a digest token or the other way round.

DIGEST_SALT = "coproduce.unsubscribe.digest"


@dataclass(frozen=True)
class DigestUnsubscribe:
    area_id: int
    frequency: Frequency
    user_id: int | None = None
    subscriber_id: int | None = None


def make_digest_token(
    *,
    area_id: int,
    frequency: Frequency,
    user_id: int | None = None,
    subscriber_id: int | None = None,
) -> str:
    if (user_id is None) == (subscriber_id is None):
        raise ValueError("an unsubscribe token names exactly one person")
    if not frequency.is_digest:
        raise ValueError("only a daily or weekly email is a digest")
    who = ["u", user_id] if user_id is not None else ["s", subscriber_id]
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DIGEST_SALT)
    return serializer.dumps([*who, area_id, frequency.value])


def read_digest_token(token: str) -> DigestUnsubscribe | None:
    """Which digest a token stops, or None for anything not made by `make_digest_token`."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DIGEST_SALT)
    try:
        kind, person_id, area_id, how_often = serializer.loads(token)
        how_often = Frequency(how_often)
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in ("u", "s") or not isinstance(person_id, int) or not isinstance(area_id, int):
        return None
    if not how_often.is_digest:
        return None
    if kind == "u":
        return DigestUnsubscribe(area_id=area_id, frequency=how_often, user_id=person_id)
    return DigestUnsubscribe(area_id=area_id, frequency=how_often, subscriber_id=person_id)
