"""The reports part of the benchmark (issue 17), run by bench/run.py after the other parts
have filled the demo area (Northshire) with five years of events and meetings (events part),
consultations, themes and answers (ledger part), and thousands of members and respondents
(reach part).

It measures, in process (no HTTP, so only the report's own work is timed), for the longest
period a report may cover (five years to today) and for the last financial year:

1. the annual report's page as HTML (`reports.figures.year_of` and the template);
2. the same report as a tagged PDF (WeasyPrint, with the compiled stylesheet);

each with its wall time, its peak Python memory (tracemalloc) and the SQL statements it sent,
and the same again for an area with no data at all, made here: the baseline in the same run,
so the ratios say what the data costs. The statements must be the same number for both (they
do not grow with the data); a difference is a problem (exit 1).
"""

from __future__ import annotations

import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    statements: int
    size_kb: float


@dataclass
class Reports:
    #: (what, where): "html"/"pdf" for "data" (the demo area) and "empty" (the baseline)
    results: dict[tuple[str, str, str], Measured] = field(default_factory=dict)
    periods: dict[str, str] = field(default_factory=dict)


@contextmanager
def _statements(app):
    """The statements sent to the app's engine while the block runs (not BEGIN/COMMIT)."""
    from sqlalchemy import event

    from forum.extensions import db

    sent: list[str] = []

    def listener(conn, cursor, statement, *args):
        if (
            not statement.lstrip()
            .upper()
            .startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))
        ):
            sent.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _measure(app, work) -> Measured:
    """Timed once as it runs (with its statements counted), then again under tracemalloc for
    its peak memory: tracing slows Python down several times, so it is not in the time."""
    started = time.perf_counter()
    with _statements(app) as statements:
        body = work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Measured(seconds, peak / 1_048_576, len(statements), len(body) / 1024)


def prepare(app, args, step) -> Reports:
    from flask import render_template

    from forum.accounts.models import User
    from forum.areas.models import Area
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.reports import documents, services
    from forum.reports.periods import checked, default_period
    from forum.reports.views import _stylesheet, report_context

    out = Reports()
    with app.test_request_context():
        today = date.today()
        longest = checked(today.replace(year=today.year - 5) + timedelta(days=1), today, today)
        periods = {"five years": longest, "financial year": default_period(today)}
        out.periods = {name: p.name for name, p in periods.items()}
        actor = db.session.scalar(db.select(User).where(User.is_admin.is_(True)).limit(1))
        empty = Area(slug="bench-empty", name="Empty", forum_name="Empty Parent Carer Forum")
        db.session.add(empty)
        db.session.flush()
        areas = {"data": get_by_slug("northshire"), "empty": empty}
        reports = {
            (name, where): services.start_report(area, period, actor=actor)
            for name, period in periods.items()
            for where, area in areas.items()
        }
        db.session.commit()
        base = app.config["PUBLIC_URL"]
        for (name, where), report in reports.items():
            report_context(report)  # warm: templates compiled, stylesheet read
            out.results[("html", name, where)] = _measure(
                app,
                lambda r=report: render_template(
                    "reports/report.html", manager=True, **report_context(r)
                ).encode(),
            )
            out.results[("pdf", name, where)] = _measure(
                app,
                lambda r=report: documents.pdf_of(
                    render_template("reports/pdf.html", **report_context(r, base=base)),
                    stylesheet=_stylesheet(),
                ),
            )
        step("reports measured: the annual report as HTML and PDF, with data and without")
    return out


def print_report(r: Reports) -> list[str]:
    problems = []
    print("\nAnnual report (bench/reports.py): Northshire's data against an empty area")
    print(
        f"{'output':8} {'period':16} {'seconds':>9} {'x empty':>8} {'peak MB':>8} "
        f"{'x empty':>8} {'SQL':>5} {'size KB':>8}"
    )
    for (what, name, where), m in r.results.items():
        if where != "data":
            continue
        empty = r.results[(what, name, "empty")]
        print(
            f"{what:8} {name:16} {m.seconds:9.2f} {m.seconds / empty.seconds:8.1f} "
            f"{m.peak_mb:8.1f} {m.peak_mb / max(empty.peak_mb, 0.01):8.1f} "
            f"{m.statements:5d} {m.size_kb:8.1f}"
        )
        if m.statements != empty.statements:
            problems.append(
                f"annual report {what} ({name}) sent {m.statements} statements with data and "
                f"{empty.statements} without: the count grows with the data"
            )
    return problems


def as_json(r: Reports) -> dict:
    return {
        "periods": r.periods,
        "results": [
            {"output": what, "period": name, "area": where, **vars(m)}
            for (what, name, where), m in r.results.items()
        ],
    }
