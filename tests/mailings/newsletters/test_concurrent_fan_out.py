"""Two workers fanning out the same message at the same moment queue each email once (each
batch is claimed by moving the message's cursor in the batch's own transaction)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.extensions import db
from forum.mailings.newsletters import services
from forum.mailings.newsletters.models import Newsletter, NewsletterStatus
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications.models import OutboxMessage
from forum.notifications.topics import Frequency, Topic
from tests.conftest import make_app
from tests.factories import make_area, make_person_in


@pytest.mark.real_commits
def test_two_workers_queue_each_email_once(app):
    with app.app_context():
        area = make_area(slug="northshire")
        organiser = make_person_in(area, Role.ORGANISER, email="org@example.org")
        for n in range(40):
            person = make_person_in(area, Role.MEMBER, email=f"member{n}@example.org")
            preferences.choose(person, area.id, Topic.NEWSLETTERS, Frequency.IMMEDIATELY)
        db.session.commit()
        newsletter = services.create_newsletter(
            area,
            subject="News",
            body="Hello",
            audience="members",
            consultation_id=None,
            visibility="members",
            actor=db.session.get(User, organiser.id),
        )
        services.send_now(newsletter, actor=None)
        db.session.commit()
        newsletter_id, about = newsletter.id, newsletter.about
        db.session.remove()

    second = make_app(app.config.copy())
    barrier = threading.Barrier(2)
    results, errors = [], []

    def work(flask_app):
        try:
            with flask_app.app_context():
                barrier.wait()
                results.append(services.fan_out_due(utcnow(), batch=3))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(a,)) for a in (app, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(results) == 40
    with app.app_context():
        addresses = list(
            db.session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.about == about))
        )
        assert len(addresses) == len(set(addresses)) == 40
        assert db.session.scalar(select(func.count()).select_from(Newsletter)) == 1
        assert db.session.get(Newsletter, newsletter_id).status is NewsletterStatus.SENT
    with second.app_context():
        db.engine.dispose()
