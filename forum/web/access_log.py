"""Gunicorn's access log, without secrets or people's words.

Paths that carry a bearer secret (a survey's private resume and quoting links and its email-
confirmation link, email verification, email change and password reset links, the link to a
shared inspection evidence pack) are logged with the secret cut out, and query strings (search
words, filters) are not logged at all. `make run` passes `--logger-class` to gunicorn.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

_SECRET = re.compile(
    r"(/(?:resume|quoting|confirm|verify-email|reset-password|confirm-email-change"
    r"|subscriptions|unsubscribe|pack)/)[^/?#\s]+"
)
HIDDEN = "[hidden]"


def redact(target: str | None) -> str | None:
    """A path (or URL) fit for a log: secret path parts and the query string replaced."""
    if not target or target == "-":
        return target
    path, sep, _query = target.partition("?")
    path = _SECRET.sub(lambda m: m.group(1) + HIDDEN, path)
    return path + (f"?{HIDDEN}" if sep else "")


_QUERY = re.compile(r"\?[^\s\"]*")


def _scrub(key: str, value):
    if not isinstance(value, str) or not value:
        return value
    if key == "q" or "query_string" in key.lower():
        return HIDDEN
    value = _SECRET.sub(lambda m: m.group(1) + HIDDEN, value)
    return _QUERY.sub(f"?{HIDDEN}", value)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # Every atom, header and environ ones included: the request line, the path, the
        # referer and RAW_URI all carry the same secrets.
        return {key: _scrub(key, value) for key, value in atoms.items()}
