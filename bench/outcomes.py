"""The outcome-ledger part of the benchmark (issue 5), run by bench/run.py.

Every area in the database (the demo's two and run.py's bulk areas: 152 with the defaults) gets
a published local plan of six priorities and 24 commitments with progress updates, and 20
closed consultations, each with a four-question survey (single choice, multiple choice, a
written answer, consent to quote), two codes on the written answers, three themes with their
evidence and linked priorities, and the council's decision on each theme linked to a
commitment. Fifteen consultations in each area have a published response; the other five are
still waiting, some past their due date.

Responses are spread evenly over the 20 × areas surveys, first to a tenth of `--ledger-answers`
(1× data) and then to all of it (10×; a million answers by default). Rows are inserted with
SQLAlchemy Core executemany, ids given by hand, no services and no audit rows; the generation
time is printed and not measured.

It measures:

1. SQL statements per page at 1× and at 10× data: the plan page, its scorecard, the national
   page and a consultation's "you said, we did" page. The counts must be the same.
2. Throughput and latency of the same pages against the bare-Flask baseline, in run.py's table.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta

import survey as survey_bench

#: rows per executemany chunk (and per commit)
CHUNK = 5_000
PLAN_SLUG = "bench-plan"
CONSULTATIONS = 20
RESPONDED = 15
ANSWERS_PER_RESPONSE = 4
#: the consultation whose published response page is measured (in the demo area)
MEASURED = "bench-consultation-01"

PRIORITIES = (
    ("P1", "Early help for every family"),
    ("P2", "Education, health and care plans on time"),
    ("P3", "Mental health support in every school"),
    ("P4", "Preparing for adulthood"),
    ("P5", "Short breaks and respite"),
    ("P6", "Transport that works"),
)
STATUSES = ("not_started", "on_track", "on_track", "at_risk", "delayed", "done", "dropped")
DROPPED = "Replaced by a wider plan."
OUTCOMES = ("adopted", "partly_adopted", "partly_adopted", "not_adopted", "under_consideration")
AGES = ("early", "primary", "secondary", "post16")
HELP = ("speech", "sleep", "mental", "transport", "breaks")
#: the written answers: the survey part's first six sentences
SENTENCES = survey_bench.SENTENCES[:6]


@dataclass
class Ledger:
    area_slug: str
    areas: int = 0
    consultations: int = 0
    #: survey ids with, per survey, its question ids and codes
    surveys: list[dict] = field(default_factory=list)
    responses: int = 0
    answers: int = 0
    themes: int = 0
    decisions: int = 0
    commitments: int = 0
    generation_s: float = 0.0
    growth_s: float = 0.0
    #: seconds `flask outcomes refresh-figures` takes over every area at 10×
    refresh_s: float = 0.0
    #: "1x"/"10x" -> page name -> the counted figures (see run.count_queries)
    query_counts: dict[str, dict] = field(default_factory=dict)


def specs_for(ledger: Ledger) -> dict:
    from run import PageSpec

    area = f"/areas/{ledger.area_slug}"
    return {
        "plan": PageSpec("plan page", f"{area}/plans/{PLAN_SLUG}", "anonymous"),
        "scorecard": PageSpec("plan scorecard", f"{area}/plans/{PLAN_SLUG}/scorecard", "anonymous"),
        "national": PageSpec(f"national page, {ledger.areas} areas", "/national", "anonymous"),
        "response": PageSpec("you said, we did", f"{area}/consultations/{MEASURED}", "anonymous"),
        "plan (organiser)": PageSpec(
            "plan page (organiser)", f"{area}/plans/{PLAN_SLUG}", "organiser"
        ),
        "national (organiser)": PageSpec(
            f"national page, {ledger.areas} areas (organiser)", "/national", "organiser"
        ),
        "response (organiser)": PageSpec(
            "you said, we did (organiser)", f"{area}/consultations/{MEASURED}", "organiser"
        ),
    }


# --- making the data -----------------------------------------------------------------------


def _insert(model, rows: list[dict]) -> list[int]:
    from sqlalchemy import insert
    from survey import _with_ids

    from forum.extensions import db

    ids = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids += _with_ids(model, chunk)
        db.session.execute(insert(model), chunk)
    return ids


def _insert_plain(table, rows: list[dict]) -> None:
    from sqlalchemy import insert

    from forum.extensions import db

    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def _partners(area_ids: list[int]) -> dict[int, int]:
    """Each area's council (made when the area has no partner)."""
    from sqlalchemy import select

    from forum.areas.models import PartnerKind, PartnerOrganisation
    from forum.extensions import db
    from forum.models import utcnow

    found = {}
    for area_id, partner_id in db.session.execute(
        select(PartnerOrganisation.area_id, PartnerOrganisation.id).order_by(PartnerOrganisation.id)
    ):
        found.setdefault(area_id, partner_id)
    missing = [a for a in area_ids if a not in found]
    rows = [
        {
            "area_id": a,
            "name": "The council",
            "kind": PartnerKind.LOCAL_AUTHORITY.value,
            "created_at": utcnow(),
        }
        for a in missing
    ]
    for area_id, partner_id in zip(missing, _insert(PartnerOrganisation, rows), strict=True):
        found[area_id] = partner_id
    return found


