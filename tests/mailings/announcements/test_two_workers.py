"""Two workers that both find the same consultation due announce it once (real commits, two
apps, two connections)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum import hooks
from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.mailings.announcements import services
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from tests.conftest import make_app
from tests.factories import make_area, make_consultation, make_person_in


@pytest.mark.real_commits
def test_two_workers_at_the_same_moment_announce_once(app, monkeypatch):
    with app.app_context():
        area = make_area(slug="north")
        for n in range(3):
            make_person_in(area, Role.MEMBER, email=f"member{n}@example.org")
        consultation = make_consultation(area, state="scheduled")
        row = db.session.get(Consultation, consultation.id)
        row.opens_at = utcnow() - timedelta(minutes=1)
        row.published_at = utcnow() - timedelta(hours=1)
        db.session.commit()

    second = make_app(app.config.copy())
    both_found_it = threading.Barrier(2, timeout=30)
    each = services._each

    def found_then_wait(ids, tell):
        assert ids, "each worker finds the consultation due"
        both_found_it.wait()
        return each(ids, tell)

    monkeypatch.setattr(services, "_each", found_then_wait)
    results: list[int] = []
    errors: list[BaseException] = []

    def work(flask_app):
        with flask_app.app_context():
            try:
                results.append(services.announce_due(utcnow()))
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(a,)) for a in (app, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [0, 1]
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "consultation_opened")
        )
        assert count == 3
    with second.app_context():
        db.engine.dispose()


@pytest.mark.real_commits
def test_an_extension_told_by_two_workers_at_once_reaches_people_once(app):
    """The organiser's extension (with its reason) is told from the request that made it; a
    second request or worker telling the same new closing date at the same moment finds it
    claimed, and nobody hears twice."""
    from forum.consultations import services as consultations

    with app.app_context():
        area = make_area(slug="north")
        for n in range(3):
            make_person_in(area, Role.MEMBER, email=f"member{n}@example.org")
        consultation = make_consultation(area, state="open")
        row = db.session.get(Consultation, consultation.id)
        old = row.closes_at
        with hooks.consultation_extended.replaced():  # told by the two workers below
            consultations.extend(
                row, old + timedelta(days=14), reason="the easy read came late", actor=None
            )
        db.session.commit()

    second = make_app(app.config.copy())
    both_ready = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def work(flask_app):
        with flask_app.app_context():
            try:
                found = db.session.get(Consultation, consultation.id)
                db.session.commit()
                both_ready.wait()
                services.consultation_extended(
                    found, old, actor=None, reason="the easy read came late"
                )
                db.session.commit()
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(a,)) for a in (app, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        bodies = db.session.scalars(
            select(OutboxMessage.body_text).where(OutboxMessage.kind == "consultation_extended")
        ).all()
        assert len(bodies) == 3
        assert all("because the easy read came late." in body for body in bodies)
    with second.app_context():
        db.engine.dispose()
