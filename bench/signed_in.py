"""The signed-in pages part of the benchmark (issue 18), run by bench/run.py.

Issue 18's page list names three pages the other parts do not load: "what happened to my
feedback" for a parent with 200 items, the moderation queue, and the consultations list. In
the demo area this part adds, with SQLAlchemy Core executemany (ids given by hand, no services,
no audit rows; the generation time is printed and not measured):

- **a parent** (an active member who signs in like the survey part's voters: POST /sign-in on
  an in-process test client, whose session cookie is then used over HTTP) with `--feedback-items`
  things said (200): consultations of 20 each, closed (every other one with a published
  response), each with a survey of ten written questions the parent answered and a discussion
  of ten posts the parent wrote; three published themes per consultation, fed by the parent's
  answers and posts one by one (a few feed two themes), each with a published decision of one
  or two partners linked to commitments of the area's plan (the demo's);
- **a moderation queue** of `--reported-posts` posts (200, the queue's length): a quarter
  waiting for approval, a quarter hidden after reports, the rest showing with one to three open
  reports each, by many authors, in threads of 20 posts, each thread on a board of its own.

It measures:

1. SQL statements per page at a small size (one consultation of 20 items, 10 posts in the
   queue) and at the full one: the feedback page as the parent, the moderation queue as the
   organiser, the consultations list anonymously and as the organiser. The counts must be the
   same; one that grows is printed as GREW and is a problem (exit 1).
2. Throughput and latency of the same pages against the bare-Flask baseline, in run.py's table.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta

import survey as survey_bench

#: who the parent's pages are loaded as (run.py's clients and cookies are keyed by this)
PARENT = "parent"
PARENT_PREFIX = "feedback-parent"
#: things the parent said in each generated consultation: answers, then posts
ANSWERS_EACH = 10
POSTS_EACH = 10
PER_CONSULTATION = ANSWERS_EACH + POSTS_EACH
#: the small size, counted before the full one
SMALL_ITEMS = PER_CONSULTATION
SMALL_REPORTED = 10
MODERATION_BOARD = "bench-moderation"
#: posts in each thread of the moderation board
POSTS_PER_THREAD = 20
#: references of the parent's responses start here (the other parts use 10,000,001 on)
REFERENCES = 30_000_000

QUESTIONS = (
    "What has helped your family most?",
    "What has been hardest?",
    "What should schools do differently?",
    "What should health services do differently?",
    "How could the council keep you better informed?",
    "What would make the biggest difference to your child?",
    "What did you think of the assessment?",
    "What happened when you asked for help?",
    "What else should we know?",
    "Anything about getting to school or college?",
)
THEMES = (
    ("Waiting too long for assessments", "Families wait months for an assessment."),
    ("Being listened to", "Parents want to be heard the first time."),
    ("Help with transport", "Getting to school is hard for many children."),
)
REASONS = ("personal", "unkind", "untrue", "spam", "other")


@dataclass
class SignedIn:
    area_slug: str
    parent_email: str = ""
    consultations: int = 0
    answers: int = 0
    posts: int = 0
    themes: int = 0
    decisions: int = 0
    queued: int = 0
    reports: int = 0
    generation_s: float = 0.0
    #: "small"/"full" -> page key -> the counted figures (see run.count_queries)
    query_counts: dict[str, dict] = field(default_factory=dict)
    specs: list = field(default_factory=list)
    #: the parent's Cookie header value, for the pages loaded over HTTP
    cookie: str = ""
    _moderation_thread_ids: list[int] = field(default_factory=list)

    @property
    def items(self) -> int:
        return self.answers + self.posts


def specs_for(s: SignedIn) -> dict:
    from run import PageSpec

    area = f"/areas/{s.area_slug}"
    return {
        "feedback": PageSpec("my feedback (parent)", "/account/feedback", PARENT),
        "moderation": PageSpec("moderation (organiser)", f"{area}/moderation", "organiser"),
        "consultations": PageSpec("consultations list", f"{area}/consultations", "anonymous"),
        "consultations (organiser)": PageSpec(
            "consultations (organiser)", f"{area}/consultations", "organiser"
        ),
    }


# --- making the data -----------------------------------------------------------------------


def _insert(model, rows: list[dict]) -> list[int]:
    from sqlalchemy import insert

    from forum.extensions import db

    if not rows:
        return []
    ids = survey_bench._with_ids(model, rows)
    db.session.execute(insert(model), rows)
    return ids


def sign_in_parent(app, s: SignedIn):
    """The parent, made an active member and signed in on an in-process test client (as the
    survey part signs its voters in); the client, and its cookie kept for HTTP."""
    from run import SESSION_COOKIE, USER_AGENT, hidden_fields

    (s.parent_email,) = survey_bench.add_members(app, s.area_slug, 1, PARENT_PREFIX)
    client = app.test_client()
    page = client.get("/sign-in", headers={"User-Agent": USER_AGENT})
    response = client.post(
        "/sign-in",
        data={
            **hidden_fields(page.get_data(as_text=True)),
            "email": s.parent_email,
            "password": survey_bench.VOTER_PASSWORD,
        },
        headers={"User-Agent": USER_AGENT},
    )
    if response.status_code != 303:
        raise RuntimeError(f"in-process sign-in of {s.parent_email}: HTTP {response.status_code}")
    s.cookie = f"{SESSION_COOKIE}={client.get_cookie(SESSION_COOKIE).value}"
    return client


def add_feedback(app, s: SignedIn, consultations: int, *, seed: int = 18) -> None:
    """`consultations` more closed consultations, each with the parent's 10 answers and 10
    posts, three published themes fed by them, and partners' published decisions."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.areas.models import Area, PartnerOrganisation
    from forum.consultations.models import Consultation
    from forum.discussions.models import Board, Post, Thread
    from forum.extensions import db
    from forum.models import utcnow
    from forum.outcomes.decisions.models import Decision, DecisionCommitment
    from forum.outcomes.themes.models import Evidence, Theme
    from forum.plans.models import Commitment
    from forum.surveys.models import Answer, Question, Response, Survey

    rng = random.Random(seed + s.consultations)
    now = utcnow()
    with app.app_context():
        area_id = db.session.scalar(select(Area.id).where(Area.slug == s.area_slug))
        parent_id = db.session.scalar(select(User.id).where(User.email == s.parent_email))
        partners = list(
            db.session.scalars(
                select(PartnerOrganisation.id)
                .where(PartnerOrganisation.area_id == area_id)
                .order_by(PartnerOrganisation.id)
                .limit(2)
            )
        )
        commitments = list(
            db.session.scalars(
                select(Commitment.id)
                .where(Commitment.area_id == area_id)
                .order_by(Commitment.id)
                .limit(12)
            )
        )
        for _ in range(consultations):
            s.consultations += 1
            n = s.consultations
            closes = now - timedelta(days=20 + 15 * n)
            responded = n % 2 == 1
            (consultation_id,) = _insert(
                Consultation,
                [
                    {
                        "area_id": area_id,
                        "slug": f"bench-feedback-{n:03d}",
                        "title": f"Benchmark: what families told us, part {n}",
                        "summary": "A generated consultation for the signed-in pages.",
                        "easy_read_summary": "",
                        "body": "",
                        "audience": "public",
                        "kind": "standard",
                        "opens_at": closes - timedelta(days=42),
                        "closes_at": closes,
                        "response_due_at": closes + timedelta(weeks=12),
                        "published_at": closes - timedelta(days=50),
                        "responded_at": closes + timedelta(days=10) if responded else None,
                        "closed_early_reason": "",
                        "created_at": closes - timedelta(days=60),
                        "updated_at": closes,
                    }
                ],
            )
            (survey_id,) = _insert(
                Survey,
                [
                    {
                        "consultation_id": consultation_id,
                        "area_id": area_id,
                        "is_anonymous": False,
                        "layout": "one_page",
                        "allow_edit_after_submit": False,
                        "intro": "",
                        "salt": secrets.token_hex(16),
                        "results_visibility": "public",
                        "results_published_at": closes,
                        "created_at": closes - timedelta(days=60),
                        "updated_at": closes - timedelta(days=60),
                    }
                ],
            )
            question_ids = _insert(
                Question,
                [
                    {
                        "survey_id": survey_id,
                        "area_id": area_id,
                        "position": k,
                        "kind": "long_text",
                        "prompt": prompt,
                        "hint": "",
                        "is_required": False,
                        "options": [],
                        "max_length": 2000,
                        "has_other": False,
                        "scale_low_label": "",
                        "scale_high_label": "",
                        "show_if_values": [],
                        "is_hidden": False,
                        "created_at": closes - timedelta(days=60),
                    }
                    for k, prompt in enumerate(QUESTIONS[:ANSWERS_EACH], start=1)
                ],
            )
            sent = closes - timedelta(days=rng.randint(1, 40))
            (response_id,) = _insert(
                Response,
                [
                    {
                        "survey_id": survey_id,
                        "area_id": area_id,
                        "user_id": parent_id,
                        "respondent_key": secrets.token_hex(32),
                        "reference": survey_bench._reference(REFERENCES + n),
                        "status": "submitted",
                        "channel": "online",
                        "may_quote": True,
                        "created_at": sent - timedelta(minutes=20),
                        "updated_at": sent,
                        "submitted_at": sent,
                    }
                ],
            )
            answer_ids = _insert(
                Answer,
                [
                    {
                        "response_id": response_id,
                        "question_id": question_id,
                        "value": text,
                        "text": text,
                    }
                    for question_id in question_ids
                    for text in [" ".join(rng.sample(survey_bench.SENTENCES, 2))]
                ],
            )
            (board_id,) = _insert(
                Board,
                [
                    {
                        "area_id": area_id,
                        "consultation_id": consultation_id,
                        "slug": f"bench-feedback-{n:03d}",
                        "name": f"Talk about part {n}",
                        "description": "",
                        "visibility": "public",
                        "position": 950,
                        "created_at": closes - timedelta(days=50),
                    }
                ],
            )
            (thread_id,) = _insert(
                Thread,
                [
                    {
                        "board_id": board_id,
                        "area_id": area_id,
                        "title": f"Getting help, part {n}",
                        "author_id": parent_id,
                        "created_at": closes - timedelta(days=45),
                        "last_activity_at": closes - timedelta(days=5),
                        "reply_count": POSTS_EACH - 1,
                    }
                ],
            )
            post_ids = _insert(
                Post,
                [
                    {
                        "thread_id": thread_id,
                        "area_id": area_id,
                        "number": k,
                        "author_id": parent_id,
                        "body": "\n\n".join(rng.sample(survey_bench.SENTENCES, 2)),
                        "status": "visible",
                        "status_reason": "",
                        "created_at": closes - timedelta(days=45 - 4 * k),
                        "me_too_count": rng.choice((0, 1, 3)),
                        "report_count": 0,
                    }
                    for k in range(1, POSTS_EACH + 1)
                ],
            )
            published = closes + timedelta(days=10) if responded else None
            theme_ids = _insert(
                Theme,
                [
                    {
                        "area_id": area_id,
                        "consultation_id": consultation_id,
                        "title": title,
                        "summary": summary,
                        "position": k,
                        "published_at": published or closes + timedelta(days=5),
                        "created_at": closes + timedelta(days=3),
                        "updated_at": closes + timedelta(days=3),
                    }
                    for k, (title, summary) in enumerate(THEMES, start=1)
                ],
            )
            # Answers and posts one by one: 0–2 and 7 to the first theme, 3–5 to the second,
            # 6–9 to the third; the same for the posts. Two items feed two themes.
            evidence = []
            for kind, ids in (("answer", answer_ids), ("post", post_ids)):
                for k, item_id in enumerate(ids):
                    to = [0 if k < 3 or k == 7 else 1 if k < 6 else 2]
                    if k == 2:
                        to.append(2)
                    for t in to:
                        evidence.append(
                            {
                                "theme_id": theme_ids[t],
                                "area_id": area_id,
                                "kind": kind,
                                f"{kind}_id": item_id,
                                "added_at": closes + timedelta(days=4),
                            }
                        )
            for row in evidence:
                for key in ("answer_id", "post_id", "code_id", "question_id", "option_key"):
                    row.setdefault(key, None)
            _insert(Evidence, evidence)
            decisions = []
            for k, theme_id in enumerate(theme_ids):
                for partner_id in partners[: 1 + k % 2]:
                    outcome = rng.choice(
                        ("adopted", "partly_adopted", "not_adopted", "under_consideration")
                    )
                    decisions.append(
                        {
                            "theme_id": theme_id,
                            "area_id": area_id,
                            "partner_id": partner_id,
                            "outcome": outcome,
                            "explanation": "We will change how we work with families on this.",
                            "reason": "There is no money for it this year."
                            if outcome == "not_adopted"
                            else "",
                            "decide_by": (now + timedelta(days=rng.randint(-30, 30))).date()
                            if outcome == "under_consideration"
                            else None,
                            "forum_view": rng.choice(("agreed", "disputed", "pending")),
                            "forum_comment": "",
                            "published_at": published or closes + timedelta(days=8),
                            "created_at": closes + timedelta(days=6),
                            "updated_at": closes + timedelta(days=6),
                        }
                    )
            decision_ids = _insert(Decision, decisions)
            _insert(
                DecisionCommitment,
                [
                    {
                        "decision_id": decision_id,
                        "commitment_id": commitments[(n + k + j) % len(commitments)],
                        "area_id": area_id,
                        "linked_at": closes + timedelta(days=7),
                    }
                    for k, decision_id in enumerate(decision_ids)
                    for j in range(1 + k % 2)
                ]
                if commitments
                else [],
            )
            db.session.commit()
            s.answers += len(answer_ids)
            s.posts += len(post_ids)
            s.themes += len(theme_ids)
            s.decisions += len(decision_ids)
        survey_bench._move_sequences(
            Consultation, Survey, Question, Response, Answer, Board, Thread, Post, Theme
        )
        survey_bench._move_sequences(Evidence, Decision, DecisionCommitment)
        db.session.remove()


