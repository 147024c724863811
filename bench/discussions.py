"""The discussions part of the benchmark (issue 4), run by bench/run.py.

In the demo area it makes a public board with one thread of `--posts` posts (5,000 by default)
and a public board of `--threads` threads (20,000), each with its opening post, inserted with
SQLAlchemy Core executemany in chunks (ids given by hand; no services, no audit rows; the
generation time is printed and not measured). On SQLite the FTS5 triggers of migration 0006
index every post as it goes in, as they would in use.

It measures:

1. SQL statements per page at `SMALL` (100) posts and threads and again at the full numbers:
   the thread page (first and last page of posts, as a visitor and as the organiser), the board
   page (as a visitor) and the search page. The counts must be the same: a page whose count
   grows with the data is an N+1.
2. Throughput and latency of the same pages against the bare-Flask baseline, in run.py's
   table, loaded like every other page.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

#: posts and threads at which statements are counted first
SMALL = 100
#: rows per executemany chunk (and per commit)
CHUNK = 5_000
LONG_SLUG = "bench-long-thread"
WIDE_SLUG = "bench-many-threads"
SEARCH_WORD = "transport"

SENTENCES = (
    "We waited eleven months for an assessment and nobody told us what was happening.",
    "The school has been **brilliant** since the new SENCo started.",
    "Transport changed three times this year and my son could not cope with it.",
    "I had to give up work to go to every appointment.",
    "The drop-in sessions helped us more than anything else.",
    "Please answer emails: a reply saying you have read it would be *enough*.",
    "Our daughter's plan says one thing and the school does another.",
    "We were told to wait for the panel, then the panel was cancelled.",
    "There is a guide at https://www.northshire.example/local-offer that helped us.",
    "> Has anyone else had this?\n\nYes, exactly the same for us.",
    "- speech and language\n- occupational therapy\n- short breaks",
)
TITLES = (
    "Waiting for an EHC assessment",
    "School transport this term",
    "Short breaks over the summer",
    "Annual reviews: what to expect",
    "Finding a SENCo who listens",
    "Support groups near Northshire",
)


@dataclass
class Discussions:
    area_slug: str
    long_board_slug: str = ""
    wide_board_slug: str = ""
    thread_id: int = 0
    posts: int = 0
    threads: int = 0
    generation_s: float = 0.0
    #: "small"/"large" -> page name -> the counted figures (see run.count_queries)
    query_counts: dict[str, dict] = field(default_factory=dict)
    #: the pages' specs at the full numbers, for the load table
    specs: list = field(default_factory=list)


def _posts_per_page() -> int:
    from forum.discussions.models import POSTS_PER_PAGE

    return POSTS_PER_PAGE


def specs_for(d: Discussions) -> dict:
    """The pages measured by a stable key, at the current sizes (the last page of posts moves
    as the thread grows)."""
    from run import PageSpec

    base = f"/areas/{d.area_slug}/discussions"
    last = max(1, -(-d.posts // _posts_per_page()))
    thread = f"{base}/threads/{d.thread_id}"
    return {
        "thread": PageSpec(f"thread {d.posts:,} posts", thread, "anonymous"),
        "thread, last page": PageSpec(
            "thread, last page", f"{thread}?page={last}", "anonymous", in_quick=False
        ),
        "thread (organiser)": PageSpec("thread (organiser)", thread, "organiser", in_quick=False),
        "board": PageSpec(
            f"board {d.threads:,} threads", f"{base}/{d.wide_board_slug}", "anonymous"
        ),
        "search": PageSpec("discussion search", f"{base}/search?q={SEARCH_WORD}", "anonymous"),
    }


# --- making the data -----------------------------------------------------------------------


def _authors(area_id: int) -> list[int]:
    from sqlalchemy import select

    from forum.areas.models import Membership, MembershipStatus
    from forum.extensions import db

    return list(
        db.session.scalars(
            select(Membership.user_id)
            .where(Membership.area_id == area_id, Membership.status == MembershipStatus.ACTIVE)
            .order_by(Membership.id)
            .limit(200)
        )
    )


def create_boards(area_slug: str) -> Discussions:
    """Two public boards and the long thread's opening post, made like an organiser's."""
    from sqlalchemy import select

    from forum.areas.models import Area
    from forum.discussions.models import Board, Thread, Visibility
    from forum.extensions import db
    from forum.models import utcnow

    area = db.session.scalar(select(Area).where(Area.slug == area_slug))
    d = Discussions(area_slug=area_slug, long_board_slug=LONG_SLUG, wide_board_slug=WIDE_SLUG)
    boards = {}
    for slug, name in ((LONG_SLUG, "Benchmark: one long thread"), (WIDE_SLUG, "Benchmark")):
        board = Board(
            area_id=area.id,
            slug=slug,
            name=name,
            description="Generated for the benchmark.",
            visibility=Visibility.PUBLIC,
            position=900,
        )
        db.session.add(board)
        boards[slug] = board
    db.session.flush()
    now = utcnow()
    thread = Thread(
        board_id=boards[LONG_SLUG].id,
        area_id=area.id,
        title="Benchmark: a very long conversation about school transport",
        author_id=_authors(area.id)[0],
        created_at=now - timedelta(days=60),
        last_activity_at=now - timedelta(days=60),
    )
    db.session.add(thread)
    db.session.commit()
    d.thread_id = thread.id
    return d


def _body(rng: random.Random) -> str:
    return "\n\n".join(rng.sample(SENTENCES, rng.randint(1, 3)))


def add_posts(app, d: Discussions, count: int, *, seed: int = 5) -> float:
    """`count` more visible replies in the long thread (the first is its opening post)."""
    from sqlalchemy import insert, select, update
    from survey import _move_sequences, _with_ids

    from forum.discussions.models import Post, Thread
    from forum.extensions import db
    from forum.models import utcnow

    rng = random.Random(seed + d.posts)
    started = time.perf_counter()
    with app.app_context():
        thread = db.session.get(Thread, d.thread_id)
        authors = _authors(thread.area_id)
        first = utcnow() - timedelta(days=60)
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            rows = []
            for i in range(size):
                number = d.posts + done + i + 1
                rows.append(
                    {
                        "thread_id": thread.id,
                        "area_id": thread.area_id,
                        "number": number,
                        "author_id": authors[number % len(authors)],
                        "body": _body(rng),
                        "status": "visible",
                        "status_reason": "",
                        "created_at": first + timedelta(minutes=number),
                        "me_too_count": rng.choice((0, 0, 0, 1, 2, 5)),
                        "report_count": 0,
                    }
                )
            _with_ids(Post, rows)
            db.session.execute(insert(Post), rows)
            db.session.commit()
            done += size
        d.posts += count
        last = db.session.scalar(
            select(Post.created_at).where(Post.thread_id == thread.id, Post.number == d.posts)
        )
        db.session.execute(
            update(Thread)
            .where(Thread.id == thread.id)
            .values(reply_count=d.posts - 1, last_activity_at=last)
        )
        db.session.commit()
        _move_sequences(Post)
        db.session.remove()
    return time.perf_counter() - started


def add_threads(app, d: Discussions, count: int, *, seed: int = 9) -> float:
    """`count` more threads on the wide board, each with its opening post."""
    from sqlalchemy import insert, select
    from survey import _move_sequences, _with_ids

    from forum.discussions.models import Board, Post, Thread
    from forum.extensions import db
    from forum.models import utcnow

    rng = random.Random(seed + d.threads)
    started = time.perf_counter()
    with app.app_context():
        board = db.session.scalar(select(Board).where(Board.slug == d.wide_board_slug))
        authors = _authors(board.area_id)
        now = utcnow()
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            thread_rows, post_rows = [], []
            for i in range(size):
                n = d.threads + done + i + 1
                when = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
                author = authors[n % len(authors)]
                thread_rows.append(
                    {
                        "board_id": board.id,
                        "area_id": board.area_id,
                        "title": f"{rng.choice(TITLES)} ({n})",
                        "author_id": author,
                        "created_at": when,
                        "last_activity_at": when,
                        "reply_count": 0,
                        "is_pinned": n <= 2,
                        "is_locked": False,
                    }
                )
                post_rows.append(
                    {
                        "area_id": board.area_id,
                        "number": 1,
                        "author_id": author,
                        "body": _body(rng),
                        "status": "visible",
                        "status_reason": "",
                        "created_at": when,
                        "me_too_count": 0,
                        "report_count": 0,
                    }
                )
            for thread_id, post in zip(_with_ids(Thread, thread_rows), post_rows, strict=True):
                post["thread_id"] = thread_id
            db.session.execute(insert(Thread), thread_rows)
            _with_ids(Post, post_rows)
            db.session.execute(insert(Post), post_rows)
            db.session.commit()
            done += size
        d.threads += count
        _move_sequences(Thread, Post)
        db.session.remove()
    return time.perf_counter() - started


# --- before the servers are measured -------------------------------------------------------


def _analyse(app) -> None:
    """PostgreSQL: fresh planner statistics after the bulk inserts, as autovacuum would soon
    give a real database. Without them the planner takes the new tables for empty and a search
    over 25,000 posts joins every thread first (seconds rather than milliseconds)."""
    from sqlalchemy import text

    from forum.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE posts, threads, boards"))
            db.session.commit()
        db.session.remove()


def _counted(app, clients, count_queries, d: Discussions) -> dict[str, dict]:
    """Statements per page, by the page's key (its path changes with the sizes)."""
    specs = specs_for(d)
    figures = count_queries(app, clients, list(specs.values()))
    return {key: figures[f"{spec.who} {spec.path}"] for key, spec in specs.items()}


