"""The inspection evidence pack part of the benchmark (issue 17), run by bench/run.py.

The demo area, and `--pack-areas` others (national scale: every table holds other areas'
rows too), get `--pack-years` (5) years of co-production: each month a consultation with a
survey that `--pack-responses` people answered (a tenth agreeing to be quoted), four published
themes citing its question, the council's and the ICB's published answers (some disputed, some
under consideration past their day), commitments linked to them and a progress update on each
commitment every month, and two public meetings with three actions each (one becomes a
commitment). Rows go in with SQLAlchemy Core executemany (ids given by hand, no services, no
audit rows); the generation time is printed and not measured.

It measures, for the pack of the demo area over the five years up to today:

1. **In process**: the time to build the pack (`queries.build_pack`, best of three), its peak
   memory (tracemalloc) and its SQL statements, with the demo's data and with the generated
   five years; the statements must be the same (a count that grows is reported, exit 1).
2. **Over HTTP**: the shared page (`/pack/<token>`, anonymous, every GET recording a view) and
   the organisers' preview, in run.py's load table against the bare-Flask baseline of the same
   size, with their statements counted before and after the generated data.
"""

from __future__ import annotations

import random
import secrets
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import date, timedelta

#: options left unset: (value with --quick, value without)
DEFAULTS = {"pack_years": (2, 5), "pack_areas": (2, 10), "pack_responses": (20, 60)}
CHUNK = 5_000


@dataclass
class PackBench:
    area_slug: str
    token: str = ""
    start: date | None = None
    end: date | None = None
    areas: int = 0
    consultations: int = 0
    themes: int = 0
    decisions: int = 0
    updates: int = 0
    meetings: int = 0
    responses: int = 0
    generation_s: float = 0.0
    #: "small" / "large": {"seconds", "peak_mb", "statements", "moments", "trails"}
    in_process: dict[str, dict] = field(default_factory=dict)
    query_counts: dict[str, dict] = field(default_factory=dict)
    specs: list = field(default_factory=list)


def add_arguments(parser) -> None:
    group = parser.add_argument_group("inspection evidence pack (bench/pack.py)")
    group.add_argument("--pack-years", type=int, help="years of data (default 5; quick 2)")
    group.add_argument(
        "--pack-areas", type=int, help="other areas given the same years (default 10; quick 2)"
    )
    group.add_argument(
        "--pack-responses",
        type=int,
        help="responses to each month's consultation (default 60; quick 20)",
    )
    group.add_argument("--no-pack", action="store_true", help="leave the pack part out")


def set_defaults(args) -> None:
    for name, (quick, full) in DEFAULTS.items():
        if getattr(args, name, None) is None:
            setattr(args, name, quick if args.quick else full)


def _window_query(p: PackBench) -> str:
    assert p.start and p.end
    parts = []
    for name, day in (("start", p.start), ("end", p.end)):
        parts += [f"{name}-day={day.day}", f"{name}-month={day.month}", f"{name}-year={day.year}"]
    return "&".join(parts)


def specs_for(p: PackBench) -> dict:
    from run import PageSpec

    return {
        "shared": PageSpec("inspection pack, shared link", f"/pack/{p.token}", "anonymous"),
        "preview": PageSpec(
            "inspection pack preview (organiser)",
            f"/areas/{p.area_slug}/inspection-pack/preview?{_window_query(p)}",
            "organiser",
        ),
    }


def _share(app, p: PackBench) -> None:
    """A share of the five years up to today, made through the service."""
    from run import organiser_account
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.areas.models import Area
    from forum.extensions import db
    from forum.models import utcnow
    from forum.reports.pack import services as sharing
    from forum.web.time import LONDON

    today = utcnow().astimezone(LONDON).date()
    p.end = today
    p.start = date(today.year - 5, today.month, 1) + timedelta(days=31)
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == p.area_slug))
        organiser = db.session.scalar(select(User).where(User.email == organiser_account().email))
        _share_row, p.token = sharing.create_share(
            area,
            partner_name="Lead inspector",
            organisation="Ofsted and CQC",
            start=p.start,
            end=p.end,
            expires_on=None,
            actor=organiser,
        )
        db.session.commit()
        db.session.remove()


