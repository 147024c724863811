"""Newsletter benchmark (issue 13): sending to 20,000 members. Prints figures; not a test.

    .venv/bin/python bench/newsletter.py                  # 20,000 members, SQLite in a temp dir
    .venv/bin/python bench/newsletter.py --members 2000   # quicker
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/newsletter.py   # a throwaway database

It makes an area with an organiser and `--members` active members who chose to get
newsletters, inserted with one multi-row INSERT per table (no services, no argon2 per account),
and an organiser signed in through the pages (password and authenticator code). Then it
measures:

1. the check page (preview and recipient count) and the Send request: the time for the POST to
   return and its peak Python memory (tracemalloc), which must not grow with the audience;
2. the fan-out job, `fan_out_due(now, batch=1000)`, queueing one outbox row per member: its
   time and rate (timed alone), then its peak memory, from the same message sent again to the
   same people under tracemalloc (which slows Python down several times over).

Delivery itself (the outbox worker over SMTP) is measured by the email part of the benchmark.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CHUNK = 5_000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    return parser.parse_args(argv)


def setup_env(tmp: Path) -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    instance = tmp / "instance"
    instance.mkdir()
    os.environ.update(
        {
            "DATABASE_URL": url,
            "COPRODUCE_INSTANCE": str(instance),
            "SECRET_KEY": secrets.token_hex(32),
            "RATELIMIT_ENABLED": "false",
            "COPRODUCE_ENV": "development",
            "MAIL_TRANSPORT": "console",
        }
    )
    return url


def bulk_members(area_id: int, count: int) -> None:
    """`count` verified accounts, active members of the area, who chose newsletters."""
    from argon2 import PasswordHasher
    from sqlalchemy import func, insert, select

    from forum.accounts.models import User, new_session_token
    from forum.areas.models import Membership, MembershipStatus, Role
    from forum.extensions import db
    from forum.models import utcnow
    from forum.notifications.models import EmailPreference
    from forum.notifications.topics import Frequency, Topic

    now = utcnow()
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("not-for-sign-in")
    first = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    for start in range(0, count, CHUNK):
        ids = range(first + start, first + min(start + CHUNK, count))
        db.session.execute(
            insert(User),
            [
                {
                    "id": i,
                    "email": f"member{i}@bench.example",
                    "display_name": f"Member {i}",
                    "password_hash": cheap,
                    "email_verified_at": now,
                    "session_token": new_session_token(),
                    "created_at": now,
                    "version": 1,
                    "is_admin": False,
                }
                for i in ids
            ],
        )
        db.session.execute(
            insert(Membership),
            [
                {
                    "area_id": area_id,
                    "user_id": i,
                    "role": Role.MEMBER,
                    "status": MembershipStatus.ACTIVE,
                    "requested_at": now,
                    "version": 1,
                    "request_note": "",
                }
                for i in ids
            ],
        )
        db.session.execute(
            insert(EmailPreference),
            [
                {
                    "area_id": area_id,
                    "user_id": i,
                    "topic": Topic.NEWSLETTERS,
                    "frequency": Frequency.IMMEDIATELY,
                    "updated_at": now,
                }
                for i in ids
            ],
        )
        db.session.commit()


def hidden(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                fields[name.group(1)] = value.group(1) if value else ""
    return fields


def sign_in(app, client, email: str, password: str, secret: str) -> None:
    from forum.accounts.security import totp

    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post("/sign-in", data={**hidden(page), "email": email, "password": password})
    assert response.status_code == 303, response.status_code
    page = client.get("/sign-in/code").get_data(as_text=True)
    code = totp.code_at(secret, totp.current_step())
    response = client.post("/sign-in/code", data={**hidden(page), "code": code})
    assert response.status_code == 303, response.status_code


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="coproduce-newsletter-bench-"))
    url = setup_env(tmp)
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from forum import create_app
    from forum.accounts import services as accounts
    from forum.accounts.security import totp
    from forum.accounts.security.models import Authenticator
    from forum.areas.models import Area, Membership, MembershipStatus, Role
    from forum.extensions import db
    from forum.mailings.newsletters import services as newsletters
    from forum.mailings.newsletters.models import Newsletter
    from forum.models import utcnow
    from forum.notifications.models import OutboxMessage

    app = create_app({"ARGON2_FAST": True})
    print(f"Newsletter benchmark: {args.members:,} members, batches of {args.batch:,}; {url}")
    with app.app_context():
        logging.disable(logging.WARNING)  # the migrations' chatter
        upgrade()
        logging.disable(logging.NOTSET)
        area = Area(slug="northshire", name="Northshire", forum_name="Northshire PCF")
        db.session.add(area)
        password = "bench-organiser-password-1"  # noqa: S105 - benchmark data only
        organiser = accounts.register(
            email="organiser@bench.example",
            display_name="Olive Organiser",
            password=password,
            verified=True,
        )
        db.session.flush()
        db.session.add(
            Membership(
                area_id=area.id,
                user_id=organiser.id,
                role=Role.ORGANISER,
                status=MembershipStatus.ACTIVE,
            )
        )
        secret = totp.new_secret()
        db.session.add(
            Authenticator(
                user_id=organiser.id,
                secret_sealed=totp.seal(secret, app.config["SECRET_KEY"]),
                enabled_at=utcnow(),
            )
        )
        db.session.commit()
        area_id = area.id
        started = time.perf_counter()
        bulk_members(area_id, args.members)
        print(f"  made {args.members:,} members in {time.perf_counter() - started:.1f} s")
        newsletter = newsletters.create_newsletter(
            area,
            subject="Autumn news from the forum",
            body="Hello everyone,\n\n**Dates** for the autumn:\n\n- 3 October\n- 7 November\n",
            audience="members",
            consultation_id=None,
            visibility="members",
            actor=organiser,
        )
        db.session.commit()
        newsletter_id = newsletter.id

    client = app.test_client()
    sign_in(app, client, "organiser@bench.example", password, secret)
    base = f"/areas/northshire/newsletters/{newsletter_id}"

    started = time.perf_counter()
    check = client.get(f"{base}/check")
    check_ms = (time.perf_counter() - started) * 1000
    assert check.status_code == 200, check.status_code
    form = hidden(
        check.get_data(as_text=True).split(f'action="{base}/send"')[1].split("</form>")[0]
    )

    tracemalloc.start()
    started = time.perf_counter()
    sent = client.post(f"{base}/send", data=form)
    send_ms = (time.perf_counter() - started) * 1000
    _, send_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sent.status_code == 303, sent.get_data(as_text=True)[:500]

    with app.app_context(), app.test_request_context():
        # Timed on its own: tracemalloc slows Python down several times over.
        started = time.perf_counter()
        queued = newsletters.fan_out_due(utcnow(), batch=args.batch)
        fan_out_s = time.perf_counter() - started
        rows = db.session.scalar(
            select(func.count()).where(OutboxMessage.about == f"newsletter:{newsletter_id}")
        )
        status = db.session.get(Newsletter, newsletter_id).status.value
        # Its peak memory: the same message again to the same people, under tracemalloc.
        from forum.areas.models import Area

        again = newsletters.create_newsletter(
            db.session.get(Area, area_id),
            subject="Autumn news from the forum, again",
            body="Hello everyone,\n\n**Dates** for the autumn:\n\n- 3 October\n",
            audience="members",
            consultation_id=None,
            visibility="members",
            actor=None,
        )
        newsletters.send_now(again, actor=None)
        db.session.commit()
        tracemalloc.start()
        newsletters.fan_out_due(utcnow(), batch=args.batch)
        _, fan_out_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    started = time.perf_counter()
    progress = client.get(f"{base}/progress")
    progress_ms = (time.perf_counter() - started) * 1000
    assert progress.status_code == 200

    print(f"  check page (preview and count of {args.members:,}): {check_ms:,.0f} ms")
    print(f"  Send request returned in {send_ms:,.0f} ms, peak {send_peak / 1e6:.1f} MB")
    print(
        f"  fan-out: {queued:,} emails queued ({rows:,} outbox rows, status {status}) in "
        f"{fan_out_s:.1f} s = {queued / fan_out_s:,.0f}/s, peak {fan_out_peak / 1e6:.1f} MB"
    )
    print(f"  progress page with the figures: {progress_ms:,.0f} ms")
    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