def create_ledger(area_slug: str, *, seed: int = 11) -> Ledger:
    """Plans, consultations, surveys, themes and decisions in every area (no responses yet)."""
    from sqlalchemy import select

    from forum.areas.models import Area
    from forum.consultations.models import Consultation, consultation_priorities
    from forum.extensions import db
    from forum.models import utcnow
    from forum.outcomes.decisions.models import Decision, DecisionCommitment
    from forum.outcomes.themes.models import Evidence, Theme
    from forum.outcomes.themes.models import theme_priorities as theme_priority_table
    from forum.plans.models import Commitment, LocalPlan, Priority, ProgressUpdate
    from forum.surveys.models import Code, Question, Survey

    rng = random.Random(seed)
    now = utcnow()
    area_ids = list(db.session.scalars(select(Area.id).order_by(Area.id)))
    partner_of = _partners(area_ids)
    ledger = Ledger(area_slug=area_slug, areas=len(area_ids))

    plans = _insert(
        LocalPlan,
        [
            {
                "area_id": a,
                "slug": PLAN_SLUG,
                "kind": "inclusion_plan",
                "title": "Local inclusion plan 2025 to 2028",
                "summary": "What the council, health and the forum will do together.",
                "published_at": now - timedelta(days=700),
                "created_at": now - timedelta(days=720),
                "updated_at": now - timedelta(days=700),
            }
            for a in area_ids
        ],
    )
    priority_rows = [
        {
            "plan_id": plan_id,
            "area_id": a,
            "code": code,
            "title": title,
            "description": "",
            "position": n,
        }
        for a, plan_id in zip(area_ids, plans, strict=True)
        for n, (code, title) in enumerate(PRIORITIES, start=1)
    ]
    priority_ids = _insert(Priority, priority_rows)
    priorities_of: dict[int, list[int]] = {}
    for row, pid in zip(priority_rows, priority_ids, strict=True):
        priorities_of.setdefault(row["area_id"], []).append(pid)

    commitment_rows = []
    for a in area_ids:
        for pid in priorities_of[a]:
            for n in range(1, 5):
                status = rng.choice(STATUSES)
                commitment_rows.append(
                    {
                        "priority_id": pid,
                        "area_id": a,
                        "partner_id": partner_of[a],
                        "title": f"Commitment {n}",
                        "description": "",
                        "status": status,
                        "dropped_reason": "Replaced by a wider plan."
                        if status == "dropped"
                        else "",
                        "progress": 100 if status == "done" else rng.randint(0, 90),
                        "weight": rng.choice((1, 1, 2, 3)),
                        "position": n,
                        "created_at": now - timedelta(days=600),
                        "updated_at": now - timedelta(days=30),
                    }
                )
    commitment_ids = _insert(Commitment, commitment_rows)
    commitments_of: dict[int, list[int]] = {}
    for row, cid in zip(commitment_rows, commitment_ids, strict=True):
        commitments_of.setdefault(row["area_id"], []).append(cid)
    _insert(
        ProgressUpdate,
        [
            {
                "commitment_id": cid,
                "area_id": row["area_id"],
                "text": "Work has started with the first schools.",
                "evidence_url": "",
                "status_before": "not_started",
                "status_after": row["status"],
                "progress_before": 0,
                "progress_after": row["progress"],
                "partner_id": row["partner_id"],
                "created_at": now - timedelta(days=days),
            }
            for row, cid in zip(commitment_rows, commitment_ids, strict=True)
            for days in (120, 30)
        ],
    )

    consultation_rows = []
    for a in area_ids:
        for n in range(1, CONSULTATIONS + 1):
            closes = now - timedelta(days=30 + 30 * n)
            responded = n <= RESPONDED
            consultation_rows.append(
                {
                    "area_id": a,
                    "slug": f"bench-consultation-{n:02d}",
                    "title": f"What matters to families, round {n}",
                    "summary": "A generated consultation for the benchmark.",
                    "easy_read_summary": "",
                    "body": "",
                    "audience": "public",
                    "kind": "local_offer" if n == CONSULTATIONS else "standard",
                    "opens_at": closes - timedelta(days=42),
                    "closes_at": closes,
                    "response_due_at": closes + timedelta(weeks=12),
                    "published_at": closes - timedelta(days=50),
                    "responded_at": closes + timedelta(days=rng.randint(20, 120))
                    if responded
                    else None,
                    "closed_early_reason": "",
                    "created_at": closes - timedelta(days=60),
                    "updated_at": closes,
                }
            )
    consultation_ids = _insert(Consultation, consultation_rows)
    ledger.consultations = len(consultation_ids)
    _insert_plain(
        consultation_priorities,
        [
            {"consultation_id": cid, "priority_id": priorities_of[row["area_id"]][k % 6]}
            for k, (row, cid) in enumerate(zip(consultation_rows, consultation_ids, strict=True))
            for k in (k, k + 1)
        ],
    )
    survey_rows = [
        {
            "consultation_id": cid,
            "area_id": row["area_id"],
            "is_anonymous": False,
            "layout": "one_page",
            "allow_edit_after_submit": False,
            "intro": "",
            "salt": secrets.token_hex(16),
            "results_visibility": "public",
            "results_published_at": row["closes_at"],
            "created_at": row["created_at"],
            "updated_at": row["created_at"],
        }
        for row, cid in zip(consultation_rows, consultation_ids, strict=True)
    ]
    survey_ids = _insert(Survey, survey_rows)
    question_rows = []
    for sid, row in zip(survey_ids, survey_rows, strict=True):
        base = {"survey_id": sid, "area_id": row["area_id"], "hint": "", "is_required": True}
        question_rows += [
            {
                **base,
                "position": 1,
                "kind": "single_choice",
                "prompt": "How old is your child?",
                "options": [{"value": k, "label": k.title()} for k in AGES],
            },
            {
                **base,
                "position": 2,
                "kind": "multiple_choice",
                "prompt": "What help has your family had?",
                "options": [{"value": k, "label": k.title()} for k in HELP],
            },
            {
                **base,
                "position": 3,
                "kind": "long_text",
                "prompt": "What would make the biggest difference?",
                "options": [],
                "max_length": 2000,
            },
            {
                **base,
                "position": 4,
                "kind": "consent",
                "prompt": "May we quote what you wrote, without your name?",
                "options": [],
            },
        ]
    for q in question_rows:
        q.update(
            {
                "has_other": False,
                "scale_low_label": "",
                "scale_high_label": "",
                "show_if_values": [],
                "is_hidden": False,
                "created_at": now - timedelta(days=800),
            }
        )
        q.setdefault("max_length", None)
    question_ids = _insert(Question, question_rows)
    code_rows = [
        {"survey_id": sid, "area_id": row["area_id"], "name": name, "created_at": now}
        for sid, row in zip(survey_ids, survey_rows, strict=True)
        for name in ("Waiting times", "Being listened to")
    ]
    code_ids = _insert(Code, code_rows)

    theme_rows, evidence_plan, theme_links = [], [], []
    for k, (cid, row) in enumerate(zip(consultation_ids, consultation_rows, strict=True)):
        q = question_ids[4 * k : 4 * k + 4]
        codes = code_ids[2 * k : 2 * k + 2]
        ledger.surveys.append(
            {"survey_id": survey_ids[k], "area_id": row["area_id"], "questions": q, "codes": codes}
        )
        responded = row["responded_at"]
        for n, (title, evidence) in enumerate(
            (
                ("Waiting too long for assessments", ("code", codes[0], None)),
                ("Help with transport", ("question", q[1], "transport")),
                ("Being listened to", ("code", codes[1], None)),
            ),
            start=1,
        ):
            theme_rows.append(
                {
                    "area_id": row["area_id"],
                    "consultation_id": cid,
                    "title": title,
                    "summary": "Many families told us this.",
                    "position": n,
                    "published_at": responded,
                    "created_at": row["closes_at"] + timedelta(days=7),
                    "updated_at": row["closes_at"] + timedelta(days=7),
                }
            )
            evidence_plan.append(evidence)
            theme_links.append(priorities_of[row["area_id"]][(k + n) % 6])
    theme_ids = _insert(Theme, theme_rows)
    ledger.themes = len(theme_ids)
    _insert_plain(
        theme_priority_table,
        [
            {"theme_id": tid, "priority_id": pid}
            for tid, pid in zip(theme_ids, theme_links, strict=True)
        ],
    )
    evidence_rows = []
    for tid, row, (kind, ref, option) in zip(theme_ids, theme_rows, evidence_plan, strict=True):
        evidence_rows.append(
            {
                "theme_id": tid,
                "area_id": row["area_id"],
                "kind": kind,
                "code_id": ref if kind == "code" else None,
                "question_id": ref if kind == "question" else None,
                "option_key": option,
                "added_at": row["created_at"],
            }
        )
    _insert(Evidence, evidence_rows)
    decision_rows = []
    for tid, row in zip(theme_ids, theme_rows, strict=True):
        outcome = rng.choice(OUTCOMES)
        decision_rows.append(
            {
                "theme_id": tid,
                "area_id": row["area_id"],
                "partner_id": partner_of[row["area_id"]],
                "outcome": outcome,
                "explanation": "We will change how we work with families on this.",
                "reason": "There is no money for it this year." if outcome == "not_adopted" else "",
                "decide_by": (now + timedelta(days=rng.randint(-60, 60))).date()
                if outcome == "under_consideration"
                else None,
                "forum_view": rng.choice(("agreed", "agreed", "disputed", "pending")),
                "forum_comment": "",
                "published_at": row["published_at"],
                "created_at": row["created_at"] + timedelta(days=20),
                "updated_at": row["created_at"] + timedelta(days=20),
            }
        )
    decision_ids = _insert(Decision, decision_rows)
    ledger.decisions = len(decision_ids)
    _insert(
        DecisionCommitment,
        [
            {
                "decision_id": did,
                "commitment_id": commitments_of[row["area_id"]][k % 24],
                "area_id": row["area_id"],
                "linked_at": row["created_at"],
            }
            for k, (did, row) in enumerate(zip(decision_ids, decision_rows, strict=True))
        ],
    )
    ledger.commitments = len(commitment_ids)
    db.session.commit()
    return ledger