def _insert(model, rows: list[dict]) -> list[int]:
    from sqlalchemy import insert
    from survey import _with_ids

    from forum.extensions import db

    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids += _with_ids(model, chunk)
        db.session.execute(insert(model), chunk)
    return ids


def _one_area(area_id: int, years: int, per_consultation: int, rng, now, p: PackBench) -> None:
    """`years` of monthly co-production in one area."""
    from survey import _reference

    from forum.areas.models import PartnerOrganisation
    from forum.consultations.models import Consultation
    from forum.outcomes.decisions.models import Decision, DecisionCommitment
    from forum.outcomes.themes.models import Evidence, Theme
    from forum.plans.models import Commitment, LocalPlan, Priority, ProgressUpdate
    from forum.representation.models import Action, Meeting
    from forum.surveys.models import Answer, Question, Response, Survey

    months = 12 * years
    council, icb = _insert(
        PartnerOrganisation,
        [
            {"area_id": area_id, "name": name, "kind": kind, "created_at": now}
            for name, kind in (("County Council", "local_authority"), ("NHS ICB", "health"))
        ],
    )
    [plan] = _insert(
        LocalPlan,
        [
            {
                "area_id": area_id,
                "slug": f"pack-bench-plan-{secrets.token_hex(4)}",
                "kind": "inclusion_plan",
                "title": "SEND strategy",
                "summary": "",
                "published_at": now - timedelta(days=31 * months + 60),
                "created_at": now - timedelta(days=31 * months + 90),
                "updated_at": now,
                "version": 1,
            }
        ],
    )
    priorities = _insert(
        Priority,
        [
            {
                "plan_id": plan,
                "area_id": area_id,
                "code": f"B{n}",
                "title": f"Priority {n}",
                "description": "",
                "position": n,
                "version": 1,
            }
            for n in range(1, 7)
        ],
    )
    statuses = ("on_track", "on_track", "at_risk", "delayed", "done", "not_started")
    commitment_rows = [
        {
            "priority_id": priorities[n % 6],
            "area_id": area_id,
            "partner_id": council if n % 2 else icb,
            "title": f"Commitment {n}",
            "description": "",
            "due_on": (now + timedelta(days=rng.randint(-400, 400))).date(),
            "status": statuses[n % 6],
            "dropped_reason": "",
            "progress": rng.randint(0, 100),
            "weight": 1,
            "position": n,
            "created_at": now - timedelta(days=31 * months),
            "updated_at": now,
            "version": 1,
        }
        for n in range(40)
    ]
    commitments = _insert(Commitment, commitment_rows)
    _insert(
        ProgressUpdate,
        [
            {
                "commitment_id": cid,
                "area_id": area_id,
                "text": "We met the schools and agreed the next step.",
                "evidence_url": "",
                "status_before": "on_track",
                "status_after": "on_track",
                "progress_before": 10,
                "progress_after": 20,
                "partner_id": row["partner_id"],
                "created_at": now - timedelta(days=30 * m + 3),
            }
            for cid, row in zip(commitments, commitment_rows, strict=True)
            for m in range(months)
        ],
    )
    p.updates += len(commitments) * months

    consultation_rows = []
    for m in range(months):
        closes = now - timedelta(days=30 * m + 40)
        consultation_rows.append(
            {
                "area_id": area_id,
                "slug": f"pack-bench-{m:03d}",
                "title": f"What families told us, month {m}",
                "summary": "A generated consultation.",
                "easy_read_summary": "",
                "body": "",
                "audience": "public",
                "kind": "standard",
                "opens_at": closes - timedelta(days=30),
                "closes_at": closes,
                "response_due_at": closes + timedelta(weeks=12),
                "published_at": closes - timedelta(days=31),
                "responded_at": closes + timedelta(days=50) if m > 3 else None,
                "response_due_is_custom": False,
                "closed_early_reason": "",
                "created_at": closes - timedelta(days=40),
                "updated_at": closes,
                "version": 1,
            }
        )
    consultations = _insert(Consultation, consultation_rows)
    p.consultations += len(consultations)
    surveys = _insert(
        Survey,
        [
            {
                "consultation_id": cid,
                "area_id": area_id,
                "is_anonymous": False,
                "layout": "one_page",
                "allow_edit_after_submit": False,
                "intro": "",
                "salt": secrets.token_hex(16),
                "results_visibility": "public",
                "created_at": now,
                "updated_at": now,
            }
            for cid in consultations
        ],
    )
    questions = _insert(
        Question,
        [
            {
                "survey_id": sid,
                "area_id": area_id,
                "position": 1,
                "kind": "long_text",
                "prompt": "What would make the biggest difference?",
                "hint": "",
                "is_required": True,
                "options": [],
                "max_length": 2000,
                "has_other": False,
                "scale_low_label": "",
                "scale_high_label": "",
                "show_if_values": [],
                "is_hidden": False,
                "created_at": now,
            }
            for sid in surveys
        ],
    )
    response_rows, answer_questions = [], []
    for sid, qid, row in zip(surveys, questions, consultation_rows, strict=True):
        for _ in range(per_consultation):
            p.responses += 1
            response_rows.append(
                {
                    "survey_id": sid,
                    "area_id": area_id,
                    "user_id": None,
                    "respondent_key": secrets.token_hex(16),
                    "reference": _reference(20_000_000 + p.responses),
                    "status": "submitted",
                    "channel": "paper",
                    "vouched": True,
                    "may_quote": rng.random() < 0.1,
                    "created_at": row["closes_at"] - timedelta(days=5),
                    "updated_at": row["closes_at"] - timedelta(days=5),
                    "submitted_at": row["closes_at"] - timedelta(days=5),
                }
            )
            answer_questions.append(qid)
    responses = _insert(Response, response_rows)
    _insert(
        Answer,
        [
            {
                "response_id": rid,
                "question_id": qid,
                "text": "We waited months and nobody told us what was happening.",
            }
            for rid, qid in zip(responses, answer_questions, strict=True)
        ],
    )
    theme_rows = []
    for cid, row in zip(consultations, consultation_rows, strict=True):
        published = row["responded_at"]
        for n in range(1, 5):
            theme_rows.append(
                {
                    "area_id": area_id,
                    "consultation_id": cid,
                    "title": f"Theme {n}",
                    "summary": "Many families told us this.",
                    "position": n,
                    "published_at": published,
                    "created_at": row["closes_at"],
                    "updated_at": row["closes_at"],
                    "version": 1,
                }
            )
    themes = _insert(Theme, theme_rows)
    p.themes += len(themes)
    _insert(
        Evidence,
        [
            {
                "theme_id": tid,
                "area_id": area_id,
                "kind": "question",
                "question_id": questions[k // 4],
                "added_at": now,
            }
            for k, tid in enumerate(themes)
        ],
    )
    outcomes = ("adopted", "partly_adopted", "not_adopted", "under_consideration")
    decision_rows = []
    for tid, row in zip(themes, theme_rows, strict=True):
        for partner in (council, icb):
            outcome = rng.choice(outcomes)
            decision_rows.append(
                {
                    "theme_id": tid,
                    "area_id": area_id,
                    "partner_id": partner,
                    "outcome": outcome,
                    "explanation": "We will change how we work with families on this.",
                    "reason": "No money this year." if outcome == "not_adopted" else "",
                    "decide_by": (now - timedelta(days=rng.randint(-60, 60))).date()
                    if outcome == "under_consideration"
                    else None,
                    "forum_view": rng.choice(("agreed", "agreed", "disputed", "pending")),
                    "forum_view_at": row["published_at"],
                    "forum_comment": "The forum's view, in its words.",
                    "published_at": row["published_at"],
                    "created_at": row["created_at"],
                    "updated_at": row["created_at"],
                    "version": 1,
                }
            )
    decisions = _insert(Decision, decision_rows)
    p.decisions += len(decisions)
    _insert(
        DecisionCommitment,
        [
            {
                "decision_id": did,
                "commitment_id": commitments[k % len(commitments)],
                "area_id": area_id,
                "linked_at": row["created_at"] + timedelta(days=10),
            }
            for k, (did, row) in enumerate(zip(decisions, decision_rows, strict=True))
            if k % 2 == 0
        ],
    )
    meeting_rows = [
        {
            "area_id": area_id,
            "name": "SEND Partnership Board",
            "partner_id": council,
            "partner_name": "",
            "held_on": (now - timedelta(days=15 * m + 2)).date(),
            "summary": "We raised waiting times.",
            "is_public": True,
            "is_raised_public": True,
            "is_agreed_public": m % 3 != 0,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for m in range(2 * months)
    ]
    meetings = _insert(Meeting, meeting_rows)
    p.meetings += len(meetings)
    _insert(
        Action,
        [
            {
                "meeting_id": mid,
                "area_id": area_id,
                "text": f"Action {n}",
                "owner": "Council SEND team",
                "is_done": n == 1,
                "position": n,
                "commitment_id": commitments[k % len(commitments)] if n == 1 else None,
                "created_at": now,
                "version": 1,
            }
            for k, mid in enumerate(meetings)
            for n in range(1, 4)
        ],
    )


def generate(app, p: PackBench, years: int, other_areas: int, per_consultation: int) -> float:
    from sqlalchemy import select

    from forum.areas.models import Area
    from forum.extensions import db
    from forum.models import utcnow

    started = time.perf_counter()
    rng = random.Random(17)
    now = utcnow()
    with app.app_context():
        target = db.session.scalar(select(Area.id).where(Area.slug == p.area_slug))
        others = list(
            db.session.scalars(
                select(Area.id).where(Area.id != target).order_by(Area.id).limit(other_areas)
            )
        )
        for area_id in [target, *others]:
            _one_area(area_id, years, per_consultation, rng, now, p)
            db.session.commit()
            p.areas += 1
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.session.remove()
    return time.perf_counter() - started


def measure_in_process(app, p: PackBench) -> dict:
    """Build the pack three times: the best time, the peak memory of one build (tracemalloc,
    a build of its own: tracing slows it down), and its statements."""
    from sqlalchemy import event, select

    from forum.areas.models import Area
    from forum.extensions import db
    from forum.models import utcnow
    from forum.reports.pack.queries import build_pack
    from forum.reports.periods import Period

    assert p.start and p.end
    period = Period(p.start, p.end)
    with app.test_request_context():
        area = db.session.scalar(select(Area).where(Area.slug == p.area_slug))
        times = []
        for _ in range(3):
            t = time.perf_counter()
            build_pack(area, period, utcnow())
            times.append(time.perf_counter() - t)
        statements: list[str] = []

        def counted(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN")):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", counted)
        tracemalloc.start()
        try:
            pack = build_pack(area, period, utcnow())
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            event.remove(db.engine, "before_cursor_execute", counted)
        figures = {
            "seconds": round(min(times), 4),
            "median_s": round(statistics.median(times), 4),
            "peak_mb": round(peak / 1_000_000, 2),
            "statements": len(statements),
            "moments": sum(len(m.moments) for m in pack.months),
            "trails": len(pack.trails),
        }
        db.session.remove()
    return figures


def _counted(app, clients, count_queries, p: PackBench) -> dict[str, dict]:
    specs = specs_for(p)
    figures = count_queries(app, clients, list(specs.values()))
    return {key: figures[f"{spec.who} {spec.path}"] for key, spec in specs.items()}


def prepare(app, args, clients: dict, count_queries, step) -> PackBench:
    set_defaults(args)
    p = PackBench(area_slug=args.survey_area)
    _share(app, p)
    p.in_process["small"] = measure_in_process(app, p)
    small = _counted(app, clients, count_queries, p)
    p.generation_s = generate(app, p, args.pack_years, args.pack_areas, args.pack_responses)
    step(
        f"pack: {args.pack_years} years in {p.areas} areas ({p.consultations:,} consultations, "
        f"{p.themes:,} themes, {p.decisions:,} decisions, {p.updates:,} progress updates, "
        f"{p.meetings:,} meetings, {p.responses:,} responses) in {p.generation_s:.1f} s"
    )
    p.in_process["large"] = measure_in_process(app, p)
    large = _counted(app, clients, count_queries, p)
    p.query_counts = {"small": small, "large": large}
    # A slow page is loaded in one long round rather than short alternating ones.
    t = time.perf_counter()
    clients["anonymous"].get(f"/pack/{p.token}")
    seconds = time.perf_counter() - t
    p.in_process["large"]["page_s"] = round(seconds, 3)
    # With every client waiting on a slow page, a short window sees no request finish: give
    # it time for each client to finish a few (one long round).
    window = max(2.0, seconds * args.concurrency)
    p.specs = [
        spec if seconds < 0.2 else type(spec)(spec.name, spec.path, spec.who, slow_seconds=window)
        for spec in specs_for(p).values()
    ]
    return p


def load_specs(p: PackBench | None, args) -> list:
    return [] if p is None else p.specs


def sql_counts(p: PackBench | None) -> dict[str, dict]:
    if p is None:
        return {}
    return {f"{row['who']} {row['path']}": row for row in p.query_counts["large"].values()}


def print_report(p: PackBench) -> list[str]:
    from survey import compared_counts

    problems: list[str] = []
    print()
    print(
        f"Inspection pack: five-year window in {p.area_slug}; generated {p.consultations:,} "
        f"consultations, {p.themes:,} themes, {p.decisions:,} decisions, {p.updates:,} progress "
        f"updates, {p.meetings:,} meetings and {p.responses:,} responses in {p.areas} areas in "
        f"{p.generation_s:.1f} s (not measured)"
    )
    print("Building the pack in process (best of 3; peak memory of one build, tracemalloc)")
    for size, label in (("small", "demo data"), ("large", "generated")):
        f = p.in_process[size]
        print(
            f"  {label:<10} {f['seconds'] * 1000:>9.1f} ms   peak {f['peak_mb']:>7.2f} MB   "
            f"{f['statements']:>3} statements   {f['moments']:>6,} timeline entries   "
            f"{f['trails']:>5,} trails"
        )
    if "page_s" in p.in_process["large"]:
        print(
            f"  the shared page with the generated years: {p.in_process['large']['page_s']:.2f} s "
            "for one GET in process (the pack and its HTML)"
        )
    if p.in_process["small"]["statements"] != p.in_process["large"]["statements"]:
        problems.append("pack statements grew in process")
    print("SQL statements per GET with the demo data and with the generated years")
    small, large = p.query_counts["small"], p.query_counts["large"]
    for key, row, before, same in compared_counts(small, large, problems, "pack page"):
        print(
            f"  {key:<8} {row['who']:<10} {row['path'][:56]:<56} "
            f"demo: {before:>3}   generated: {row['queries']:>3}   {same}"
        )
    return problems


def as_json(p: PackBench) -> dict:
    return {
        "areas": p.areas,
        "consultations": p.consultations,
        "themes": p.themes,
        "decisions": p.decisions,
        "progress_updates": p.updates,
        "meetings": p.meetings,
        "responses": p.responses,
        "generation_s": round(p.generation_s, 2),
        "in_process": p.in_process,
        "query_counts": {
            size: {key: row["queries"] for key, row in counts.items()}
            for size, counts in p.query_counts.items()
        },
    }
