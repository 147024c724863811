"""Yearly renewal: asked once a year, reminded once, lapsed when the time is up; lapsed members
get no member emails and renew in one step; the signed link changes nothing on GET; the job is
safe to run twice and with two workers at once."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.queries import get_by_email
from forum.areas import renewal
from forum.areas.models import Area, Membership, MembershipStatus
from forum.areas.queries import find_membership, get_by_slug
from forum.extensions import db
from forum.mailings.permissions import recipient_allowed
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from forum.scheduling import get_job, run_due_time
from tests.areas.worlds import make_membership_world
from tests.conftest import body_of, make_app, smtp_config


@pytest.fixture
def world(app):
    """Northshire with renewal on (30 days) and its member a year and a day into membership."""
    with app.app_context():
        make_membership_world()
        area = get_by_slug("northshire")
        area.is_renewal_on = True
        area.renewal_days = 30
        member = find_membership(area, get_by_email("member@example.org"))
        member.renewed_at = utcnow() - timedelta(days=366)
        db.session.commit()


def _member():
    return find_membership(get_by_slug("northshire"), get_by_email("member@example.org"))


def _sent(kind):
    return list(
        db.session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.kind == kind))
    )


def test_asked_once_then_reminded_once_then_lapsed(app, world):
    now = utcnow()
    with app.test_request_context():
        assert renewal.run(now) == 1
        assert renewal.run(now + timedelta(hours=1)) == 0, "asked once"
        membership = _member()
        assert abs((membership.renewal_due_at - now - timedelta(days=30)).total_seconds()) < 1
        # organisers and responders are not asked, however long they have had their role
        assert _sent("renewal_ask") == ["member@example.org"]
        assert renewal.run(now + timedelta(days=22)) == 0, "too early for the reminder"
        assert renewal.run(now + timedelta(days=23, hours=1)) == 1
        assert renewal.run(now + timedelta(days=24)) == 0, "reminded once"
        assert _sent("renewal_reminder") == ["member@example.org"]
        assert renewal.run(now + timedelta(days=30, minutes=1)) == 1
        membership = _member()
        assert membership.status is MembershipStatus.LAPSED
        assert membership.ended_at is not None and membership.renewal_due_at is None
        # a lapsed member is not a member for emails
        reason = recipient_allowed(membership.user, membership.area_id, "members", None)
        assert reason == "not a member of the forum"
        assert renewal.run(now + timedelta(days=60)) == 0


def test_an_answer_starts_the_year_again(app, world, client):
    now = utcnow()
    with app.test_request_context():
        renewal.run(now)
        body = db.session.scalars(
            select(OutboxMessage.body_text).where(OutboxMessage.kind == "renewal_ask")
        ).one()
    path = re.search(r"https?://[^/\s]+(/renew/\S+)", body).group(1)
    page = client.get(path)
    assert page.status_code == 200 and "Yes, I want to stay" in page.get_data(as_text=True)
    with app.app_context():
        assert _member().renewal_due_at is not None, "a GET changes nothing"
    assert client.post_form(path).status_code == 303
    with app.app_context():
        membership = _member()
        assert membership.renewal_due_at is None and membership.status is MembershipStatus.ACTIVE
        assert membership.renewed_at > now - timedelta(minutes=1)
        assert renewal.run(now + timedelta(days=40)) == 0, "not asked again this year"
    assert client.get(path).status_code == 404, "the link is used up"
    assert client.post_form(path).status_code == 404
    assert client.get("/renew/not-a-token").status_code == 404


def test_turning_renewal_off_cancels_waiting_questions(app, world):
    now = utcnow()
    with app.test_request_context():
        renewal.run(now)
        area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        organiser = get_by_email("org@example.org")
        renewal.set_renewal(area, is_on=False, days=30, actor=organiser)
        db.session.commit()
        assert renewal.run(now + timedelta(days=31)) == 0
        assert _member().status is MembershipStatus.ACTIVE


def test_a_forum_with_renewal_off_asks_nobody(app, world):
    with app.test_request_context():
        get_by_slug("northshire").is_renewal_on = False
        db.session.commit()
        assert renewal.run(utcnow()) == 0


def test_the_job_is_registered_and_runs_once_per_due_time(app, world):
    job = get_job("areas.renewal")
    assert job is not None and job.run is renewal.run
    with app.test_request_context():
        first = run_due_time(job, worker="one")
        second = run_due_time(job, worker="two")
        assert first is not None and second is None
        assert len(_sent("renewal_ask")) == 1


@pytest.mark.real_commits
def test_two_workers_at_the_same_moment_ask_once(app, monkeypatch):
    with app.app_context():
        make_membership_world()
        area = get_by_slug("northshire")
        area.is_renewal_on = True
        for membership in db.session.scalars(select(Membership)):
            membership.renewed_at = utcnow() - timedelta(days=400)
        db.session.commit()
    second = make_app(app.config.copy())
    both_found = threading.Barrier(2, timeout=30)
    rows = renewal._due

    def found_then_wait(where, limit):
        found = rows(where, limit)
        if found and not getattr(found_then_wait, "waited", set()) >= {threading.get_ident()}:
            found_then_wait.waited = getattr(found_then_wait, "waited", set()) | {
                threading.get_ident()
            }
            both_found.wait()
        return found

    monkeypatch.setattr(renewal, "_due", found_then_wait)
    errors: list[BaseException] = []
    now = utcnow()

    def work(flask_app):
        # an app context, as the worker has: its transactions begin IMMEDIATE
        with flask_app.app_context():
            try:
                renewal.ask(now)
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
        asked = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "renewal_ask")
        )
        # the member and the lapsed one's row is not active; organisers and responders are
        # not asked: one person, one email
        assert asked == 1
    with second.app_context():
        db.engine.dispose()


class TestTheEmails:
    @pytest.fixture
    def app_config(self, app_config, inbox):
        return {**app_config, **smtp_config(inbox)}

    def test_the_question_and_the_reminder_arrive_with_a_working_link(self, app, inbox, client):
        from forum.notifications import services as outbox

        with app.app_context():
            make_membership_world()
            area = get_by_slug("northshire")
            area.is_renewal_on = True
            _member().renewed_at = utcnow() - timedelta(days=400)
            db.session.commit()
        now = utcnow()
        with app.test_request_context():
            renewal.run(now)
            renewal.run(now + timedelta(days=24))
            assert outbox.deliver_pending()["sent"] == 2
        asked, reminded = inbox.wait_for("member@example.org", count=2)
        assert asked["Subject"] == "Do you want to stay a member of Northshire Parent Carer Forum?"
        assert reminded["Subject"].startswith("Reminder: do you want to stay")
        for message in (asked, reminded):
            kinds = {part.get_content_type() for part in message.walk()}
            assert {"text/plain", "text/html"} <= kinds
        link = re.search(r"https?://[^/\s]+(/renew/\S+)", body_of(reminded)).group(1)
        assert "member" not in link
        assert client.post_form(link).status_code == 303
        with app.app_context():
            assert _member().renewal_due_at is None