def add_responses(app, ledger: Ledger, per_survey: int, *, seed: int = 13) -> float:
    """`per_survey` more submitted responses in every survey, four answers each, a third of
    the written answers tagged with one of the survey's codes."""
    from survey import _move_sequences, _reference

    from forum.extensions import db
    from forum.models import utcnow
    from forum.surveys.models import Answer, AnswerChoice, AnswerCode, Response

    rng = random.Random(seed + ledger.responses)
    started = time.perf_counter()
    now = utcnow()
    with app.app_context():
        pending: list[dict] = []

        def flush_batch():
            if not pending:
                return
            response_rows = [p["response"] for p in pending]
            response_ids = _insert(Response, response_rows)
            answer_rows, choices, tags = [], [], []
            for response_id, p in zip(response_ids, pending, strict=True):
                for row in p["answers"]:
                    answer_rows.append({**row, "response_id": response_id})
            answer_ids = _insert(Answer, answer_rows)
            for answer_id, row in zip(answer_ids, answer_rows, strict=True):
                meta = row.pop("_meta")
                for key in meta.get("keys", ()):
                    choices.append(
                        {
                            "answer_id": answer_id,
                            "response_id": row["response_id"],
                            "question_id": row["question_id"],
                            "option_key": key,
                            "rank": None,
                        }
                    )
                if meta.get("code"):
                    tags.append({"answer_id": answer_id, "code_id": meta["code"], "tagged_at": now})
            _insert(AnswerChoice, choices)
            _insert_plain(AnswerCode.__table__, tags)
            db.session.commit()
            pending.clear()

        for s in ledger.surveys:
            q = s["questions"]
            for _ in range(per_survey):
                ledger.responses += 1
                n = ledger.responses
                consent = rng.random() < 0.6
                helped = rng.sample(HELP, rng.randint(1, 3))
                age = rng.choice(AGES)
                text = " ".join(rng.sample(SENTENCES, rng.randint(1, 2)))
                when = now - timedelta(days=60, minutes=rng.randint(0, 60 * 24 * 500))
                answers = [
                    {"question_id": q[0], "value": age, "text": None, "_meta": {"keys": [age]}},
                    {
                        "question_id": q[1],
                        "value": helped,
                        "text": None,
                        "_meta": {"keys": helped},
                    },
                    {
                        "question_id": q[2],
                        "value": text,
                        "text": text,
                        "_meta": {"code": rng.choice(s["codes"]) if n % 3 == 0 else None},
                    },
                    {
                        "question_id": q[3],
                        "value": "yes" if consent else "no",
                        "text": None,
                        "_meta": {"keys": ["yes" if consent else "no"]},
                    },
                ]
                pending.append(
                    {
                        "response": {
                            "survey_id": s["survey_id"],
                            "area_id": s["area_id"],
                            "respondent_key": secrets.token_hex(16),
                            "reference": _reference(10_000_000 + n),
                            "status": "submitted",
                            "channel": "online",
                            "may_quote": consent,
                            "created_at": when - timedelta(minutes=9),
                            "updated_at": when,
                            "submitted_at": when,
                        },
                        "answers": answers,
                    }
                )
                ledger.answers += ANSWERS_PER_RESPONSE
                if len(pending) * ANSWERS_PER_RESPONSE >= CHUNK * 4:
                    flush_batch()
        flush_batch()
        _move_sequences(Response, Answer, AnswerChoice)
        db.session.remove()
    return time.perf_counter() - started


