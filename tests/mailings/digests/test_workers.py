"""Several workers making the same digests at the same moment, each with its own engine,
connections and session, on the real database (real commits): every person gets exactly one
digest, and every line is in exactly one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from forum.areas.models import Role
from forum.extensions import db
from forum.mailings.digests.services import send_digests
from forum.notifications import preferences
from forum.notifications.models import DigestItem, OutboxMessage
from forum.notifications.topics import Frequency, Topic
from tests.conftest import make_app
from tests.factories import make_area, make_person_in

NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


@pytest.mark.real_commits
def test_several_workers_send_each_digest_once(app):
    with app.app_context(), app.test_request_context():
        area = make_area()
        for n in range(12):
            person = make_person_in(area, Role.MEMBER, email=f"w{n}@example.org")
            for topic in (Topic.CONSULTATIONS, Topic.EVENTS):
                preferences.choose(person, area.id, topic, Frequency.WEEKLY)
                item = preferences.notify(
                    person,
                    area,
                    topic,
                    preferences.Mail("digest", "x", title=f"{topic} {n}", link="https://x.test/"),
                    audience="members",
                )
                item.created_at = NOW - timedelta(hours=1)
        db.session.commit()

    workers = 3
    apps = [app] + [make_app(app.config.copy()) for _ in range(workers - 1)]
    barrier = threading.Barrier(workers)
    queued: list[int] = []
    errors: list[BaseException] = []

    def work(flask_app):
        try:
            # as the worker runs it: no request, so SQLite transactions begin IMMEDIATE
            with flask_app.app_context():
                barrier.wait()
                queued.append(send_digests(NOW, Frequency.WEEKLY, batch_size=2))
                db.session.remove()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(a,)) for a in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in apps[1:]:
        with other.app_context():
            db.engine.dispose()
    assert errors == []
    assert sum(queued) == 12
    with app.app_context():
        addresses = list(db.session.scalars(select(OutboxMessage.to_address)))
        assert sorted(addresses) == sorted(f"w{n}@example.org" for n in range(12))
        waiting = select(func.count()).where(DigestItem.sent_at.is_(None))
        assert db.session.scalar(waiting) == 0
