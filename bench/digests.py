"""Benchmark: 20,000 weekly digests (issue 13), against queueing the same number of plain emails.

    .venv/bin/python bench/digests.py                      # 20,000 people, 3 lines each
    .venv/bin/python bench/digests.py --people 2000        # a quick look
    .venv/bin/python bench/digests.py --no-memory          # skip the tracemalloc runs

A temporary SQLite database (WAL) gets, by multi-row INSERTs (no services, no audit rows): one
area, three open public consultations, `--people` verified accounts, each an active member
who chose consultations and events "in a weekly email", and `--items` digest lines each
(about the consultations, so each line is checked against a consultation when sent).

Then, in the same run:

1. **Baseline**: queue one plain optional email (the "new reply" email, rendered from its
   template with its unsubscribe placeholder) to each of the same people, 500 per
   transaction, loading the people a batch at a time: the least any per-person email costs.
2. **Digests**: `send_digests(now, weekly)`: claim, check every line with
   `hooks.email_recipient_allowed`, group and queue one digest per person.

Each is timed on its own; then both run again under `tracemalloc` for their peak memory
(tracemalloc slows Python down, so those runs are not timed). The digests' figures are
printed beside the baseline's, with the ratio. The temp dir is removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import secrets
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(BENCH), str(ROOT)):
    if path not in sys.path:
        sys.path.insert(0, path)

CHUNK = 5_000


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=3, help="digest lines per person")
    parser.add_argument("--batch", type=int, default=500, help="people per transaction")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    return parser.parse_args(argv)


def _insert(model, rows: list[dict]) -> None:
    from sqlalchemy import insert

    from forum.extensions import db

    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start : start + CHUNK])


def build(people: int, items: int):
    """The area, consultations, people, their choices and their digest lines. Commits."""
    from argon2 import PasswordHasher
    from sqlalchemy import select

    from forum.accounts.models import User, new_session_token
    from forum.areas.models import Area, Membership, MembershipStatus, Role
    from forum.consultations.models import Audience, Consultation, ConsultationKind
    from forum.extensions import db
    from forum.models import utcnow
    from forum.notifications.models import DigestItem, EmailPreference
    from forum.notifications.topics import Frequency, Topic

    now = utcnow()
    area = Area(
        slug="bench-digests",
        name="Benchshire",
        forum_name="Benchshire Parent Carer Forum",
        forum_description="A forum for the digest benchmark.",
        brand_colour="#1d70b8",
        created_at=now,
    )
    db.session.add(area)
    db.session.flush()
    consultation_ids = []
    for n in range(3):
        consultation = Consultation(
            area_id=area.id,
            slug=f"bench-consultation-{n}",
            title=f"Bench consultation {n}",
            summary="What do you think?",
            audience=Audience.PUBLIC,
            kind=ConsultationKind.STANDARD,
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=27),
            response_due_at=now + timedelta(days=90),
            published_at=now - timedelta(days=3),
        )
        db.session.add(consultation)
        db.session.flush()
        consultation_ids.append(consultation.id)
    password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("x" * 12)
    _insert(
        User,
        [
            {
                "email": f"parent{n:06d}@digests.bench.invalid",
                "display_name": f"Parent {n}",
                "password_hash": password_hash,
                "is_admin": False,
                "email_verified_at": now,
                "session_token": new_session_token(),
                "created_at": now,
            }
            for n in range(people)
        ],
    )
    user_ids = list(
        db.session.scalars(
            select(User.id).where(User.email.like("%@digests.bench.invalid")).order_by(User.id)
        )
    )
    _insert(
        Membership,
        [
            {
                "area_id": area.id,
                "user_id": user_id,
                "role": Role.MEMBER,
                "status": MembershipStatus.ACTIVE,
                "requested_at": now,
                "decided_at": now,
            }
            for user_id in user_ids
        ],
    )
    _insert(
        EmailPreference,
        [
            {
                "area_id": area.id,
                "user_id": user_id,
                "topic": topic,
                "frequency": Frequency.WEEKLY,
                "updated_at": now,
            }
            for user_id in user_ids
            for topic in (Topic.CONSULTATIONS, Topic.EVENTS)
        ],
    )
    topics = (Topic.CONSULTATIONS, Topic.EVENTS)
    _insert(
        DigestItem,
        [
            {
                "area_id": area.id,
                "user_id": user_id,
                "topic": topics[i % 2],
                "frequency": Frequency.WEEKLY,
                "title": f"Bench consultation {i % 3} is open",
                "summary": "Tell us what you think by the end of the month.",
                "link": f"https://example.org/consultations/{consultation_ids[i % 3]}",
                "audience": "members",
                "about": f"consultation:{consultation_ids[i % 3]}",
                "created_at": now - timedelta(hours=1 + i),
            }
            for user_id in user_ids
            for i in range(items)
        ],
    )
    db.session.commit()
    return area.id, user_ids


def reset() -> None:
    """Every line waiting again, and an empty outbox."""
    from sqlalchemy import delete, update

    from forum.extensions import db
    from forum.notifications.models import DigestItem, OutboxMessage

    db.session.execute(update(DigestItem).values(sent_at=None))
    db.session.execute(delete(OutboxMessage))
    db.session.commit()
    db.session.expunge_all()


def baseline(area_id: int, user_ids: list[int], batch: int) -> int:
    """One plain optional email to each person, `batch` people per transaction."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.areas.models import Area
    from forum.extensions import db
    from forum.notifications.services import Optional, queue_email
    from forum.notifications.topics import Topic

    area = db.session.get(Area, area_id)
    thread = SimpleNamespace(title="Bench consultation 0 is open")
    queued = 0
    for start in range(0, len(user_ids), batch):
        users = db.session.scalars(select(User).where(User.id.in_(user_ids[start : start + batch])))
        for user in users:
            queue_email(
                user.email,
                "thread_reply",
                kind="thread_reply",
                optional=Optional(
                    topic=Topic.REPLIES, area_id=area.id, audience="members", user_id=user.id
                ),
                user=user,
                thread=thread,
                area=area,
                link="https://example.org/consultations/1",
            )
            queued += 1
        db.session.commit()
    return queued


