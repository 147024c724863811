"""Where the time of "what happened to my feedback" goes, for a parent with 200 items.

    PYTHONPATH=$PWD .venv/bin/python bench/feedback_time.py [--items 200] [--times 100] [--kept]

As `where_time_goes.py` (its split of SQL, templates and the rest, then cProfile's top
functions), on the demo data with the signed-in part's parent (`signed_in.add_feedback`):
consultations of 20 items each, the page loaded as the parent on an in-process client.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--times", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    parser.add_argument("--kept", action="store_true")
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--path", default="/account/feedback")
    parser.add_argument(
        "--explain", action="store_true", help="with --sql: EXPLAIN ANALYZE each (PostgreSQL)"
    )
    args = parser.parse_args(argv)
    import run as bench
    import signed_in
    from where_time_goes import demo_app, short, statements_of, warm_up, watch

    with demo_app(kept=args.kept) as app:
        s = signed_in.SignedIn(area_slug=bench.AREA)
        client = signed_in.sign_in_parent(app, s)
        signed_in.add_feedback(app, s, -(-args.items // signed_in.PER_CONSULTATION))
        timings, engine = watch(app)
        headers = {"User-Agent": bench.USER_AGENT}
        path = args.path
        response = warm_up(client, path, headers)
        if response is None:
            return 1
        size = len(response.get_data())
        if args.sql:
            sent = statements_of(engine, client, path, headers, rounds=3)
            print(
                "\n".join(
                    f"   {n}. ({took * 1000:.2f} ms) {short(statement, 300)}"
                    for n, (statement, _, took) in enumerate(sent, 1)
                )
            )
            if args.explain:
                raw = engine.raw_connection()
                try:
                    cursor = raw.cursor()
                    for n, (statement, parameters, _) in enumerate(sent, 1):
                        cursor.execute("EXPLAIN ANALYZE " + statement, parameters)
                        plan = "\n      ".join(row[0] for row in cursor.fetchall())
                        print(f"\n   {n}. plan:\n      {plan}")
                finally:
                    raw.close()
        timings.__init__()
        took = []
        for _ in range(args.times):
            started = time.perf_counter()
            client.get(path, headers=headers)
            took.append(time.perf_counter() - started)
        plain = sum(took) / args.times
        took.sort()
        p95 = took[int(0.95 * (len(took) - 1))]
        sql, render = timings.sql / args.times, timings.render / args.times
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.times):
            client.get(path, headers=headers)
        profiler.disable()
        print(
            f"\n== {path} as the parent ({s.answers + s.posts} items): {size:,} bytes, "
            f"{timings.statements / args.times:.0f} statements"
        )
        print(
            f"   {plain * 1000:.2f} ms a request (p95 {p95 * 1000:.2f} ms): "
            f"SQL {sql * 1000:.2f} ms, templates {render * 1000:.2f} ms, "
            f"the rest {(plain - render - sql) * 1000:.2f} ms"
        )
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
