"""Finding a subscriber: by address, by the secret in a confirmation link, by a signed
preferences link."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import utcnow
from forum.notifications import subscriber_tokens as tokens
from forum.notifications.models import Subscriber

#: a confirmation link works this long; an unconfirmed request is deleted after it
CONFIRM_WITHIN = timedelta(days=7)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def get_subscriber(area_id: int, email: str) -> Subscriber | None:
    return db.session.scalar(select(Subscriber).filter_by(area_id=area_id, email=email))


def get_unconfirmed(secret: str) -> Subscriber | None:
    """The request a confirmation link is for, while the link still works."""
    if not secret or len(secret) > 100:
        return None
    subscriber = db.session.scalar(
        select(Subscriber).where(Subscriber.confirm_digest == digest(secret))
    )
    if subscriber is None or subscriber.is_confirmed:
        return None
    if subscriber.created_at < utcnow() - CONFIRM_WITHIN:
        return None
    return subscriber


def get_by_token(token: str) -> Subscriber | None:
    """The confirmed subscriber a preferences link is for, or None (forged, altered, or the
    subscription was deleted)."""
    found = tokens.read_token(token)
    if found is None:
        return None
    subscriber_id, area_id, stamp = found
    subscriber = db.session.get(Subscriber, subscriber_id)
    if subscriber is None or subscriber.area_id != area_id or not tokens.matches(subscriber, stamp):
        return None
    return subscriber
