"""Password rules and hashing.

Rules follow NCSC and NIST advice: 12 to 128 characters, any characters, no composition rules,
and not a commonly used password (the 30,000 most common passwords that ship with zxcvbn, also
when a few digits or symbols are added to the end). Hashing is argon2id, which is memory-hard.
"""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

MIN_LENGTH = 12
MAX_LENGTH = 128

#: argon2id with the library's recommended costs (64 MiB, 3 passes). Tests set
#: `ARGON2_FAST` so thousands of accounts can be made quickly; production never does.
_STRONG = PasswordHasher()
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher() -> PasswordHasher:
    return _FAST if has_app_context() and current_app.config.get("ARGON2_FAST") else _STRONG


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


_TRAILING = re.compile(r"[\d\W_]+$")


def problem_with(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """A sentence saying what is wrong with the password, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    stem = _TRAILING.sub("", lowered)
    if lowered in _common() or (len(stem) >= 6 and stem in _common()):
        return "That password is too common. Try three random words together"
    if len(set(lowered)) <= 2:
        return "That password is too easy to guess. Try three random words together"
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in lowered:
        return "Your password must not contain your email address"
    name = display_name.lower().replace(" ", "")
    if len(name) >= 4 and name in lowered.replace(" ", ""):
        return "Your password must not contain your name"
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


_DUMMY: dict[int, str] = {}


def verify_nothing(password: str) -> None:
    """Spend the same time as a real check, for an email with no account, so the time a
    sign-in takes does not tell whether the address is registered."""
    hasher = _hasher()
    if id(hasher) not in _DUMMY:
        _DUMMY[id(hasher)] = hasher.hash("not-a-real-password-for-timing")
    verify_password(_DUMMY[id(hasher)], password)
