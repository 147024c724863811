"""Static files addressed by their content, so browsers keep them without asking again.

`static_url("dist/app.css")` is the file's address with a short hash of its content
(`/static/dist/app.css?v=3f2a…`). A request that carries the current hash is answered with
`Cache-Control: public, max-age=31536000, immutable`: the browser (and any cache in front of
the app) keeps it for a year and never revalidates, and a new build changes the hash, so the
next page asks for the new file. A request without a hash, or with an old one, is served as
before: Flask's validators, revalidated on each use.

Static files never carry the session cookie back (`StaticQuietSessions`): a file that any
cache may keep must not hold a person's cookie, and a late request for the icon must not sign
back in a browser whose cookies were just cleared.

The hash is worked out once per file and kept until the file's size or modification time
changes (a rebuild while `make run` serves is picked up on the next page).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for
from flask.sessions import SecureCookieSessionInterface, SessionMixin

#: one year: the longest lifetime caches honour
IMMUTABLE = "public, max-age=31536000, immutable"

_hashes: dict[str, tuple[tuple[int, int], str]] = {}


def content_hash(path: Path) -> str | None:
    """The first 12 hex digits of the file's sha256, or None when there is no such file."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = str(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    known = _hashes.get(key)
    if known and known[0] == stamp:
        return known[1]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    _hashes[key] = (stamp, digest)
    return digest


def _static_path(filename: str) -> Path | None:
    folder = current_app.static_folder
    if not folder:
        return None
    root = Path(folder).resolve()
    path = (root / filename).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def static_url(filename: str) -> str:
    """The address of a static file, with its content hash when the file exists."""
    path = _static_path(filename)
    digest = content_hash(path) if path else None
    if digest is None:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=digest)


class StaticQuietSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a static file's response never sets the
    cookie (a permanent session would otherwise be refreshed on every file)."""

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        return request.endpoint != "static" and super().should_set_cookie(app, session)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["static_url"] = static_url
    app.session_interface = StaticQuietSessions()

    @app.after_request
    def _cache_forever_when_addressed_by_content(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code != 200:
            return response
        asked = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        path = _static_path(os.fspath(filename)) if asked else None
        if path is not None and content_hash(path) == asked:
            response.headers["Cache-Control"] = IMMUTABLE
        return response
