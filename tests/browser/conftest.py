"""Browser tests: the app served for real on a free port, driven by Debian's chromium.

- `live_server` (session): the app in a background thread (werkzeug, threaded), on the same
  test database as `database_url` and sending mail to the session's `smtp_server`. Each test
  starts with empty tables and an empty inbox.
- `browser` (session): one chromium for the whole run; `open_page` gives each test fresh
  contexts (cookies, storage) wrapped in `CheckedPage`, which axe-checks what it shows and fails
  on console errors and CSP violations (see support.py).

Without /usr/bin/chromium these tests are skipped with a warning at the end of the run, or fail
when CI=true, so CI can never pass by running none of them.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from forum import create_app
from forum.extensions import db
from tests.browser.support import (
    CheckedPage,
    ContextPool,
    SnapshotChecker,
    serve_axe,
    share_passed,
    use_app,
)
from tests.conftest import Inbox, base_config, empty_all_tables, link_in, smtp_config

#: Debian's chromium; CHROMIUM_BIN overrides it only so that .ci/run can test a missing browser.
CHROMIUM = Path(os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ON_CI = os.environ.get("CI", "").strip().lower() == "true"
MISSING = (
    f"{CHROMIUM} is missing, so the browser tests (Playwright + axe) cannot run. "
    "Install Debian's chromium package (apt-get install chromium); never `playwright install`."
)

_skipped_for_missing_chromium = 0


def pytest_collection_modifyitems(config, items):
    global _skipped_for_missing_chromium
    if CHROMIUM.exists():
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    _skipped_for_missing_chromium = len(browser_items)
    if ON_CI:
        # A CI run that silently skipped every browser test would look green: leave them to
        # fail in the `playwright_driver` fixture instead, each with the reason.
        return
    skip = pytest.mark.skip(reason=MISSING)
    for item in browser_items:
        item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if _skipped_for_missing_chromium:
        outcome = "failed (CI=true)" if ON_CI else "skipped"
        terminalreporter.section("BROWSER TESTS NOT RUN", sep="!", red=True, bold=True)
        terminalreporter.write_line(
            f"{_skipped_for_missing_chromium} browser test(s) {outcome}: {MISSING}",
            red=True,
            bold=True,
        )


# --- the live server -----------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request (errors are still logged)."""

    def log_request(self, code="-", size="-"):
        pass


@dataclass
class LiveServer:
    app: object
    url: str
    inbox: Inbox

    def deliver_email(self) -> dict[str, int]:
        """Run the outbox worker once, as `flask outbox send` would, to the test SMTP server."""
        from forum.notifications.services import deliver_pending

        with self.app.app_context():
            return deliver_pending()

    def link_emailed_to(self, address: str, pattern: str, count: int = 1) -> str:
        """Deliver the outbox and return the link matching `pattern` in the last email."""
        self.deliver_email()
        messages = self.inbox.wait_for(address, count=count)
        link = link_in(messages[-1], pattern)
        assert link.startswith(self.url + "/"), f"{link} does not start with PUBLIC_URL {self.url}"
        return link