def add_reported(app, s: SignedIn, count: int, *, seed: int = 19) -> None:
    """`count` more posts in the moderation queue, in threads of 20 on boards of their own: a
    quarter held for approval, a quarter hidden after reports, the rest reported and showing."""
    from discussions import _authors
    from sqlalchemy import select

    from forum.areas.models import Area
    from forum.discussions.models import Board, Post, Report, Thread
    from forum.extensions import db
    from forum.models import utcnow

    rng = random.Random(seed + s.queued)
    now = utcnow()
    with app.app_context():
        area_id = db.session.scalar(select(Area.id).where(Area.slug == s.area_slug))
        authors = _authors(area_id)
        posts, reports = [], []
        for _ in range(count):
            s.queued += 1
            n = s.queued
            if (n - 1) % POSTS_PER_THREAD == 0:
                # a board for each thread, so that a row loading its board would show
                board = len(s._moderation_thread_ids) + 1
                (board_id,) = _insert(
                    Board,
                    [
                        {
                            "area_id": area_id,
                            "consultation_id": None,
                            "slug": f"{MODERATION_BOARD}-{board:03d}",
                            "name": f"Benchmark: posts to moderate {board}",
                            "description": "",
                            "visibility": "public",
                            "position": 960,
                            "created_at": now - timedelta(days=30),
                        }
                    ],
                )
                s._moderation_thread_ids += _insert(
                    Thread,
                    [
                        {
                            "board_id": board_id,
                            "area_id": area_id,
                            "title": f"Benchmark: a heated conversation {board}",
                            "author_id": authors[n % len(authors)],
                            "created_at": now - timedelta(days=20),
                            "last_activity_at": now - timedelta(days=1),
                            "reply_count": POSTS_PER_THREAD - 1,
                        }
                    ],
                )
            status = ("held", "reported", "visible", "visible")[n % 4]
            reported = 0 if status == "held" else 3 if status == "reported" else 1 + n % 3
            posts.append(
                {
                    "thread_id": s._moderation_thread_ids[-1],
                    "area_id": area_id,
                    "number": (n - 1) % POSTS_PER_THREAD + 1,
                    "author_id": authors[(7 * n) % len(authors)],
                    "body": "\n\n".join(rng.sample(survey_bench.SENTENCES, 2)),
                    "status": status,
                    "status_reason": "Held because it has a link." if status == "held" else "",
                    "created_at": now - timedelta(days=10, minutes=-n),
                    "me_too_count": 0,
                    "report_count": reported,
                }
            )
            reports.append(reported)
        post_ids = _insert(Post, posts)
        report_rows = [
            {
                "post_id": post_id,
                "area_id": area_id,
                "reporter_id": authors[(post_id + k) % len(authors)],
                "reason": REASONS[(post_id + k) % len(REASONS)],
                "detail": "This names a child." if k == 0 else "",
                "created_at": now - timedelta(days=5, minutes=k),
                "resolved_at": None,
            }
            for post_id, many in zip(post_ids, reports, strict=True)
            for k in range(many)
        ]
        _insert(Report, report_rows)
        db.session.commit()
        s.reports += len(report_rows)
        survey_bench._move_sequences(Board, Thread, Post, Report)
        db.session.remove()