def prepare(app, args, clients: dict, count_queries, step) -> Discussions:
    """The boards and their data; statements counted at `SMALL` and at the full sizes."""
    from forum.extensions import db

    with app.app_context():
        d = create_boards(args.survey_area)
        db.session.remove()
    small_posts, small_threads = min(SMALL, args.posts), min(SMALL, args.threads)
    d.generation_s += add_posts(app, d, small_posts)
    d.generation_s += add_threads(app, d, small_threads)
    _analyse(app)
    step(f"discussions: a thread of {d.posts:,} posts and a board of {d.threads:,} threads")
    small = _counted(app, clients, count_queries, d)

    seconds = add_posts(app, d, args.posts - d.posts) + add_threads(
        app, d, args.threads - d.threads
    )
    d.generation_s += seconds
    _analyse(app)
    step(
        f"discussions: grown to {d.posts:,} posts in the thread and {d.threads:,} threads on "
        f"the board in {seconds:.1f} s"
    )
    large = _counted(app, clients, count_queries, d)
    d.query_counts = {"small": small, "large": large}
    d.specs = list(specs_for(d).values())
    return d


def load_specs(d: Discussions | None, args) -> list:
    if d is None:
        return []
    return [spec for spec in d.specs if spec.in_quick or not args.quick]


