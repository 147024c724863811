"""The outbox worker delivering to a local SMTP server: messages per second and peak memory.

    .venv/bin/python bench/outbox.py                 # 2,000 messages
    .venv/bin/python bench/outbox.py --messages 20000
    BENCH_DATABASE_URL=postgresql://user@host/throwaway .venv/bin/python bench/outbox.py

A fresh database (SQLite in a temp dir, or the throwaway PostgreSQL database named by
`BENCH_DATABASE_URL`, whose `public` schema is dropped first), one area with `--messages`
members, and an aiosmtpd server in this process that accepts everything. It queues one
optional email per member through `preferences.notify_each` (the way every announcement and
newsletter is queued; timed and shown), then runs the real worker (`deliver_pending`) until the
outbox is empty, and prints messages per second and the peak memory Python allocated
(tracemalloc) while it delivered.

The baseline, in the same process against the same server, is the floor any worker pays:
as many copies of one of those emails, built once, sent with `smtplib` over one connection,
with no database at all. The figure to watch is the worker's rate as a fraction of it.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Counter:
    received = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        _Counter.received += 1
        return "250 OK"


def _database_url(tmp: str) -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp}/bench.db"
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _members(app, n: int):
    """One area and `n` active members, inserted in bulk; returns the area."""
    import sqlalchemy as sa

    from forum.accounts.models import User
    from forum.areas.models import Area, Membership, MembershipStatus, Role
    from forum.extensions import db
    from forum.models import utcnow

    area = Area(
        slug="benchshire",
        name="Benchshire",
        forum_name="Benchshire Parent Carer Forum",
        forum_description="A forum for families.",
        brand_colour="#1d70b8",
    )
    db.session.add(area)
    db.session.flush()
    now = utcnow()
    users = [
        {
            "id": i + 1,
            "email": f"parent{i}@example.org",
            "display_name": f"Parent {i}",
            "password_hash": "x",
            "is_admin": False,
            "email_verified_at": now,
        }
        for i in range(n)
    ]
    for start in range(0, n, 5000):
        db.session.execute(sa.insert(User), users[start : start + 5000])
        db.session.execute(
            sa.insert(Membership),
            [
                {
                    "area_id": area.id,
                    "user_id": user["id"],
                    "role": Role.MEMBER,
                    "status": MembershipStatus.ACTIVE,
                }
                for user in users[start : start + 5000]
            ],
        )
    db.session.commit()
    return area


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller
    from sqlalchemy import func, select

    from forum import create_app
    from forum.accounts.models import User
    from forum.extensions import db
    from forum.notifications import preferences
    from forum.notifications.models import OutboxMessage
    from forum.notifications.services import deliver_pending
    from forum.notifications.topics import Topic

    port = _free_port()
    controller = Controller(_Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnop",
                "SQLALCHEMY_DATABASE_URI": _database_url(tmp),
                "MAIL_TRANSPORT": "smtp",
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": port,
                "PUBLIC_URL": "http://localhost",
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context(), app.test_request_context():
            import flask_migrate

            flask_migrate.upgrade(directory=str(ROOT / "forum" / "migrations"))
            area = _members(app, args.messages)
            people = list(db.session.scalars(select(User).order_by(User.id)))

            started = time.perf_counter()
            queued = preferences.notify_each(
                people,
                area,
                Topic.CONSULTATIONS,
                lambda person: preferences.Mail(
                    template="thread_reply",
                    kind="bench",
                    title="New reply",
                    link="http://localhost/t/1",
                    context={
                        "user": person,
                        "thread": type("T", (), {"title": "School transport"})(),
                        "link": "http://localhost/t/1",
                    },
                ),
                audience="members",
            )
            db.session.commit()
            queue_s = time.perf_counter() - started
            del people
            db.session.expunge_all()  # a worker starts with an empty session
            from forum.notifications.services import build_email

            sample = build_email(db.session.scalars(select(OutboxMessage).limit(1)).one())
            db.session.expunge_all()

            tracemalloc.start()
            started = time.perf_counter()
            while True:
                counts = deliver_pending(limit=500)
                if not any(counts.values()):
                    break
            deliver_s = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            sent = db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_not(None)))

        # The baseline: as many copies of one of those emails, already built (text and HTML
        # parts, unsubscribe headers), over one SMTP connection, with no database.
        email = sample
        received_before = _Counter.received
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for _ in range(args.messages):
                smtp.send_message(email)
        baseline_s = time.perf_counter() - started
        assert _Counter.received - received_before == args.messages
    controller.stop()

    worker_rate = sent / deliver_s
    baseline_rate = args.messages / baseline_s
    print(
        f"members: {args.messages:,}; queued {queued:,} in {queue_s:.2f} s "
        f"({queued / queue_s:,.0f}/s)"
    )
    print(
        f"worker: sent {sent:,} in {deliver_s:.2f} s = {worker_rate:,.0f} messages/s, "
        f"peak {peak / 1e6:.1f} MB"
    )
    print(f"baseline (smtplib, one connection, no database): {baseline_rate:,.0f} messages/s")
    print(f"worker / baseline: {worker_rate / baseline_rate:.2f}x")


if __name__ == "__main__":
    main()
