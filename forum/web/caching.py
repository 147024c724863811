"""Pages that are the same for every visitor, kept and sent again cheaply, and compressed.

A view marked `@shared_page` (a public page: an area's home, its consultations, plans, events)
is, for a visitor who has no session (no cookie at all: nobody signed in, no form on the go,
nothing just sent), rendered once and kept for `PAGE_CACHE_SECONDS` in a store every app
server shares (Redis at `PAGE_CACHE_URL` when it is set, this process's memory otherwise), and
sent with `Cache-Control: public, max-age=…`, an `ETag` and `Vary: Cookie, HX-Request,
Accept-Encoding`, so a browser or a proxy may keep it too and ask again with `If-None-Match`
(`304 Not Modified`).

What keeps this safe:

- Only a visitor with no session cookie is served from, or adds to, the store. A signed-in
  person's pages are never kept (`no-store`, `security.py`); someone who has just sent a form
  has a session, so their next page is made afresh and shows what they did. Everyone else
  sees a change within `PAGE_CACHE_SECONDS` (a kept page is sent with its `Age`, so a proxy
  keeps it no longer than that in all).
- A page is kept only when it is a 200 whose making set no cookie, used no CSRF token (a
  form) and flashed nothing; anything else is sent as made.
- A kept page carries no CSP nonce: the two inline blocks the layout has (GOV.UK's
  "js-enabled" script and the area's colour) are allowed by their SHA-256 hashes instead
  (`security.content_security_policy`), so no nonce is ever sent to two people.

Compression: any text response of 1 KB or more is sent gzipped to a client that accepts it
(pages kept in the store are kept gzipped too). Static files are left to the proxy, or sent
as they are.
"""

from __future__ import annotations

import gzip
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request, session

#: responses smaller than this are not worth compressing
COMPRESS_MIN_BYTES = 1024
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")
#: pages kept in this process's memory at most (the least recently used goes first)
MEMORY_PAGES_MAX = 512

#: the clock the store uses (tests move it on)
clock: Callable[[], float] = time.time


def shared_page(view: Callable) -> Callable:
    """Mark a view as the same for every visitor without a session (see the module)."""
    view._is_shared_page = True  # type: ignore[attr-defined]
    return view


def is_shared(view: Callable | None) -> bool:
    """Whether a view is marked `@shared_page`."""
    return bool(getattr(view, "_is_shared_page", False))


def is_shared_request() -> bool:
    """Whether this request is one whose page may be kept and shared (decided before the view
    runs; `security.csp_nonce` reads it so that such a page carries no nonce)."""
    return bool(g.get("shared_page"))


# -- the store ----------------------------------------------------------------------------------


class MemoryStore:
    """Kept pages in this process: {key: (stored at, expires at, entry)}, least recently used
    dropped first."""

    def __init__(self, limit: int = MEMORY_PAGES_MAX):
        self._pages: OrderedDict[str, tuple[float, float, dict]] = OrderedDict()
        self._lock = threading.Lock()
        self.limit = limit

    def get(self, key: str) -> tuple[float, dict] | None:
        now = clock()
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            stored_at, expires_at, entry = found
            if expires_at <= now:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return stored_at, entry

    def put(self, key: str, entry: dict, seconds: int) -> None:
        now = clock()
        with self._lock:
            self._pages[key] = (now, now + seconds, entry)
            self._pages.move_to_end(key)
            while len(self._pages) > self.limit:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


class RedisStore:
    """Kept pages in Redis, shared by every app server; Redis expires them."""

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def get(self, key: str) -> tuple[float, dict] | None:
        try:
            raw = self._redis.get(key)
        except Exception:  # the cache is an optimisation: a page is made as if not kept
            return None
        if raw is None:
            return None
        stored_at, entry = pickle.loads(raw)  # type: ignore[arg-type]  # noqa: S301
        return stored_at, entry

    def put(self, key: str, entry: dict, seconds: int) -> None:
        try:
            self._redis.set(key, pickle.dumps((clock(), entry)), ex=seconds)
        except Exception:
            return

    def clear(self) -> None:
        try:
            for key in self._redis.scan_iter("coproduce:page:*"):
                self._redis.delete(key)
        except Exception:
            return


def store_of(app: Flask):
    return app.extensions["page_cache"]


def store():
    return store_of(current_app)


# -- the request's path through it ---------------------------------------------------------------


def _accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _key() -> str:
    raw = "\n".join(
        (
            request.host,
            request.full_path,
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            "gzip" if _accepts_gzip() else "",
        )
    )
    return "coproduce:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _has_session() -> bool:
    config = current_app.config
    names = (config.get("SESSION_COOKIE_NAME", "session"), config.get("REMEMBER_COOKIE_NAME"))
    return any(name and name in request.cookies for name in names)


def _before():
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not is_shared(view):
        return None
    if _has_session():
        # made for this visitor (or person): kept by nobody on the way, asked for afresh
        g.own_copy = True
        return None
    # The same for everyone, so no nonce, whether or not pages are kept here.
    g.shared_page = True
    if not current_app.config.get("PAGE_CACHE_SECONDS"):
        return None
    g.shared_page_key = _key()
    found = store().get(g.shared_page_key)
    if found is None:
        return None
    stored_at, entry = found
    g.shared_page_hit = True
    response = Response(entry["body"], status=200)
    response.headers.extend(entry["headers"])
    age = max(0, int(clock() - stored_at))
    response.headers["Age"] = str(age)
    return response.make_conditional(request)


def _after(response: Response) -> Response:
    if g.get("shared_page_key") and not g.get("shared_page_hit"):
        _keep(response)
        return response
    if g.get("own_copy") and "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "private, no-cache"
    if response.status_code == 200:
        _compress(response)
    return response


def _keep(response: Response) -> None:
    seconds = int(current_app.config["PAGE_CACHE_SECONDS"])
    keepable = (
        response.status_code == 200
        and not response.direct_passthrough
        and not response.is_streamed
        and "csrf_token" not in g
        and not session.modified
        and "_flashes" not in session
        and "Set-Cookie" not in response.headers
        and "no-store" not in response.headers.get("Cache-Control", "")
    )
    if not keepable:
        response.headers["Cache-Control"] = "no-store"
        _compress(response)
        return
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    response.vary.update(("Cookie", "HX-Request", "Accept-Encoding"))
    _compress(response)
    response.add_etag()
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name not in ("Content-Length", "Date", "Age")
    ]
    store().put(g.shared_page_key, {"body": response.get_data(), "headers": headers}, seconds)
    response.make_conditional(request)


def _compress(response: Response) -> None:
    if (
        response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        # a view's own validator names its own bytes (the calendar feed's 304s)
        or "ETag" in response.headers
        or not (response.mimetype or "").startswith(COMPRESSIBLE)
    ):
        return
    response.vary.add("Accept-Encoding")
    if not _accepts_gzip():
        return
    body = response.get_data()
    if len(body) < COMPRESS_MIN_BYTES:
        return
    response.set_data(gzip.compress(body, compresslevel=5, mtime=0))
    response.headers["Content-Encoding"] = "gzip"


def init_app(app: Flask) -> None:
    """Register first among the response hooks, so that `_after` runs last, once every other
    header (security's `no-store` for signed-in pages among them) is set."""
    url = app.config.get("PAGE_CACHE_URL") or ""
    app.extensions["page_cache"] = RedisStore(url) if url.startswith("redis") else MemoryStore()
    app.before_request(_before)
    app.after_request(_after)
