"""Who is responding: the keyed hash that makes "one response per person" a database rule, the
private resume token of someone answering without an account, and a response's reference."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

from forum.surveys.models import Survey

#: references avoid letters and digits that are easy to confuse (0/O, 1/I/L)
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def respondent_key(survey: Survey, *, user=None, resume_token: str | None = None) -> str:
    """The keyed hash that says "this person has a response to this survey".

    Keyed with the survey's own salt, so the same person has unrelated keys in different
    surveys; the salt is never shown, and nothing an organiser can see holds the key. A sealed
    anonymous survey has no salt (`services.ensure_salt` makes a new one if it opens again).
    """
    if survey.salt is None:
        raise ValueError("the survey is sealed: it has no salt")
    if user is not None and getattr(user, "is_authenticated", False):
        subject = f"user:{user.id}"
    elif resume_token:
        subject = f"resume:{resume_token}"
    else:
        raise ValueError("a respondent is a signed-in user or a resume token")
    return hmac.new(survey.salt.encode(), subject.encode(), hashlib.sha256).hexdigest()


def tracking_hash(survey: Survey, kind: str, value: str) -> str:
    """A keyed hash of a device cookie, a network address or an email address, for one survey.

    Keyed with the app's secret key and the survey's id, so the stored value cannot be turned
    back into the address without the key, and the same device or address gives unrelated
    values in different surveys. The address itself is never stored.
    """
    key = current_app.config["SECRET_KEY"].encode()
    message = f"survey-{kind}:{survey.id}:{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def new_resume_token() -> str:
    return secrets.token_urlsafe(24)


def new_quote_token() -> str:
    """The secret in someone's private link for changing their consent to be quoted."""
    return secrets.token_urlsafe(24)


def token_digest(token: str) -> str:
    """What is stored of a private link's secret: enough to recognise it, not to make it."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_reference() -> str:
    """Nine characters in three groups, e.g. "K7P-3QX-9TD": easy to read out on the phone."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(9))
    return f"{chars[:3]}-{chars[3:6]}-{chars[6:]}"