def _refresh(app) -> float:
    """Recount the stored scorecard figures for every area, as the hourly command does."""
    from forum.extensions import db
    from forum.outcomes.scorecard.services import refresh_figures

    started = time.perf_counter()
    with app.app_context():
        refresh_figures()
        db.session.commit()
        db.session.remove()
    return time.perf_counter() - started


def _analyse(app) -> None:
    """Planner statistics after a bulk load, as anyone loading this much should do."""
    from sqlalchemy import text

    from forum.extensions import db

    with app.app_context():
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def prepare(app, args, clients: dict, count_queries, step) -> Ledger:
    total = args.ledger_answers or (50_000 if args.quick else 1_000_000)
    started = time.perf_counter()
    with app.app_context():
        from forum.extensions import db

        ledger = create_ledger(args.survey_area)
        db.session.remove()
    surveys = len(ledger.surveys)
    per_survey_10x = max(10, -(-total // (surveys * ANSWERS_PER_RESPONSE)))  # at least `total`
    per_survey_1x = max(1, per_survey_10x // 10)
    add_responses(app, ledger, per_survey_1x)
    _analyse(app)
    _refresh(app)
    ledger.generation_s = time.perf_counter() - started
    step(
        f"ledger: {ledger.areas} areas, {ledger.consultations:,} consultations, "
        f"{ledger.themes:,} themes, {ledger.decisions:,} decisions, {ledger.commitments:,} "
        f"commitments, {ledger.answers:,} answers in {ledger.generation_s:.1f} s"
    )
    specs = list(specs_for(ledger).values())
    ledger.query_counts["1x"] = count_queries(app, clients, specs)
    ledger.growth_s = add_responses(app, ledger, per_survey_10x - per_survey_1x)
    _analyse(app)
    ledger.refresh_s = _refresh(app)
    step(
        f"ledger grown to {ledger.answers:,} answers in {ledger.growth_s:.1f} s; scorecard "
        f"figures recounted for {ledger.areas} areas in {ledger.refresh_s:.1f} s"
    )
    ledger.query_counts["10x"] = count_queries(app, clients, specs)
    return ledger


def load_specs(ledger: Ledger | None, args) -> list:
    if ledger is None:
        return []
    return list(specs_for(ledger).values())


def sql_counts(ledger: Ledger | None) -> dict:
    """The 10× counts keyed like run.count_queries ("who path"), for the load table."""
    return ledger.query_counts.get("10x", {}) if ledger else {}


def print_report(ledger: Ledger) -> list[str]:
    """The statements per page at 1× and 10×; returns problems to warn about."""
    problems = []
    print(
        f"\nOutcome ledger: {ledger.areas} areas, {ledger.consultations:,} consultations, "
        f"{ledger.answers:,} answers ({ledger.responses:,} responses), {ledger.themes:,} "
        f"themes, {ledger.decisions:,} decisions, {ledger.commitments:,} commitments"
    )
    print(f"Recounting the stored scorecard figures for every area: {ledger.refresh_s:.1f} s")
    print(f"{'page':<40} {'1x':>6} {'10x':>6}")
    small, large = ledger.query_counts.get("1x", {}), ledger.query_counts.get("10x", {})
    for key, figures in large.items():
        before = small.get(key, {}).get("queries")
        after = figures.get("queries")
        print(f"{key:<40} {before!s:>6} {after!s:>6}")
        if before != after:
            problems.append(f"{key}: {before} statements at 1x, {after} at 10x")
    return problems


def _without_sql(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "statements"}


def as_json(ledger: Ledger) -> dict:
    return {
        "areas": ledger.areas,
        "consultations": ledger.consultations,
        "responses": ledger.responses,
        "answers": ledger.answers,
        "themes": ledger.themes,
        "decisions": ledger.decisions,
        "commitments": ledger.commitments,
        "generation_s": round(ledger.generation_s, 1),
        "growth_s": round(ledger.growth_s, 1),
        "refresh_s": round(ledger.refresh_s, 1),
        "query_counts": {
            size: {
                key: {k: v for k, v in row.items() if k != "statements"}
                for key, row in rows.items()
            }
            for size, rows in ledger.query_counts.items()
        },
    }
