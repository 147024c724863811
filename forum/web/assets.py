"""Static files addressed by their content, so browsers keep them without asking again.

`static_url("dist/app.css")` is the file's address with a short hash of its content in its
name (`/static/dist/app.3f2a1b4c5d6e.css`). A request that carries the current hash is
answered with the file and `Cache-Control: public, max-age=31536000, immutable`: the browser
(and any cache or CDN in front of the app) keeps it for a year and never revalidates, and a
new build changes the name, so the next page asks for the new file. A request with an old
hash, or none, gets the file as it is now with Flask's validators, revalidated on each use (a
page cached from before a deploy still finds its files). `?v=<hash>`, the form of the address
before hashes moved into the name, is still understood.

Static files never carry the session cookie back (`StaticQuietSessions`): a file that any
cache may keep must not hold a person's cookie, and a late request for the icon must not sign
back in a browser whose cookies were just cleared.

The hash is worked out once per file and kept until the file's size or modification time
changes; a file's address is worked out at most once a second per process (a rebuild while
`make run` serves is picked up a second later), not on every page.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
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


#: how long a worked-out address is used before the file is looked at again (seconds)
RECHECK_SECONDS = 1.0
_addresses: dict[str, tuple[float, str]] = {}
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")


def hashed_name(filename: str, digest: str) -> str:
    """`dist/app.css` → `dist/app.<digest>.css`."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot or "/" in suffix:
        return f"{filename}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def static_url(filename: str) -> str:
    """The address of a static file, with its content hash in its name when the file exists."""
    now = time.monotonic()
    known = _addresses.get(filename)
    if known is not None and now - known[0] < RECHECK_SECONDS:
        return known[1]
    path = _static_path(filename)
    digest = content_hash(path) if path else None
    name = hashed_name(filename, digest) if digest else filename
    address = url_for("static", filename=name)
    _addresses[filename] = (now, address)
    return address


def _unhashed(filename: str) -> tuple[str, str | None]:
    """(the file's own name, the hash the address carried) for a hashed address whose file
    exists; (filename, None) for any other."""
    found = _HASHED.match(filename)
    if found is None:
        return filename, None
    plain = found["stem"] + found["suffix"]
    if _static_path(plain) is None:
        return filename, None
    return plain, found["digest"]


class StaticQuietSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a static file's response never sets the
    cookie (a permanent session would otherwise be refreshed on every file)."""

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        return request.endpoint != "static" and super().should_set_cookie(app, session)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["static_url"] = static_url
    app.session_interface = StaticQuietSessions()
    serve = app.view_functions["static"]

    def static(filename: str):
        plain, _asked = _unhashed(filename)
        return serve(filename=plain)

    app.view_functions["static"] = static

    @app.after_request
    def _cache_forever_when_addressed_by_content(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code != 200:
            return response
        filename = os.fspath((request.view_args or {}).get("filename", ""))
        plain, asked = _unhashed(filename)
        asked = asked or request.args.get("v")
        path = _static_path(plain) if asked else None
        if path is not None and content_hash(path) == asked:
            response.headers["Cache-Control"] = IMMUTABLE
        return response