def sql_counts(d: Discussions | None) -> dict[str, dict]:
    """The full-size counts keyed like run.count_queries ("who path"), for the load table."""
    if d is None:
        return {}
    return {f"{row['who']} {row['path']}": row for row in d.query_counts["large"].values()}


# --- printing ------------------------------------------------------------------------------


def print_report(d: Discussions) -> list[str]:
    from survey import compared_counts

    problems = []
    print()
    print(
        f"Discussions: a thread of {d.posts:,} posts and a board of {d.threads:,} threads "
        f"generated in {d.generation_s:.1f} s (not measured); pages are in the table above"
    )
    print(f"SQL statements per GET at {SMALL} posts/threads and at the full numbers")
    small, large = d.query_counts["small"], d.query_counts["large"]
    for key, row, before, same in compared_counts(small, large, problems, "discussion page"):
        print(
            f"  {key:<20} {row['who']:<10} {row['path']:<52} "
            f"{SMALL:>5}: {before:>3}   full: {row['queries']:>3}   {same}"
        )
    for key in problems:
        name = key.split(": ", 1)[1]
        extra = [s for s in large[name]["statements"] if s not in small[name]["statements"]]
        for statement in extra[:3]:
            print(f"    {statement[:200]}")
    return problems


def as_json(d: Discussions) -> dict:
    return {
        "posts": d.posts,
        "threads": d.threads,
        "generation_s": round(d.generation_s, 2),
        "query_counts": {
            size: {key: row["queries"] for key, row in counts.items()}
            for size, counts in d.query_counts.items()
        },
    }
