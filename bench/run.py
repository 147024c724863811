"""Benchmark Coproduce's main pages against a bare Flask baseline served the same way.

    .venv/bin/python bench/run.py               # pages, then the survey part (minutes)
    .venv/bin/python bench/run.py --quick       # about a minute, a smoke check
    .venv/bin/python bench/run.py --json bench/results/latest.json

Steps: a fresh database (SQLite in a temp dir, or PostgreSQL from BENCH_DATABASE_URL), the
migrations, `flask seed demo`, SQL query counts per page, bulk data (areas, accounts, pending and
active memberships), the query counts again; then gunicorn serving Coproduce and gunicorn serving
bench/baseline_app.py (same worker count), each page loaded by the same client, and a table of
req/s, latency percentiles, throughput as a ratio of the baseline, bytes and queries. Then the
survey part (bench/survey.py): a generated survey of 100,000 responses, its results pages in
the same table, submissions from 16 clients with the count check, and the CSV export. Then the
discussions part (bench/discussions.py): a thread of 5,000 posts and a board of 20,000 threads,
their pages' statements at 100 and at the full numbers, and the pages in the same table. Then
the events part (bench/events.py): five years of events and representation meetings, the events
pages, the iCalendar feed and "Where we represented you" counted and loaded, and 500 members
registering at once for one event of 100 places, with the check.
Then the signed-in part (bench/signed_in.py): "what happened to my feedback" for a parent with
200 things said, a moderation queue of 200 posts and the consultations list, counted at a small
and the full size and loaded.
Then the annual report part (bench/reports.py): the demo area's annual report as HTML and as a
PDF over all of the above, against an empty area: time, peak memory and statements.

Everything started here (servers, temp dir, the PostgreSQL schema's contents) is removed on the
way out, also after an error, Ctrl+C or SIGTERM. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(BENCH), str(ROOT)):
    if path not in sys.path:
        sys.path.insert(0, path)

from loadgen import USER_AGENT, LoadResult, Target, compare, prime  # noqa: E402

HOST = "127.0.0.1"
AREA = "northshire"
SESSION_COOKIE = "coproduce_session"


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str
    who: str  # "anonymous" or "organiser"
    in_quick: bool = True  # also loaded by --quick
    #: slow pages (seconds a request): one long round instead of short alternating ones, which
    #: no request would finish inside; None keeps --duration and --rounds
    slow_seconds: float | None = None


#: Pages put under load, in this order.
LOAD_PAGES = [
    PageSpec("area home", f"/areas/{AREA}", "anonymous"),
    PageSpec("area home (organiser)", f"/areas/{AREA}", "organiser"),
    PageSpec("sign-in", "/sign-in", "anonymous"),
    PageSpec("home (areas list)", "/", "anonymous"),
    PageSpec("members (organiser)", f"/areas/{AREA}/members", "organiser", in_quick=False),
]

#: Pages whose SQL is counted, before and after the bulk data.
QUERY_PAGES = [
    PageSpec("home (areas list)", "/", "anonymous"),
    PageSpec("home, page 2", "/?page=2", "anonymous"),
    PageSpec("area home", f"/areas/{AREA}", "anonymous"),
    PageSpec("sign-in", "/sign-in", "anonymous"),
    PageSpec("home (areas list)", "/", "organiser"),
    PageSpec("area home", f"/areas/{AREA}", "organiser"),
    PageSpec("members", f"/areas/{AREA}/members", "organiser"),
    PageSpec("members, page 2", f"/areas/{AREA}/members?page=2", "organiser"),
]

_TRANSACTION = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


#: options left unset: (value with --quick, value without)
DEFAULTS = {
    "duration": (0.5, 5.0),
    "warmup": (0.3, 1.0),
    "rounds": (1, 5),
    "responses": (5_000, 100_000),
    "voters": (80, 800),
    "duplicates": (4, 20),
    "posts": (500, 5_000),
    "threads": (2_000, 20_000),
    "event_years": (1.0, 5.0),
    "registrants": (100, 500),
    "places": (20, 100),
    "reach_members": (2_000, 20_000),
    "reach_respondents": (500, 5_000),
    "feedback_items": (40, 200),
    "reported_posts": (40, 200),
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark Coproduce against a bare Flask baseline (see bench/README.md)."
    )
    parser.add_argument("--quick", action="store_true", help="short runs: a smoke check")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write figures as JSON")
    parser.add_argument("--duration", type=float, help="measured seconds per page (default 5)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per page (default 1)")
    parser.add_argument(
        "--rounds", type=int, help="alternate baseline and app this many times (default 5)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--areas", type=int, default=150, help="bulk areas to add")
    parser.add_argument("--users", type=int, default=2000, help="bulk accounts to add")
    parser.add_argument(
        "--pending", type=int, default=200, help="how many bulk accounts are waiting to join"
    )
    parser.add_argument("--show-sql", action="store_true", help="print each counted statement")
    survey = parser.add_argument_group("survey (bench/survey.py)")
    survey.add_argument(
        "--responses", type=int, help="generated survey responses (default 100,000; quick 5,000)"
    )
    survey.add_argument(
        "--voters", type=int, help="members who submit under load (default 800; quick 80)"
    )
    survey.add_argument(
        "--duplicates",
        type=int,
        help="members who each send one submission 16 times at once (default 20; quick 4)",
    )
    survey.add_argument(
        "--submit-clients", type=int, default=16, help="concurrent clients submitting"
    )
    survey.add_argument("--no-survey", action="store_true", help="leave the survey part out")
    survey.add_argument(
        "--survey-only", action="store_true", help="only the survey part (no bulk areas/accounts)"
    )
    talk = parser.add_argument_group("discussions (bench/discussions.py)")
    talk.add_argument(
        "--posts", type=int, help="posts in the long thread (default 5,000; quick 500)"
    )
    talk.add_argument(
        "--threads", type=int, help="threads on the wide board (default 20,000; quick 2,000)"
    )
    talk.add_argument(
        "--no-discussions", action="store_true", help="leave the discussions part out"
    )
    ledger = parser.add_argument_group("outcome ledger (bench/outcomes.py)")
    ledger.add_argument(
        "--ledger-answers",
        type=int,
        help="answers over every area's 20 consultations (default 1,000,000; quick 50,000)",
    )
    ledger.add_argument("--no-ledger", action="store_true", help="leave the ledger part out")
    events = parser.add_argument_group("events and representation (bench/events.py)")
    events.add_argument(
        "--event-years", type=float, help="years of events and meetings (default 5; quick 1)"
    )
    events.add_argument(
        "--registrants",
        type=int,
        help="members registering at once for one event (default 500; quick 100)",
    )
    events.add_argument("--places", type=int, help="places at that event (default 100; quick 20)")
    events.add_argument("--no-events", action="store_true", help="leave the events part out")
    reach = parser.add_argument_group("family profiles and reach (bench/reach.py)")
    reach.add_argument(
        "--reach-members", type=int, help="members with family profiles (default 20000; quick 2000)"
    )
    reach.add_argument(
        "--reach-respondents",
        type=int,
        help="of them, respondents to one survey (default 5000; quick 500)",
    )
    reach.add_argument("--no-reach", action="store_true", help="leave the reach part out")
    import pack as pack_bench

    pack_bench.add_arguments(parser)
    signed = parser.add_argument_group("signed-in pages (bench/signed_in.py)")
    signed.add_argument(
        "--feedback-items",
        type=int,
        help="things the parent said, 20 a consultation (default 200; quick 40)",
    )
    signed.add_argument(
        "--reported-posts", type=int, help="posts in the moderation queue (default 200; quick 40)"
    )
    signed.add_argument(
        "--no-signed-in", action="store_true", help="leave the signed-in pages part out"
    )
    reports = parser.add_argument_group("annual report (bench/reports.py)")
    reports.add_argument(
        "--no-reports", action="store_true", help="leave the annual report part out"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temp dir (and server logs) for a look"
    )
    args = parser.parse_args(argv)
    for name, (quick, full) in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    args.survey_area = AREA
    if args.no_survey and args.survey_only:
        parser.error("--no-survey and --survey-only cannot be used together")
    return args


# --- processes -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn, in its own process group so it can always be stopped with its workers."""

    def __init__(
        self,
        name: str,
        app_spec: str,
        *,
        cwd: Path,
        env: dict,
        workers: int,
        log_dir: Path,
        health: str = "/healthz",
    ):
        self.name = name
        self.port = free_port()
        self.health = health
        self.log_path = log_dir / f"{name}.log"
        self.cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "3",
            "--timeout",
            "60",
            "--chdir",
            str(cwd),
            app_spec,
        ]
        self.cwd = cwd
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("wb")
        try:
            self.proc = subprocess.Popen(
                self.cmd,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            log.close()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self, timeout: float = 45.0) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://{HOST}:{self.port}{self.health}"
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise RuntimeError(
            f"{self.name} server did not answer in {timeout:.0f} s:\n{self.log_tail()}"
        )

    def signal_stop(self) -> None:
        """Ask gunicorn to stop (quick shutdown of the master and its workers)."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGQUIT)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGQUIT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        # Anything left in the group (a stuck worker): by the group id we created.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)


def stop_all(servers: list[Server]) -> None:
    for server in servers:
        server.signal_stop()  # all at once: each takes most of a second to wind down
    for server in servers:
        server.stop()


_T0 = time.perf_counter()


def step(message: str) -> None:
    print(f"[{time.perf_counter() - _T0:5.1f} s] {message}", flush=True)


def _raise_interrupt(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


# --- database ------------------------------------------------------------------------------


def reset_postgres_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    from forum.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def make_app():
    """Coproduce in this process, configured from the environment set in main()."""
    from forum import create_app

    # The demo's accounts get a low-cost hash too; no measured page checks a password. Pages
    # are not kept here: the statements counted are those of making each page (the servers
    # under load keep public pages for visitors, as deployed).
    # Nor are parts of pages (the area home's sections, the scorecard, the national table, the
    # published ledger): each is counted as made, so a part whose statements grow with the data
    # shows here even though the servers keep it.
    return create_app({"ARGON2_FAST": True, "PAGE_CACHE_SECONDS": 0, "FRAGMENT_CACHE_SECONDS": 0})


def migrate_and_seed(app) -> str:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    if result.exit_code != 0:
        raise RuntimeError(f"flask seed demo failed:\n{result.output}\n{result.exception!r}")
    return result.output.splitlines()[0] if result.output else ""


# --- signing in ----------------------------------------------------------------------------


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields


def organiser_account():
    from forum.seed import ORGANISER

    return ORGANISER


def second_factor_code(app) -> str:
    """The demo organiser's authenticator code now. Staff must sign in with an app: the first
    call gives the organiser one (set up as if long ago, like the tests' `make_authenticator`).
    A code is refused if its 30-second step was already used, so the step last used is moved
    back one, which stands for waiting for the app's next code."""
    from forum.accounts.queries import get_by_email
    from forum.accounts.security import services as security
    from forum.accounts.security import totp
    from forum.accounts.security.models import Authenticator
    from forum.accounts.security.queries import authenticator_of
    from forum.extensions import db
    from forum.models import utcnow

    with app.app_context():
        user = get_by_email(organiser_account().email)
        found = authenticator_of(user)
        if found is None:
            found = Authenticator(
                user_id=user.id,
                secret_sealed=totp.seal(totp.new_secret(), app.config["SECRET_KEY"]),
                enabled_at=utcnow(),
            )
            db.session.add(found)
            db.session.commit()
        now = totp.current_step()
        if found.last_step is not None and found.last_step >= now:
            found.last_step = now - 1
            db.session.commit()
        code = totp.code_at(security.secret_of(found), now)
        db.session.remove()
    return code


def sign_in_test_client(app):
    """A Flask test client signed in as the demo organiser (password, then the app's code)."""
    account = organiser_account()
    second_factor_code(app)  # the app set up before signing in, as staff must have one
    client = app.test_client()
    headers = {"User-Agent": USER_AGENT}
    page = client.get("/sign-in", headers=headers)
    data = {
        **hidden_fields(page.get_data(as_text=True)),
        "email": account.email,
        "password": account.password,
    }
    response = client.post("/sign-in", data=data, headers=headers)
    if response.status_code != 303:
        raise RuntimeError(f"in-process sign-in failed: HTTP {response.status_code}")
    if response.headers.get("Location") == "/sign-in/code":
        page = client.get("/sign-in/code", headers=headers)
        data = {**hidden_fields(page.get_data(as_text=True)), "code": second_factor_code(app)}
        response = client.post("/sign-in/code", data=data, headers=headers)
        if response.status_code != 303:
            raise RuntimeError(f"in-process code step failed: HTTP {response.status_code}")
    return client


def sign_in_http(app, port: int) -> str:
    """Sign in to the running server as the demo organiser (password, then the code from the
    authenticator app `sign_in_test_client` set up); returns a Cookie header value."""
    import requests

    account = organiser_account()
    with requests.Session() as http:
        http.headers["User-Agent"] = USER_AGENT
        page = http.get(f"http://{HOST}:{port}/sign-in", timeout=30)
        page.raise_for_status()
        data = {**hidden_fields(page.text), "email": account.email, "password": account.password}
        response = http.post(
            f"http://{HOST}:{port}/sign-in", data=data, allow_redirects=False, timeout=60
        )
        if response.status_code != 303:
            raise RuntimeError(f"sign-in over HTTP failed: HTTP {response.status_code}")
        if response.headers.get("Location") == "/sign-in/code":
            page = http.get(f"http://{HOST}:{port}/sign-in/code", timeout=30)
            data = {**hidden_fields(page.text), "code": second_factor_code(app)}
            response = http.post(
                f"http://{HOST}:{port}/sign-in/code", data=data, allow_redirects=False, timeout=60
            )
            if response.status_code != 303:
                raise RuntimeError(f"code step over HTTP failed: HTTP {response.status_code}")
        value = http.cookies.get(SESSION_COOKIE)
    if not value:
        raise RuntimeError("no session cookie after signing in")
    return f"{SESSION_COOKIE}={value}"


# --- SQL query counts ----------------------------------------------------------------------


class QueryCounter:
    """`before_cursor_execute` listener: every statement SQLAlchemy sends, bar BEGIN/COMMIT."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not _TRANSACTION.match(statement):
            self.statements.append(" ".join(statement.split()))


def count_queries(app, clients: dict, pages: list[PageSpec] | None = None) -> dict[str, dict]:
    """One GET of each page (after one uncounted GET), with its statements and size."""
    from sqlalchemy import event

    from forum.extensions import db

    with app.app_context():
        engine = db.engine
    figures = {}
    for spec in QUERY_PAGES if pages is None else pages:
        client = clients[spec.who]
        client.get(spec.path, headers={"User-Agent": USER_AGENT})  # warm caches, not counted
        counter = QueryCounter()
        event.listen(engine, "before_cursor_execute", counter)
        try:
            response = client.get(spec.path, headers={"User-Agent": USER_AGENT})
        finally:
            event.remove(engine, "before_cursor_execute", counter)
        if response.status_code != 200:
            raise RuntimeError(f"{spec.who} GET {spec.path}: HTTP {response.status_code}")
        figures[f"{spec.who} {spec.path}"] = {
            "name": spec.name,
            "who": spec.who,
            "path": spec.path,
            "queries": len(counter.statements),
            "bytes": len(response.get_data()),
            "statements": counter.statements,
        }
    return figures


# --- measuring -----------------------------------------------------------------------------


def load_pages(args) -> list[PageSpec]:
    if args.survey_only:
        return []
    return [spec for spec in LOAD_PAGES if spec.in_quick or not args.quick]


def fetch(port: int, path: str, cookie: str | None = None) -> bytes:
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
        if response.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {response.status}")
        return response.read()


_LIST_ITEM = re.compile(rb"<(?:li|tr)[\s>]")


def list_items(html: bytes) -> int:
    """List items and table rows: what a page repeats per record."""
    return len(_LIST_ITEM.findall(html))


def baseline_path_for(page_html: bytes, layout_items: int) -> str:
    items = max(0, list_items(page_html) - layout_items)
    return f"/page?items={items}&size={len(page_html)}"


def measure_pages(
    app_server: Server,
    base_server: Server,
    cookies: dict[str, str],
    args,
    pages: list[PageSpec],
) -> list[dict]:
    """`cookies`: a Cookie header value for each signed-in `PageSpec.who`."""
    layout_items = list_items(fetch(base_server.port, "/page?items=0&size=0"))
    plan = []
    for spec in pages:
        cookie = cookies.get(spec.who)
        page_html = fetch(app_server.port, spec.path, cookie)
        base_path = baseline_path_for(page_html, layout_items)
        plan.append(
            (
                spec,
                page_html,
                Target(HOST, app_server.port, spec.path, {"Cookie": cookie} if cookie else {}),
                Target(HOST, base_server.port, base_path),
            )
        )
    prime([t for _, _, app_target, base_target in plan for t in (app_target, base_target)])
    step("servers primed (templates compiled in every worker)")

    rows = []
    for spec, page_html, app_target, base_target in plan:
        step(f"measuring {spec.path} ({spec.who}) and its baseline {base_target.path}")
        # Baseline and app in alternating rounds, so drift in the machine's load hits both.
        slow = spec.slow_seconds is not None and spec.slow_seconds > args.duration
        base, real = compare(
            base_target,
            app_target,
            concurrency=args.concurrency,
            duration=spec.slow_seconds if slow else args.duration,
            warmup=args.warmup,
            rounds=1 if slow else args.rounds,
        )
        rows.append(
            {
                "name": spec.name,
                "path": spec.path,
                "who": spec.who,
                "baseline_path": base_target.path,
                "list_items": list_items(page_html),
                "app": real,
                "baseline": base,
                "ratio": real.rps / base.rps if base.rps else 0.0,
            }
        )
    return rows


# --- printing ------------------------------------------------------------------------------


def _ms(x: float) -> str:
    return f"{x:7.1f}"


def print_load_table(rows: list[dict], after_counts: dict, args) -> None:
    print()
    print(
        f"Throughput and latency: gunicorn {args.workers} sync workers per server, "
        f"{args.concurrency} clients, {args.duration:g} s measured per page and server "
        f"in {args.rounds} alternating round(s), after {args.warmup:g} s warm-up"
    )
    head = (
        f"{'page':<22} {'path':<28} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7}  "
        f"{'vs baseline':>11} {'bytes':>8} {'SQL':>4}"
    )
    print(head)
    print(f"{'':<22} {'':<28} {'':>7} {'ms':>7} {'ms':>7} {'ms':>7}")
    print("-" * len(head))
    for row in rows:
        real: LoadResult = row["app"]
        sql = after_counts.get(f"{row['who']} {row['path']}", {}).get("queries", "?")
        print(
            f"{row['name']:<22} {row['path']:<28} {real.rps:7.1f} {_ms(real.p50_ms)} "
            f"{_ms(real.p95_ms)} {_ms(real.p99_ms)}  {row['ratio']:10.2f}× {real.bytes:8,} "
            f"{sql:>4}"
        )
    print()
    print("Baseline: bare Flask + Jinja, no database; the page's layout, list items and bytes")
    print("-" * len(head))
    for row in rows:
        base: LoadResult = row["baseline"]
        print(
            f"{row['name']:<22} {row['baseline_path']:<28} {base.rps:7.1f} {_ms(base.p50_ms)} "
            f"{_ms(base.p95_ms)} {_ms(base.p99_ms)}  {1:10.2f}× {base.bytes:8,} {0:>4}"
        )
    cpu = max(r[side].client_cpu for r in rows for side in ("app", "baseline"))
    print(f"(the load generator itself used up to {cpu:.0%} of one CPU core)")
    problems = [
        (row["path"], side, result)
        for row in rows
        for side, result in (("app", row["app"]), ("baseline", row["baseline"]))
        if result.errors or not result.requests
    ]
    for path, side, result in problems:
        print(
            f"WARNING: {side} {path}: {result.errors} errors, {result.requests} good requests; "
            f"first error: {result.first_error or 'none'}; statuses {result.statuses}"
        )


def print_query_table(
    before: dict, after: dict, sizes_before: dict, sizes_after: dict, show_sql: bool
) -> list[str]:
    print()
    print("SQL statements per GET (one request, in process, BEGIN/COMMIT not counted)")
    print(
        "  data: demo = "
        + ", ".join(f"{v:,} {k}" for k, v in sizes_before.items())
        + "\n        bulk = "
        + ", ".join(f"{v:,} {k}" for k, v in sizes_after.items())
    )
    head = (
        f"{'who':<10} {'path':<34} {'demo':>5} {'bulk':>5}  {'':<5} "
        f"{'bytes demo':>10} {'bytes bulk':>10}"
    )
    print(head)
    print("-" * len(head))
    grew = []
    for key, after_row in after.items():
        before_row = before[key]
        same = after_row["queries"] == before_row["queries"]
        if not same:
            grew.append(key)
        print(
            f"{after_row['who']:<10} {after_row['path']:<34} {before_row['queries']:>5} "
            f"{after_row['queries']:>5}  {'same' if same else 'GREW':<5} "
            f"{before_row['bytes']:>10,} {after_row['bytes']:>10,}"
        )
    if grew:
        print("WARNING: query counts grew with the data (an N+1?): " + "; ".join(grew))
        for key in grew:
            extra = [s for s in after[key]["statements"] if s not in before[key]["statements"]]
            for statement in extra[:3]:
                print(f"  {key}: {statement[:200]}")
    else:
        print("Query counts do not grow with the data: every page issues the same statements.")
    if show_sql:
        for key, row in after.items():
            print(f"\n{key} ({row['queries']} statements, bulk data):")
            for statement in row["statements"]:
                print(f"  {statement}")
    return grew


# --- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, _raise_interrupt)
    tmp = Path(tempfile.mkdtemp(prefix="coproduce-bench-"))
    pg_url = os.environ.get("BENCH_DATABASE_URL")
    database_url = pg_url or f"sqlite:///{tmp / 'bench.db'}"
    instance = tmp / "instance"
    instance.mkdir()
    env_settings = {
        "DATABASE_URL": database_url,
        "COPRODUCE_INSTANCE": str(instance),
        "SECRET_KEY": secrets.token_hex(32),
        "RATELIMIT_ENABLED": "false",
        "COPRODUCE_ENV": "development",
        "MAIL_TRANSPORT": "console",
        "FLASK_APP": "app.py",
    }
    # Before `forum` is imported: its config reads COPRODUCE_INSTANCE at import time.
    os.environ.update(env_settings)
    os.environ.pop("FLASK_ENV", None)
    server_env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    servers: list[Server] = []
    app = None
    status = 0
    try:
        print(f"Coproduce benchmark{' (quick)' if args.quick else ''}: temp dir {tmp}")
        if pg_url:
            step("PostgreSQL from BENCH_DATABASE_URL: its public schema is dropped and made anew")
            reset_postgres_schema(pg_url)
        else:
            step("SQLite (WAL) in the temp dir")

        logging.disable(logging.WARNING)  # migrations and app start-up chatter
        try:
            app = make_app()
            step(f"migrated; {migrate_and_seed(app)}")
        finally:
            logging.disable(logging.NOTSET)

        import discussions as discussions_bench
        import events as events_bench
        import outcomes as outcomes_bench
        import pack as pack_bench
        import reach as reach_bench
        import reports as reports_bench
        import signed_in as signed_in_bench
        import survey as survey_bench
        from bulk import add_bulk_data, table_sizes

        from forum.extensions import db

        # Start both servers now; their workers load while the rest of the set-up runs.
        servers = [
            Server(
                "coproduce", "app:app", cwd=ROOT, env=server_env, workers=args.workers, log_dir=tmp
            ),
            Server(
                "baseline",
                "baseline_app:app",
                cwd=BENCH,
                env=server_env,
                workers=args.workers,
                log_dir=tmp,
            ),
        ]
        for server in servers:
            server.start()

        clients = {"anonymous": app.test_client(), "organiser": sign_in_test_client(app)}
        with app.app_context():
            sizes_before = sizes_after = table_sizes()
        counts_before = counts_after = {}
        if not args.survey_only:
            counts_before = count_queries(app, clients)
            t = time.perf_counter()
            with app.app_context():
                added = add_bulk_data(
                    area_slug=AREA, areas=args.areas, users=args.users, pending=args.pending
                )
                sizes_after = table_sizes()
            step(
                f"bulk data in {time.perf_counter() - t:.1f} s: {added.areas} areas, "
                f"{added.partners} partners, {added.users} accounts in {AREA} "
                f"({added.active} active, {added.pending} waiting)"
            )
            counts_after = count_queries(app, clients)

        # The survey part: a generated survey, its results pages measured with the others.
        survey = None
        if not args.no_survey:
            survey = survey_bench.prepare(app, args, clients, count_queries, step)
        # The discussions part (issue 4): a 5,000-post thread and a 20,000-thread board.
        talk = None
        if not (args.no_discussions or args.survey_only):
            talk = discussions_bench.prepare(app, args, clients, count_queries, step)
        # The outcome-ledger part (issue 5): every area's plan, consultations and ledger.
        ledger = None
        if not (args.no_ledger or args.survey_only):
            ledger = outcomes_bench.prepare(app, args, clients, count_queries, step)
        # The events part (issue 15): five years of events and meetings, and a registration rush.
        happenings = None
        if not (args.no_events or args.survey_only):
            happenings = events_bench.prepare(app, args, clients, count_queries, step)
        # The reach part (issue 16): 20,000 members with family profiles, 5,000 respondents.
        families = None
        if not (args.no_reach or args.survey_only):
            families = reach_bench.prepare(app, args, clients, count_queries, step)
        # The inspection pack (issue 17): five years of co-production, the pack of all of it.
        evidence = None
        if not (args.no_pack or args.survey_only):
            evidence = pack_bench.prepare(app, args, clients, count_queries, step)
        # The signed-in pages (issue 18): a parent's 200 things said, a queue of 200 posts.
        signed = None
        if not (args.no_signed_in or args.survey_only):
            signed = signed_in_bench.prepare(app, args, clients, count_queries, step)
        # The annual report part (issue 17): the report and its PDF over all the data above.
        annual = None
        if not (args.no_reports or args.survey_only):
            annual = reports_bench.prepare(app, args, step)
        sql_counts = {
            **counts_after,
            **reach_bench.sql_counts(families),
            **pack_bench.sql_counts(evidence),
            **(survey.query_counts["large"] if survey else {}),
            **discussions_bench.sql_counts(talk),
            **outcomes_bench.sql_counts(ledger),
            **events_bench.sql_counts(happenings),
            **signed_in_bench.sql_counts(signed),
        }
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

        for server in servers:
            server.wait_ready()
        app_server, base_server = servers
        step(f"gunicorn up: coproduce on :{app_server.port}, baseline on :{base_server.port}")
        pages = (
            load_pages(args)
            + survey_bench.load_specs(survey, args)
            + discussions_bench.load_specs(talk, args)
            + outcomes_bench.load_specs(ledger, args)
            + events_bench.load_specs(happenings, args)
            + reach_bench.load_specs(families, args)
            + pack_bench.load_specs(evidence, args)
            + signed_in_bench.load_specs(signed, args)
        )
        cookie = None
        if survey or any(spec.who == "organiser" for spec in pages):
            cookie = sign_in_http(app, app_server.port)
            step("signed in over HTTP as the demo organiser")
        cookies = {"organiser": cookie} if cookie else {}
        cookies.update(signed_in_bench.cookies(signed))

        rows = measure_pages(app_server, base_server, cookies, args, pages)
        submissions = export = None
        alone = {}
        if survey:
            step("results pages one request at a time")
            alone = survey_bench.measure_results_alone(survey, app_server.port, cookie)
            submissions = survey_bench.measure_submissions(
                app, survey, app_server.port, base_server.port, args, step
            )
            step("exporting the CSV over HTTP")
            export = survey_bench.measure_export(survey, app_server.port, base_server.port, cookie)
        burst = None
        if happenings:
            burst = events_bench.measure_burst(app, args, app_server.port, base_server.port, step)

        print_load_table(rows, sql_counts, args)
        grew = []
        if not args.survey_only:
            grew = print_query_table(
                counts_before, counts_after, sizes_before, sizes_after, args.show_sql
            )
        problems = survey_bench.print_report(survey, submissions, export, alone) if survey else []
        if talk:
            problems += discussions_bench.print_report(talk)
        if ledger:
            problems += outcomes_bench.print_report(ledger)
        if happenings:
            problems += events_bench.print_report(happenings, burst)
        if families:
            problems += reach_bench.print_report(families)
        if evidence:
            problems += pack_bench.print_report(evidence)
        if signed:
            problems += signed_in_bench.print_report(signed)
        if annual:
            problems += reports_bench.print_report(annual)
        for problem in problems:
            print(f"WARNING: {problem}")
        if problems:
            status = 1
        runtime = time.perf_counter() - started
        print(
            f"\nMeasured in {runtime:.1f} s on {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, {'PostgreSQL' if pg_url else 'SQLite'}."
        )

        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(
                json.dumps(
                    {
                        "meta": {
                            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                            "quick": args.quick,
                            "database": "postgresql" if pg_url else "sqlite",
                            "workers": args.workers,
                            "concurrency": args.concurrency,
                            "duration_s": args.duration,
                            "warmup_s": args.warmup,
                            "cpus": os.cpu_count(),
                            "python": platform.python_version(),
                            "platform": platform.platform(),
                            "runtime_s": round(runtime, 2),
                        },
                        "data": {"demo": sizes_before, "bulk": sizes_after},
                        "pages": [
                            {
                                **{k: v for k, v in row.items() if k not in ("app", "baseline")},
                                "app": row["app"].as_dict(),
                                "baseline": row["baseline"].as_dict(),
                                "sql_queries": counts_after.get(
                                    f"{row['who']} {row['path']}", {}
                                ).get("queries"),
                            }
                            for row in rows
                        ],
                        "query_counts": {"demo": counts_before, "bulk": counts_after, "grew": grew},
                        "survey": survey_bench.as_json(survey, submissions, export, alone)
                        if survey
                        else None,
                        "discussions": discussions_bench.as_json(talk) if talk else None,
                        "ledger": outcomes_bench.as_json(ledger) if ledger else None,
                        "events": events_bench.as_json(happenings, burst) if happenings else None,
                        "reach": reach_bench.as_json(families) if families else None,
                        "pack": pack_bench.as_json(evidence) if evidence else None,
                        "signed_in": signed_in_bench.as_json(signed) if signed else None,
                        "reports": reports_bench.as_json(annual) if annual else None,
                    },
                    indent=2,
                )
            )
            print(f"Figures written to {args.json}")
    except KeyboardInterrupt:
        print("\nInterrupted; cleaning up.", file=sys.stderr)
        status = 130
    except Exception:
        for server in servers:
            if server.proc is not None and server.proc.poll() is not None:
                print(f"--- {server.name} log ---\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        # Ignore a second Ctrl+C while tidying up, so nothing is left behind.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            stop_all(servers)
            if app is not None:
                with contextlib.suppress(Exception), app.app_context():
                    from forum.extensions import db

                    db.session.remove()
                    db.engine.dispose()
            if not args.keep:
                shutil.rmtree(tmp, ignore_errors=True)
                if pg_url:
                    with contextlib.suppress(Exception):
                        reset_postgres_schema(pg_url)
        finally:
            signal.signal(signal.SIGINT, previous)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    tidy = f"kept {tmp}" if args.keep else "temp files removed"
    print(f"Done in {time.perf_counter() - started:.1f} s (servers stopped, {tidy}).")
    return status


if __name__ == "__main__":
    sys.exit(main())
