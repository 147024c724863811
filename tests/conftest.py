"""Shared fixtures: a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL), one app
for the whole run, a client that sends CSRF tokens like a browser, a login helper and an SMTP
server.

The schema comes from the migrations, applied once per run (once per worker under
pytest-xdist: each worker has its own SQLite file, or its own PostgreSQL schema).

Isolation: each test runs inside a transaction on one connection that is rolled back when it
ends. Every session the test opens (its own `with app.app_context():` blocks and each request's)
is bound to that connection in "create_savepoint" mode, so a view's `commit()` releases a
savepoint and its `rollback()` goes back to one, exactly as the code expects, while nothing
reaches the database for the next test. Tests that need real commits (several connections or
threads, a second app) are marked `real_commits`; they commit for real and every row is deleted
afterwards, as the browser tests do.

Tests share one app built with the default test settings. A test (or module) that overrides
`app_config` gets an app made with those settings, made once per run and worker and shared by
every test that asks for exactly the same settings (a module's tests usually do); a test
marked `own_app` gets a new app of its own (for instance one that adds a route). Whatever a
test changes in an app's config is put back.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest
from flask.testing import EnvironBuilder, FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, make_url, text

from forum import create_app
from forum.extensions import db, limiter

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
#: "gw0", "gw1", … under pytest-xdist; "main" otherwise
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "real_commits: commits for real (threads, several connections or apps); "
        "rows are deleted after the test instead of rolled back",
    )
    config.addinivalue_line(
        "markers", "own_app: gets an app of its own (for a test that changes the app itself)"
    )


def pytest_collection_modifyitems(config, items):
    """The longest tests first, each group in pytest-randomly's order: the browser journeys
    (a module named `test_*_journey.py`, 10 to 50 seconds each), then the other browser tests,
    then the rest. Under pytest-xdist the long tests then start early and the quick ones fill
    in around them, instead of one journey running on alone at the end while the other workers
    sit idle (a run is only as short as its last test)."""

    def order(item) -> int:
        if item.get_closest_marker("browser") is None:
            return 2
        return 0 if item.module.__name__.endswith("_journey") else 1

    items.sort(key=order)


def base_config(database_url: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        "ARGON2_FAST": True,
        "MAIL_TRANSPORT": "console",
        "PUBLIC_URL": "http://localhost",
        # no DfE files on the server unless a test places some
        "DFE_SEN_DIR": "",
        # pages are not kept between requests (apps are shared by many tests' worlds), except
        # in the tests of keeping them (tests/web/test_caching.py)
        "PAGE_CACHE_SECONDS": 0,
    }
    config.update(extra)
    return config


def _worker_schema(worker: str) -> str:
    return f"coproduce_test_{worker}"


def _execute(url: str, *statements: str) -> None:
    """Run statements on the PostgreSQL server at `url`, outside any test's transaction."""
    from forum.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def worker_database_url(url: str, worker: str = WORKER) -> str:
    """This worker's database: the PostgreSQL URL with a schema of its own on the search path,
    which is made empty here (so workers never see each other's rows or tables)."""
    from forum.config import normalise_database_url

    schema = _worker_schema(worker)
    _execute(url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', f'CREATE SCHEMA "{schema}"')
    # synchronous_commit=off: a commit does not wait for its WAL to reach the disk (only a
    # server crash could lose one, which no test makes); what each session sees is unchanged.
    own = make_url(normalise_database_url(url)).update_query_dict(
        {"options": f"-csearch_path={schema} -csynchronous_commit=off"}
    )
    return own.render_as_string(hide_password=False)


def drop_worker_schema(url: str, worker: str = WORKER) -> None:
    _execute(url, f'DROP SCHEMA IF EXISTS "{_worker_schema(worker)}" CASCADE')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if TEST_DATABASE_URL:
        url = worker_database_url(TEST_DATABASE_URL)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app(base_config(url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if TEST_DATABASE_URL:
        drop_worker_schema(TEST_DATABASE_URL)


def empty_all_tables() -> None:
    # DELETE rather than TRUNCATE: on tables this small it is several times faster on
    # PostgreSQL, and it is the same statement on both engines.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


class _SharedBytecode(BytecodeCache):
    """Compiled templates shared by every app the run makes: compiling the GOV.UK macros again
    for each new app would cost about a second."""

    store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


def make_app(config: dict):
    app = create_app(config)
    app.jinja_env.bytecode_cache = _SharedBytecode()
    app.test_client_class = CsrfClient
    return app


class _BoundSession(FlaskSession):
    """A session that uses the connection it was given. Flask-SQLAlchemy's own `get_bind`
    always answers with the app's engine, which would open a second connection outside the
    test's transaction."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@dataclass
class _Shared:
    app: object
    config: dict
    #: the rate limiter keeps its settings on itself, not on the app: the next app made
    #: (a test's own) overwrites them, so they are put back after such a test
    limiter_state: dict
    bound_session: object
    #: the connection of the module's world while one is open (see `world_app`)
    world_connection: object = None
    #: apps made for other settings, by those settings (see `_app_for`)
    configured: dict = field(default_factory=dict)


@pytest.fixture(scope="session")
def _shared(database_url) -> _Shared:
    app = make_app(base_config(database_url))
    bound = db._make_scoped_session(
        {"class_": _BoundSession, "join_transaction_mode": "create_savepoint"}
    )
    shared = _Shared(
        app=app,
        config=dict(app.config),
        limiter_state=dict(vars(limiter)),
        bound_session=bound,
    )
    yield shared
    for other in [app] + [found.app for found in shared.configured.values()]:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@dataclass
class _Configured:
    """An app made for settings other than the default, kept for the next test that asks for
    the same settings: with its config as made, and the rate limiter's settings as its making
    left them (the limiter keeps them on itself, and every app made overwrites them)."""

    app: object
    config: dict
    limiter_state: dict


def _app_for(shared: _Shared, app_config: dict) -> _Configured:
    key = repr(sorted(app_config.items()))
    found = shared.configured.get(key)
    if found is None:
        app = make_app(app_config)
        found = shared.configured[key] = _Configured(
            app=app, config=dict(app.config), limiter_state=dict(vars(limiter))
        )
    else:
        vars(limiter).clear()
        vars(limiter).update(found.limiter_state)
    return found


@contextmanager
def _in_transaction(flask_app, bound_session):
    """Bind every session to one connection inside a transaction, and roll it all back."""
    with flask_app.app_context():
        engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    original = db.session
    bound_session.session_factory.configure(bind=connection)
    db.session = bound_session
    try:
        yield connection
    finally:
        _close_sessions(bound_session)
        db.session = original
        outer.rollback()
        connection.close()


def _close_sessions(bound_session) -> None:
    """Sessions are removed when their app context ends; close any a test left open."""
    for session in list(bound_session.registry.registry.values()):
        session.close()
    bound_session.registry.registry.clear()


@pytest.fixture(scope="module")
def world_app(_shared):
    """The shared app inside a transaction that lasts for the whole module.

    A module-scoped world fixture takes this instead of `app` and builds its rows once (with
    `with world_app.app_context():`); each test then works inside a savepoint that is rolled
    back when it ends, so every test still starts from the same world, and the world itself is
    rolled back when the module's last test has run. Parametrized matrices of permissions and
    bad input build their world once instead of once per case.
    """
    with _in_transaction(_shared.app, _shared.bound_session) as connection:
        _shared.world_connection = connection
        try:
            yield _shared.app
        finally:
            _shared.world_connection = None


@pytest.fixture
def app_config(database_url) -> dict:
    """Override in a test module (or parametrize) to change settings for that app."""
    return base_config(database_url)


@pytest.fixture
def app(request, app_config, _shared, database_url):
    """The app. No app context is left pushed: each request gets its own, as in production (a
    pushed one would be shared with requests, and so would `g`). Tests that touch the database
    use `with app.app_context():`."""
    own = request.node.get_closest_marker("own_app")
    configured = None if own or app_config == base_config(database_url) else app_config
    real_commits = request.node.get_closest_marker("real_commits")
    if _shared.world_connection is not None and (own or configured or real_commits):
        raise pytest.UsageError(
            f"{request.node.nodeid} needs its own app or real commits, which cannot share a "
            "module-scoped world's transaction: give it a module of its own"
        )
    if own:
        flask_app, config = make_app(app_config), None
    elif configured:
        found = _app_for(_shared, configured)
        flask_app, config = found.app, found.config
    else:
        flask_app, config = _shared.app, _shared.config
    if flask_app.config["RATELIMIT_ENABLED"]:
        with flask_app.app_context():
            limiter.reset()
    if real_commits:
        isolation = _with_real_commits(flask_app)
    elif _shared.world_connection is not None:
        isolation = in_savepoint(_shared)
    else:
        isolation = _in_transaction(flask_app, _shared.bound_session)
    try:
        with isolation:
            yield flask_app
    finally:
        if own:
            with flask_app.app_context():
                db.engine.dispose()
        else:
            flask_app.config.clear()
            flask_app.config.update(config)
        if own or configured:
            vars(limiter).clear()
            vars(limiter).update(_shared.limiter_state)


@contextmanager
def in_savepoint(shared: _Shared):
    """Inside the module's world: one savepoint, rolled back when it ends. Each test gets one;
    a module-scoped fixture that adds rows only to measure something can take one too, so that
    the module's tests do not read them (see tests/outcomes/themes/test_themes_query_counts.py)."""
    savepoint = shared.world_connection.begin_nested()
    try:
        yield
    finally:
        _close_sessions(shared.bound_session)
        if savepoint.is_active:
            savepoint.rollback()


@contextmanager
def _with_real_commits(flask_app):
    """Real commits; every row is deleted when the test ends."""
    try:
        yield
    finally:
        with flask_app.app_context():
            db.session.remove()
            empty_all_tables()
            db.session.remove()


#: signed-in pages carry the token in <body hx-headers=…> for htmx; forms carry it as a field
_TOKEN = re.compile(
    r'X-CSRFToken&#34;: &#34;([^&]+)&#34;|name="csrf_token" type="hidden" value="([^"]+)"'
)


class CsrfClient(FlaskClient):
    """A test client that behaves like a browser: it sends the CSRF token with every form.

    `post_form(url, data)` adds `csrf_token` (fetched once per session from a page);
    `htmx=True` sends it as a header instead, as htmx does, with `HX-Request: true`.
    """

    csrf: str | None = None
    #: weak references to the responses the test's clients gave (see `open`)
    opened: list[weakref.ref] = []

    def open(self, *args, **kwargs):
        # A streamed response (an export) keeps its request context pushed until it is read
        # to the end or closed. One the test dropped is closed as soon as it is collected;
        # one kept alive by a failed assertion's traceback is closed when the test ends, so it
        # cannot leak into the next test. Weak references: holding responses here would keep
        # their contexts pushed for the rest of the test.
        response = super().open(*args, **kwargs)
        self.opened.append(weakref.ref(response))
        return response

    def csrf_token(self, refresh: bool = False) -> str:
        """The token a page would carry for this client's session, made by Flask-WTF's own
        `generate_csrf` on the session in the client's cookie (which it gives a secret if it
        has none, saved back to the cookie as a page's response would). No page is rendered:
        fetching one cost two thirds of a typical sign-in. That pages carry a token the app
        accepts is proven by tests/web/test_csrf_tokens.py and by every form the browser
        tests send."""
        if self.csrf is None or refresh:
            from flask.ctx import RequestContext
            from flask_wtf.csrf import generate_csrf

            with self.session_transaction() as session:
                builder = EnvironBuilder(self.application)
                try:
                    environ = builder.get_environ()
                finally:
                    builder.close()
                # generate_csrf reads and writes the request's session: this one
                with RequestContext(self.application, environ, session=session):
                    self.csrf = generate_csrf()
        return self.csrf

    def csrf_token_from_page(self) -> str:
        """The token as a page carries it: in <body hx-headers> when signed in, in a form's
        hidden field when signed out."""
        page = self.get("/privacy").get_data(as_text=True)
        found = _TOKEN.search(page)
        if found is None:  # signed out: take it from a form
            found = _TOKEN.search(self.get("/forgot-password").get_data(as_text=True))
        assert found, "no CSRF token found"
        return found.group(1) or found.group(2)

    def post_form(self, url: str, data: dict | None = None, *, htmx: bool = False, **kwargs):
        data = dict(data or {})
        headers = dict(kwargs.pop("headers", {}) or {})
        if htmx:
            headers["HX-Request"] = "true"
            headers["X-CSRFToken"] = self.csrf_token()
        else:
            data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, headers=headers, **kwargs)

    def htmx_get(self, url: str, **kwargs):
        headers = {"HX-Request": "true", **(kwargs.pop("headers", {}) or {})}
        return self.get(url, headers=headers, **kwargs)


@pytest.fixture(autouse=True)
def _close_responses():
    yield
    while CsrfClient.opened:
        response = CsrfClient.opened.pop()()  # newest first: contexts unwind in order
        if response is not None:
            response.close()


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


@pytest.fixture
def make_client(app):
    """More browsers: each call gives another client with its own cookies."""
    return app.test_client


@dataclass
class SignedIn:
    """Where signing in landed: the page `landing` chose, as the sign-in form redirects to."""

    location: str


@dataclass
class AuthActions:
    client: CsrfClient

    def login(self, email: str, password: str = "correct-horse-battery-staple", *, pages=False):
        """Sign `email` in on this client, as the sign-in pages do when the password (and, for
        staff or anyone with an authenticator app, the code) is right: the account's
        password is checked, an app is set up for staff who have none (`enrol_if_needed`),
        and the same services start the browser session, so every page after sees the
        person as the pages would have signed them in. Returns `SignedIn` with where the
        form would land.

        Going through the two forms cost about 30 ms a sign-in, and tests sign in over a
        thousand times a run; the forms themselves are tested in tests/accounts. `pages=True`
        signs in through them and returns the last response, for a test about signing in."""
        if pages:
            return self._login_through_pages(email, password)
        from flask.ctx import RequestContext

        from forum.accounts import services as accounts
        from forum.accounts.notices import after_sign_in, landing
        from forum.accounts.security.guard import start_browser_session
        from tests.support import enrol_if_needed

        app = self.client.application
        asks_for_code = enrol_if_needed(app, email)
        with self.client.session_transaction() as session:
            builder = EnvironBuilder(
                app, path="/sign-in", method="POST", environ_base=self.client.environ_base
            )
            try:
                environ = builder.get_environ()
            finally:
                builder.close()
            with RequestContext(app, environ, session=session):
                user = accounts.authenticate(email, password)
                assert user is not None, f"{email} cannot sign in with that password"
                accounts.note_sign_in(user)
                start_browser_session(user, second_factor=asks_for_code)
                db.session.commit()
                after_sign_in(user)
                landed = SignedIn(landing(user, ""))
        self.client.csrf = None  # a new session after sign-in means a new token
        return landed

    def _login_through_pages(self, email: str, password: str):
        from tests.support import enrol_if_needed, second_factor_code

        app = self.client.application
        asks_for_code = enrol_if_needed(app, email)
        self.client.csrf = None
        response = self.client.post_form("/sign-in", {"email": email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        if asks_for_code:
            assert response.headers["Location"] == "/sign-in/code", response.headers["Location"]
            self.client.csrf = None  # the half-way session is a new one
            code = second_factor_code(app, email)
            response = self.client.post_form("/sign-in/code", {"code": code})
            assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        self.client.csrf = None  # a new session after sign-in means a new token
        return response

    def logout(self):
        response = self.client.post_form("/sign-out")
        self.client.csrf = None
        return response


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


# --- a real SMTP server --------------------------------------------------------------------


@dataclass
class Inbox:
    """What arrived at the test SMTP server."""

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if address.lower() in m["To"].lower()]

    def wait_for(self, address: str, count: int = 1, timeout: float = 10.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(
            f"expected {count} message(s) to {address}, got {len(self.to(address))}"
        )

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()


def body_of(message: Message) -> str:
    if message.is_multipart():
        return "".join(body_of(part) for part in message.get_payload())
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


def link_in(message: Message, pattern: str) -> str:
    found = re.search(r"https?://\S*" + pattern + r"\S*", body_of(message))
    assert found, f"no link matching {pattern!r} in the email"
    return found.group(0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox(host="127.0.0.1", port=free_port())

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            with inbox.lock:
                inbox.messages.append(message_from_bytes(envelope.content))
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname=inbox.host, port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def inbox(smtp_server) -> Inbox:
    smtp_server.clear()
    return smtp_server


def smtp_config(inbox: Inbox) -> dict:
    return {"MAIL_TRANSPORT": "smtp", "MAIL_SERVER": inbox.host, "MAIL_PORT": inbox.port}