def _counted(app, clients, count_queries, s: SignedIn) -> dict[str, dict]:
    specs = specs_for(s)
    figures = count_queries(app, clients, list(specs.values()))
    return {key: figures[f"{spec.who} {spec.path}"] for key, spec in specs.items()}


def prepare(app, args, clients: dict, count_queries, step) -> SignedIn:
    """The parent and the queue at the small size, counted; then the full size, counted."""
    s = SignedIn(area_slug=args.survey_area)
    started = time.perf_counter()
    clients[PARENT] = sign_in_parent(app, s)
    add_feedback(app, s, max(1, SMALL_ITEMS // PER_CONSULTATION))
    add_reported(app, s, SMALL_REPORTED)
    s.generation_s = time.perf_counter() - started
    small = _counted(app, clients, count_queries, s)
    started = time.perf_counter()
    more = max(0, -(-args.feedback_items // PER_CONSULTATION) - s.consultations)
    add_feedback(app, s, more)
    add_reported(app, s, max(0, args.reported_posts - s.queued))
    s.generation_s += time.perf_counter() - started
    step(
        f"signed-in pages: a parent with {s.items} things said in {s.consultations} "
        f"consultations ({s.themes} themes, {s.decisions} decisions); {s.queued} posts to "
        f"moderate with {s.reports} reports; in {s.generation_s:.1f} s"
    )
    large = _counted(app, clients, count_queries, s)
    s.query_counts = {"small": small, "full": large}
    s.specs = list(specs_for(s).values())
    return s


def load_specs(s: SignedIn | None, args) -> list:
    return [] if s is None else s.specs


def cookies(s: SignedIn | None) -> dict[str, str]:
    """Cookie header values of the people this part signs in, by `PageSpec.who`."""
    return {} if s is None else {PARENT: s.cookie}


def sql_counts(s: SignedIn | None) -> dict[str, dict]:
    if s is None:
        return {}
    return {f"{row['who']} {row['path']}": row for row in s.query_counts["full"].values()}


def print_report(s: SignedIn) -> list[str]:
    from survey import compared_counts

    problems: list[str] = []
    print()
    print(
        f"Signed-in pages: a parent with {s.items} things said ({s.answers} answers, {s.posts} "
        f"posts) in {s.consultations} consultations; {s.queued} posts to moderate with "
        f"{s.reports} open reports; generated in {s.generation_s:.1f} s (not measured)"
    )
    print(
        f"SQL statements per GET at the small size ({SMALL_ITEMS} items, {SMALL_REPORTED} posts "
        "to moderate) and at the full one"
    )
    small, large = s.query_counts["small"], s.query_counts["full"]
    for key, row, before, same in compared_counts(small, large, problems, "signed-in page"):
        print(
            f"  {key:<26} {row['who']:<10} {row['path']:<36} "
            f"small: {before:>3}   full: {row['queries']:>3}   {same}"
        )
    return problems


def as_json(s: SignedIn) -> dict:
    return {
        "items": s.items,
        "answers": s.answers,
        "posts": s.posts,
        "consultations": s.consultations,
        "themes": s.themes,
        "decisions": s.decisions,
        "queued": s.queued,
        "reports": s.reports,
        "generation_s": round(s.generation_s, 2),
        "query_counts": {
            size: {key: row["queries"] for key, row in counts.items()}
            for size, counts in s.query_counts.items()
        },
    }
