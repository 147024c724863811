"""Helpers shared by the tests of every area (test modules import these, never each other).

- `recorded_statements`, `statements_for` and `assert_same_count`: count the SQL statements a
  page sends, to show that the number does not grow with the data (no N+1 queries).
- `assert_redirects_after_post`: the 303-after-POST rule (HX-Redirect for htmx).
- `live`: a factory's detached object, loaded in the current session.
- `second_factor_code`: a fresh code from someone's authenticator app, setting one up first for
  staff who have none, so that signing in (tests/conftest.py `auth.login`, the browser tests'
  `sign_in`) completes both steps.
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
    _seen_just_now(app)
    with recorded_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    return statements


def _seen_just_now(app) -> None:
    """Every signed-in session was seen just now: the session guard's once-a-minute write of
    "last seen" (and the reloads after it) cannot fall into the counted request, as it could
    when a slow machine took a minute between signing in and counting."""
    from sqlalchemy import update

    from forum.accounts.security.models import UserSession
    from forum.models import utcnow

    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=utcnow()))
        db.session.commit()


def assert_same_count(url: str, small: list[str], large: list[str]) -> None:
    extra = [s for s in large if s not in small] or large[len(small) :]
    assert len(large) == len(small), (
        f"GET {url} sent {len(small)} statements with little data and {len(large)} with more; "
        "first extra statements:\n" + "\n".join(extra[:3])
    )


def enrol_if_needed(app, email: str) -> bool:
    """Give staff who have no authenticator app one (see `factories.make_authenticator`), as
    they must have before using staff pages. Whether signing in will ask `email` for a code."""
    from forum.accounts.queries import get_by_email
    from forum.accounts.security.permissions import needs_second_factor
    from forum.accounts.security.queries import authenticator_of
    from tests.factories import make_authenticator

    with app.app_context():
        user = get_by_email(email)
        if user is None:
            return False
        found = authenticator_of(user)
        if found is not None and found.enabled_at is not None:
            return True
        if not needs_second_factor(user):
            return False
        if found is not None:  # half set up through the pages: finish it
            db.session.delete(found)
            db.session.flush()
        make_authenticator(user)
        return True


def second_factor_code(app, email: str) -> str:
    """The code `email`'s authenticator app shows now.

    A code is refused if its 30-second step was already used; when a test signs the same
    person in twice within one step, the step last used is moved back one, which stands for
    waiting for the app's next code.
    """
    from forum.accounts.queries import get_by_email
    from forum.accounts.security import services as security
    from forum.accounts.security import totp
    from forum.accounts.security.queries import authenticator_of

    with app.app_context():
        user = get_by_email(email)
        found = authenticator_of(user) if user is not None else None
        assert found is not None and found.enabled_at is not None, f"{email} has no app"
        secret = security.secret_of(found)
        assert secret is not None
        now = totp.current_step()
        if found.last_step is not None and found.last_step >= now:
            found.last_step = now - 1
            db.session.commit()
        return totp.code_at(secret, now)


#: the Redis the machine may have running (tests that need one skip without it)
REDIS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False