@pytest.fixture(scope="session")
def live_server(database_url, smtp_server):
    app = create_app(base_config(database_url, **smtp_config(smtp_server)))
    serve_axe(app)
    use_app(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    # Emailed links start with PUBLIC_URL; it is read when each email is built.
    app.config["PUBLIC_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=url, inbox=smtp_server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_rows(live_server):
    """Every test starts with no rows and no mail. Autouse, so it is set up first and torn down
    last: the test's browser contexts are closed before the tables are emptied."""
    live_server.inbox.clear()
    yield
    with live_server.app.app_context():
        db.session.remove()
        empty_all_tables()
        db.session.remove()


@dataclass
class SavedRows:
    """Every row a world's builder left in the database, table by table (see `save_rows`)."""

    tables: list[tuple[object, list[dict]]]


def save_rows(app) -> SavedRows:
    """Keep every row of every table, in primary-key order, so that a module's world can be
    built once and put back before each of its tests (`restore_rows`) instead of built again:
    each test still starts from exactly the rows the builder made, and `_fresh_rows` still
    empties every table after it."""
    saved = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            query = table.select().order_by(*table.primary_key.columns)
            rows = [dict(row) for row in db.session.execute(query).mappings()]
            if rows:
                saved.append((table, rows))
        db.session.remove()
    return SavedRows(saved)


def restore_rows(app, saved: SavedRows) -> None:
    """Put the saved rows back into the (empty) tables, parents before children, with their
    own ids; search indexes follow through their triggers, as for any insert."""
    with app.app_context():
        for table, rows in saved.tables:
            db.session.execute(table.insert(), rows)
        db.session.commit()
        db.session.remove()


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver():
    if not CHROMIUM.exists():
        # On CI every browser test fails here; elsewhere collection has already skipped them.
        if ON_CI:
            pytest.fail(f"CI=true and {MISSING}")
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver, live_server, tmp_path_factory):
    # Depends on live_server so that chromium, and its keep-alive connections, close before the
    # server shuts down.
    if os.environ.get("AXE_PASSED_DIR"):
        # One CI invocation runs the suite on SQLite, then on PostgreSQL, from one checkout and
        # one asset build: a page whose markup passed in the first run passes in the second.
        share_passed(Path(os.environ["AXE_PASSED_DIR"]))
    elif os.environ.get("PYTEST_XDIST_WORKER"):
        # The workers' base folders sit in one folder of this run's own.
        share_passed(tmp_path_factory.getbasetemp().parent / "axe-passed")
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def snapshot_checker(browser, live_server):
    """One JavaScript-enabled page that axe-checks HTML from JavaScript-disabled pages."""
    context = browser.new_context()
    yield SnapshotChecker(context, live_server.url)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture(scope="session")
def context_pool(browser, live_server):
    pool = ContextPool(browser, live_server.url)
    yield pool
    pool.close()


@pytest.fixture
def open_page(request, context_pool, live_server, snapshot_checker):
    """`open_page(js=True, viewport=None)` -> a CheckedPage with a context of its own.

    Call it once per person in a journey (each gets their own cookies). The contexts go back to
    the pool when the test ends (its pages closed, its cookies cleared: `ContextPool`), after
    checking that every page and swap was axe-checked.
    """
    opened: list[CheckedPage] = []

    def _open(*, js: bool = True, viewport: dict | None = None) -> CheckedPage:
        context = context_pool.take(js=js)
        checked = CheckedPage(
            context=context,
            page=context_pool.page_for(context, viewport),
            base_url=live_server.url,
            js=js,
            snapshots=None if js else snapshot_checker,
        )
        context_pool.own(checked)
        opened.append(checked)
        return checked

    yield _open
    try:
        # After a failure the test stopped part-way; its own error is the one worth reading.
        if not getattr(request.node, "browser_test_failed", True):
            for checked in opened:
                checked.finish()
    finally:
        for checked in opened:
            context_pool.give_back(checked.context, js=checked.js)


# --- people and places ---------------------------------------------------------------------


@dataclass
class Northshire:
    slug: str
    forum_name: str
    organiser_email: str
    organiser_name: str


@pytest.fixture
def northshire(live_server) -> Northshire:
    """The area "northshire" with one organiser (password: factories.PASSWORD)."""
    return make_northshire(live_server.app)


def make_northshire(app) -> Northshire:
    from forum.areas.models import Role
    from tests.factories import make_area, make_person_in

    with app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        organiser = make_person_in(
            area, Role.ORGANISER, email="olive.organiser@example.org", name="Olive Organiser"
        )
    return Northshire(
        slug=area.slug,
        forum_name=area.forum_name,
        organiser_email=organiser.email,
        organiser_name=organiser.display_name,
    )
