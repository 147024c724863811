"""Newsletter pages send the same number of SQL statements however much there is: the archive
and the organisers' list with 2 or 25 messages, and the check and progress pages of a message
to 3 or 60 people."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Area, Role
from forum.extensions import db
from forum.mailings.newsletters import services
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications.services import deliver_pending
from forum.notifications.topics import Frequency, Topic
from tests.factories import make_person_in
from tests.support import assert_same_count, statements_for

BASE = "/areas/northshire/newsletters"


def messages(app, n: int) -> int:
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        organiser = db.session.scalar(select(User).where(User.email == "org@example.org"))
        last = None
        for i in range(n):
            last = services.create_newsletter(
                area,
                subject=f"News {i}",
                body="Hello",
                audience="members",
                consultation_id=None,
                visibility="public" if i % 2 else "members",
                actor=organiser,
            )
            services.send_now(last, actor=organiser)
        db.session.commit()
        return last.id


def more_members(app, n: int) -> None:
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        for _ in range(n):
            person = make_person_in(area, Role.MEMBER)
            preferences.choose(person, area.id, Topic.NEWSLETTERS, Frequency.IMMEDIATELY)
        db.session.commit()


def test_lists_are_flat(app, client, auth, world):
    messages(app, 2)
    auth.login("keen@example.org")
    small_archive = statements_for(app, client, BASE)
    auth.logout()
    auth.login("org@example.org")
    small_manage = statements_for(app, client, f"{BASE}/manage")
    messages(app, 23)
    assert_same_count(BASE + "/manage", small_manage, statements_for(app, client, f"{BASE}/manage"))
    auth.logout()
    auth.login("keen@example.org")
    assert_same_count(BASE, small_archive, statements_for(app, client, BASE))


def test_check_and_progress_pages_are_flat(app, client, auth, world):
    auth.login("org@example.org")

    def pages():
        with app.app_context():
            area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
            organiser = db.session.scalar(select(User).where(User.email == "org@example.org"))
            draft = services.create_newsletter(
                area,
                subject="Draft",
                body="Hello",
                audience="public",
                consultation_id=None,
                visibility="public",
                actor=organiser,
            )
            sent = services.create_newsletter(
                area,
                subject="Sent",
                body="Hello",
                audience="public",
                consultation_id=None,
                visibility="public",
                actor=organiser,
            )
            services.send_now(sent, actor=organiser)
            db.session.commit()
            services.fan_out_due(utcnow())
            deliver_pending(limit=1000)
            ids = draft.id, sent.id
        return (
            statements_for(app, client, f"{BASE}/{ids[0]}/check"),
            statements_for(app, client, f"{BASE}/{ids[1]}/progress"),
        )

    small_check, small_progress = pages()
    more_members(app, 57)
    large_check, large_progress = pages()
    assert_same_count("check", small_check, large_check)
    assert_same_count("progress", small_progress, large_progress)
