"""Helpers shared by the tests of every area (test modules import these, never each other).

- `recorded_statements`, `statements_for` and `assert_same_count`: count the SQL statements a
  page sends, to show that the number does not grow with the data (no N+1 queries).
- `assert_redirects_after_post`: the 303-after-POST rule (HX-Redirect for htmx).
- `live`: a factory's detached object, loaded in the current session.
- `HUGE`, `SCRIPT` and `RTL_EMOJI`: hostile input for the bad-input tests (far too long,
  HTML and script, right-to-left text and emoji).
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import event

from forum.extensions import db

HUGE = "x" * 10_001
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RTL_EMOJI = "مريم 👩‍👧 בית"


def assert_redirects_after_post(response, *, htmx: bool, shown: int = 300) -> None:
    """A plain form gets 303 See Other, htmx 204 with HX-Redirect; both vary on HX-Request.
    On failure, the first `shown` characters of the page say why."""
    if htmx:
        assert response.status_code == 204, response.get_data(as_text=True)[:shown]
        assert response.headers["HX-Redirect"].startswith("/")
    else:
        assert response.status_code == 303, response.get_data(as_text=True)[:shown]
        assert response.headers["Location"].startswith("/")
    assert "HX-Request" in response.headers["Vary"]


def live(obj):
    """The factory's detached object, loaded in this session."""
    return db.session.get(type(obj), obj.id)


_TRANSACTION = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


@contextmanager
def recorded_statements(app):
    """Every statement SQLAlchemy sends to the app's engine while the block runs."""
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if not _TRANSACTION.match(statement):
            statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def statements_for(app, client, url: str) -> list[str]:
    client.get(url)  # a first GET, not counted, so one-off work does not skew the count
    with recorded_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    return statements


def assert_same_count(url: str, small: list[str], large: list[str]) -> None:
    extra = [s for s in large if s not in small] or large[len(small) :]
    assert len(large) == len(small), (
        f"GET {url} sent {len(small)} statements with little data and {len(large)} with more; "
        "first extra statements:\n" + "\n".join(extra[:3])
    )