def digests(batch: int) -> int:
    from forum.mailings.digests.services import send_digests
    from forum.models import utcnow
    from forum.notifications.topics import Frequency

    return send_digests(utcnow(), Frequency.WEEKLY, batch_size=batch)


def timed(work) -> tuple[int, float]:
    gc.collect()
    started = time.perf_counter()
    done = work()
    return done, time.perf_counter() - started


def peak(work) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    try:
        done = work()
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return done, top


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="coproduce-bench-digests-"))
    instance = tmp / "instance"
    instance.mkdir()
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "COPRODUCE_INSTANCE": str(instance),
            "SECRET_KEY": secrets.token_hex(32),
            "RATELIMIT_ENABLED": "false",
            "COPRODUCE_ENV": "development",
            "MAIL_TRANSPORT": "console",
        }
    )
    app = None
    try:
        from flask_migrate import upgrade

        from forum import create_app
        from forum.extensions import db

        app = create_app({"ARGON2_FAST": True})
        # (the migrations' own log lines are not part of the figures)
        with app.app_context(), contextlib.redirect_stderr(io.StringIO()):
            upgrade()
        with app.app_context(), app.test_request_context():
            started = time.perf_counter()
            area_id, user_ids = build(args.people, args.items)
            print(
                f"built {args.people:,} people with {args.items} digest lines each "
                f"in {time.perf_counter() - started:.1f}s (not measured)"
            )
            # warm-up: template compilation and first queries, on a few people
            baseline(area_id, user_ids[:10], args.batch)
            reset()

            base_n, base_s = timed(lambda: baseline(area_id, user_ids, args.batch))
            reset()
            dig_n, dig_s = timed(lambda: digests(args.batch))
            if dig_n != args.people or base_n != args.people:
                raise RuntimeError(f"expected {args.people} emails, got {base_n} and {dig_n}")
            base_peak = dig_peak = None
            if not args.no_memory:
                reset()
                _, base_peak = peak(lambda: baseline(area_id, user_ids, args.batch))
                reset()
                _, dig_peak = peak(lambda: digests(args.batch))

        def row(name, n, seconds, top):
            memory = f"{top / 2**20:8.1f} MiB" if top is not None else "       –"
            return f"{name:<24}{n:>8,}{seconds:>9.2f}s{n / seconds:>12,.0f}/s  {memory}"

        print()
        print(f"{'':<24}{'emails':>8}{'time':>10}{'per second':>14}  peak memory")
        print(row("baseline (plain email)", base_n, base_s, base_peak))
        print(row("weekly digests", dig_n, dig_s, dig_peak))
        ratio = (dig_n / dig_s) / (base_n / base_s)
        print(f"\ndigests per second as a ratio of the baseline: {ratio:.2f}")
        if base_peak and dig_peak:
            print(f"peak memory as a ratio of the baseline: {dig_peak / base_peak:.2f}")
        return 0
    finally:
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
