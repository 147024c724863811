"""Where a page's time goes: one page made many times in this process, under cProfile.

    .venv/bin/python bench/where_time_goes.py /areas/northshire --as organiser --times 200
    .venv/bin/python bench/where_time_goes.py /areas/northshire/members /national --top 30

A fresh SQLite database with the demo (or `BENCH_DATABASE_URL`, a throwaway PostgreSQL
database, as in `run.py`), pages not kept (`PAGE_CACHE_SECONDS=0`) and their costly parts made
each time unless `--kept` (`FRAGMENT_CACHE_SECONDS`, as the servers run), each page fetched a few
times to warm up, then `--times` more under the profiler. For each page it prints the mean time
per request split three ways: sending SQL and reading its rows (timed around each cursor
execute), rendering templates (timed between Flask's `before_render_template` and
`template_rendered` signals, which include any SQL a template's lazy attributes send), and the
rest (routing, sessions, forms, permission checks, building queries, the response); then the
functions that took the most time of their own. The profile's own overhead inflates every
figure about alike; the split is what to read, not the milliseconds.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["/areas/northshire"])
    parser.add_argument("--as", dest="who", choices=("anonymous", "organiser"), default="organiser")
    parser.add_argument("--times", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    parser.add_argument(
        "--kept",
        action="store_true",
        help="keep parts of pages as the servers do (FRAGMENT_CACHE_SECONDS); default: made",
    )
    parser.add_argument(
        "--sql", action="store_true", help="also print the statements of one request"
    )
    return parser.parse_args(argv)


class Timings:
    """SQL and template time, added up across requests."""

    def __init__(self):
        self.sql = 0.0
        self.render = 0.0
        self.statements = 0
        self._sql_started: list[float] = []
        self._render_started: list[float] = []

    def before_sql(self, *_args, **_kw):
        self._sql_started.append(time.perf_counter())

    def after_sql(self, *_args, **_kw):
        if self._sql_started:
            self.sql += time.perf_counter() - self._sql_started.pop()
            self.statements += 1

    def before_render(self, *_args, **_kw):
        self._render_started.append(time.perf_counter())

    def after_render(self, *_args, **_kw):
        if self._render_started:
            started = self._render_started.pop()
            if not self._render_started:  # only the outermost template counts
                self.render += time.perf_counter() - started


@contextmanager
def demo_app(*, kept: bool):
    """An app on a fresh database with the demo (SQLite in a temporary folder, or the
    throwaway PostgreSQL database `BENCH_DATABASE_URL` names, emptied before and after), its
    costly parts kept as the servers keep them when `kept`."""
    import run as bench

    with tempfile.TemporaryDirectory(prefix="coproduce-profile-") as tmp:
        url = os.environ.get("BENCH_DATABASE_URL")
        if url:
            bench.reset_postgres_schema(url)
        else:
            url = f"sqlite:///{tmp}/profile.db"
        os.environ.update(
            {"DATABASE_URL": url, "COPRODUCE_INSTANCE": tmp, "RATELIMIT_ENABLED": "false"}
        )
        app = bench.make_app()
        if kept:
            app.config["FRAGMENT_CACHE_SECONDS"] = 600
        bench.migrate_and_seed(app)
        try:
            yield app
        finally:
            from forum.extensions import db

            with app.app_context():
                db.engine.dispose()
            if os.environ.get("BENCH_DATABASE_URL"):
                bench.reset_postgres_schema(os.environ["BENCH_DATABASE_URL"])


def warm_up(client, path: str, headers: dict):
    """Five requests of the page, so that its statements and templates are compiled and kept:
    the last response, or None (saying why) when it was not a 200."""
    for _ in range(5):
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        print(f"{path}: HTTP {response.status_code}", file=sys.stderr)
        return None
    return response


def statements_of(engine, client, path: str, headers: dict, *, rounds: int = 1) -> list[list]:
    """The statements the last of `rounds` more requests of the page sent, in order, each as
    [statement, parameters, seconds it took]."""
    from sqlalchemy import event

    sent: list[list] = []

    def note(_conn, _cursor, statement, parameters, *_rest):
        sent.append([statement, parameters, time.perf_counter()])

    def done(*_args):
        sent[-1][2] = time.perf_counter() - sent[-1][2]

    event.listen(engine, "before_cursor_execute", note)
    event.listen(engine, "after_cursor_execute", done)
    try:
        for _ in range(rounds):
            sent.clear()
            client.get(path, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", note)
        event.remove(engine, "after_cursor_execute", done)
    return sent


def short(statement: str, length: int) -> str:
    """A statement on one line, cut to `length` characters."""
    return " ".join(statement.split())[:length]


def watch(app):
    """`Timings` listening to the app's SQL and templates, and the engine it listens to."""
    from flask import before_render_template, template_rendered
    from sqlalchemy import event

    from forum.extensions import db

    timings = Timings()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", timings.before_sql)
    event.listen(engine, "after_cursor_execute", timings.after_sql)
    before_render_template.connect(timings.before_render, app)
    template_rendered.connect(timings.after_render, app)
    return timings, engine


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import run as bench
    from sqlalchemy import event

    with demo_app(kept=args.kept) as app:
        client = bench.sign_in_test_client(app) if args.who == "organiser" else app.test_client()
        timings, engine = watch(app)

        headers = {"User-Agent": bench.USER_AGENT}
        for path in args.paths:
            response = warm_up(client, path, headers)
            if response is None:
                return 1
            size = len(response.get_data())
            if args.sql:
                sent = statements_of(engine, client, path, headers)
                print(f"\n== {path}: the statements of one request")
                print(
                    "\n".join(
                        f"   {n}. {short(statement, 200)}"
                        for n, (statement, _, _) in enumerate(sent, 1)
                    )
                )
            timings.__init__()
            started = time.perf_counter()
            for _ in range(args.times):
                client.get(path, headers=headers)
            plain = (time.perf_counter() - started) / args.times
            sql_plain, render_plain = timings.sql / args.times, timings.render / args.times
            statements = timings.statements / args.times
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.times):
                client.get(path, headers=headers)
            profiler.disable()
            print(f"\n== {path} as {args.who}: {size:,} bytes, {statements:.0f} statements")
            print(
                f"   {plain * 1000:.2f} ms a request without the profiler: "
                f"SQL {sql_plain * 1000:.2f} ms, templates {render_plain * 1000:.2f} ms "
                f"(SQL inside them counted in both), "
                f"the rest {(plain - render_plain - sql_plain) * 1000:.2f} ms"
            )
            stats = pstats.Stats(profiler)
            stats.sort_stats(args.sort).print_stats(args.top)
        event.remove(engine, "before_cursor_execute", timings.before_sql)
        event.remove(engine, "after_cursor_execute", timings.after_sql)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
