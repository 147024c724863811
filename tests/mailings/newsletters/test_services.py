"""Newsletters: audiences and their counts, sending once, the fan-out job (batches, twice,
after a crash), scheduling, withdrawing, the send-time check and the figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum.accounts.models import User
from forum.areas.models import Area, Membership, MembershipStatus
from forum.extensions import db
from forum.mailings.newsletters import services
from forum.mailings.newsletters.models import Newsletter, NewsletterStatus
from forum.mailings.newsletters.queries import Audience, count_recipients, figures
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications.models import DigestItem, OutboxMessage
from forum.notifications.services import deliver_pending
from forum.notifications.topics import Frequency, Topic


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def _area():
    return db.session.scalar(select(Area).where(Area.slug == "northshire"))


def draft(audience="members", visibility="members", consultation_id=None, **fields):
    return services.create_newsletter(
        _area(),
        subject=fields.get("subject", "Autumn news"),
        body=fields.get("body", "Hello **everyone**."),
        audience=audience,
        consultation_id=consultation_id,
        visibility=visibility,
        actor=_user("org@example.org"),
    )


def rows(newsletter):
    return list(
        db.session.execute(
            select(OutboxMessage.to_address, OutboxMessage.user_id, OutboxMessage.subscriber_id)
            .where(OutboxMessage.about == newsletter.about)
            .order_by(OutboxMessage.to_address)
        )
    )


def addresses(newsletter):
    return [row.to_address for row in rows(newsletter)]


def test_members_audience_is_active_members_who_chose_newsletters(app, world):
    with app.app_context():
        reach = count_recipients(Audience.of(draft()), utcnow())
        # organiser + keen + weekly (a digest); not quiet (never chose), left, suspended, or
        # the other area's member
        assert (reach.members, reach.subscribers, reach.total) == (3, 0, 3)


def test_public_audience_adds_confirmed_subscribers(app, world):
    with app.app_context():
        reach = count_recipients(Audience.of(draft("public", "public")), utcnow())
        assert (reach.members, reach.subscribers) == (3, 1)


def test_responders_are_signed_in_people_with_a_counted_response(app, world):
    with app.app_context():
        consultation = world.ids["consultation"]
        public = draft("responders", "public", consultation_id=consultation)
        # keen and quiet submitted; weekly's draft does not count
        assert count_recipients(Audience.of(public), utcnow()).total == 2
        preferences.choose(
            _user("quiet@example.org"), _area().id, Topic.CONSULTATIONS, Frequency.NEVER
        )
        assert count_recipients(Audience.of(public), utcnow()).total == 1
        membership = db.session.scalar(
            select(Membership).where(Membership.user_id == world.ids["keen"])
        )
        membership.status = MembershipStatus.DECLINED
        db.session.flush()
        assert count_recipients(Audience.of(public), utcnow()).total == 1, "public: still told"
        members_only = draft("responders", "members", consultation_id=consultation)
        reach = count_recipients(Audience.of(members_only), utcnow())
        assert reach.total == 0 and reach.nobody_because.startswith("Nobody would get this")


def test_an_anonymous_survey_cannot_be_chosen(app, world):
    with app.app_context(), pytest.raises(services.NewsletterError, match="not anonymous"):
        draft("responders", "public", consultation_id=world.ids["anonymous"])


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"subject": "  "}, "Enter a subject"),
        ({"body": "\u202e\u0000 "}, "Enter the message"),
        ({"subject": "x" * 151}, "150 characters"),
        ({"body": "y" * 20_001}, "20,000 characters"),
    ],
)
def test_bad_messages_are_refused(app, world, fields, message):
    with app.app_context(), pytest.raises(services.NewsletterError, match=message):
        draft(**fields)


def test_public_subscribers_means_a_public_message(app, world):
    with app.app_context(), pytest.raises(services.NewsletterError, match="is public"):
        draft("public", "members")


def test_hostile_content_is_shown_safely(app, world):
    with app.app_context():
        newsletter = draft(
            body="<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>"
            "\n\n[ok](https://example.org)"
        )
        html = str(newsletter.html)
        assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
        assert "&lt;script&gt;" in html, "shown as the words typed"
        assert 'href="https://example.org"' in html


def test_send_now_queues_nothing_itself_and_happens_once(app, world):
    with app.app_context():
        newsletter = draft()
        services.send_now(newsletter, actor=_user("org@example.org"))
        assert newsletter.status is NewsletterStatus.SENDING and newsletter.sent_at
        assert newsletter.audience_size == 3
        assert rows(newsletter) == [], "the request does not queue the emails"
        with pytest.raises(services.NewsletterError, match="already been sent"):
            services.send_now(newsletter, actor=_user("org@example.org"))


def test_a_stale_copy_cannot_send(app, world):
    with app.app_context():
        newsletter = draft()
        db.session.commit()
        assert newsletter.subject  # loaded at the version the organiser saw
        db.session.execute(
            update(Newsletter)
            .where(Newsletter.id == newsletter.id)
            .values(subject="Changed in another tab", version=Newsletter.version + 1)
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(services.NewsletterError, match="changed since you saw it"):
            services.send_now(newsletter, actor=_user("org@example.org"))


def test_nobody_to_send_to_is_refused(app, world):
    with app.app_context():
        newsletter = draft("responders", "members", consultation_id=world.ids["consultation"])
        for email in ("keen@example.org", "quiet@example.org"):
            preferences.choose(_user(email), _area().id, Topic.CONSULTATIONS, Frequency.NEVER)
        with pytest.raises(services.NewsletterError, match="Nobody would get this"):
            services.send_now(newsletter, actor=_user("org@example.org"))
        assert newsletter.status is NewsletterStatus.DRAFT


def test_fan_out_queues_one_email_each_and_a_digest_line(app, world):
    with app.app_context():
        newsletter = draft("public", "public")
        services.send_now(newsletter, actor=_user("org@example.org"))
        db.session.commit()
        queued = services.fan_out_due(utcnow(), batch=2)
        assert queued == 4
        assert addresses(newsletter) == ["fan@example.net", "keen@example.org", "org@example.org"]
        digest = db.session.scalar(select(func.count()).where(DigestItem.about == newsletter.about))
        assert digest == 1, "weekly chose a weekly email"
        again = services.fan_out_due(utcnow(), batch=2)
        assert again == 0 and len(rows(newsletter)) == 3
        newsletter = db.session.get(Newsletter, newsletter.id, populate_existing=True)
        assert newsletter.status is NewsletterStatus.SENT and newsletter.fanned_out_at
        assert newsletter.queued == 4


def test_fan_out_resumes_after_a_crash_without_duplicates(app, world, monkeypatch):
    with app.app_context():
        newsletter = draft("public", "public")
        services.send_now(newsletter, actor=_user("org@example.org"))
        db.session.commit()
        real = services.notify_each
        calls = {"n": 0}

        def crashing(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("the worker died")
            return real(*args, **kwargs)

        monkeypatch.setattr(services, "notify_each", crashing)
        with pytest.raises(RuntimeError):
            services.fan_out_due(utcnow(), batch=1)
        db.session.rollback()
        assert len(rows(newsletter)) == 1
        monkeypatch.setattr(services, "notify_each", real)
        services.fan_out_due(utcnow(), batch=1)
        assert addresses(newsletter) == ["fan@example.net", "keen@example.org", "org@example.org"]


def test_scheduled_messages_go_at_their_time(app, world):
    with app.app_context():
        newsletter = draft()
        now = utcnow()
        with pytest.raises(services.NewsletterError, match="future"):
            services.schedule(newsletter, when=now - timedelta(minutes=1), actor=None)
        services.schedule(newsletter, when=now + timedelta(hours=2), actor=None)
        db.session.commit()
        assert services.fan_out_due(now + timedelta(hours=1)) == 0
        assert newsletter.status is NewsletterStatus.SCHEDULED
        assert services.fan_out_due(now + timedelta(hours=2, minutes=1)) == 3
        newsletter = db.session.get(Newsletter, newsletter.id, populate_existing=True)
        assert newsletter.status is NewsletterStatus.SENT
        assert newsletter.sent_at == now + timedelta(hours=2, minutes=1)


def test_unscheduled_messages_do_not_go(app, world):
    with app.app_context():
        newsletter = draft()
        services.schedule(newsletter, when=utcnow() + timedelta(hours=1), actor=None)
        services.unschedule(newsletter, actor=None)
        db.session.commit()
        assert services.fan_out_due(utcnow() + timedelta(hours=2)) == 0
        assert newsletter.status is NewsletterStatus.DRAFT


def test_withdrawn_and_left_people_are_not_sent_to(app, world):
    with app.app_context():
        newsletter = draft()
        services.send_now(newsletter, actor=_user("org@example.org"))
        db.session.commit()
        services.fan_out_due(utcnow())
        # keen leaves after the email was queued: it is not sent
        membership = db.session.scalar(
            select(Membership).where(Membership.user_id == world.ids["keen"])
        )
        membership.status = MembershipStatus.DECLINED
        db.session.commit()
        counts = deliver_pending()
        assert (counts["sent"], counts["withdrawn"]) == (1, 1)
        found = figures(newsletter)
        assert (found.queued, found.delivered, found.withdrawn, found.in_digests) == (2, 1, 1, 1)


def test_a_withdrawn_message_stops(app, world):
    with app.app_context():
        newsletter = draft()
        services.send_now(newsletter, actor=_user("org@example.org"))
        db.session.commit()
        services.fan_out_due(utcnow())
        services.withdraw(newsletter, actor=None)
        db.session.commit()
        counts = deliver_pending()
        assert counts["sent"] == 0 and counts["withdrawn"] == 2


def test_withdrawing_mid_fan_out_stops_the_rest(app, world):
    with app.app_context():
        newsletter = draft("public", "public")
        services.send_now(newsletter, actor=_user("org@example.org"))
        services.withdraw(newsletter, actor=None)
        db.session.commit()
        assert services.fan_out_due(utcnow(), batch=1) == 0
        assert rows(newsletter) == []


def test_unsubscribed_counts_people_who_turned_it_off_after(app, world):
    with app.app_context():
        newsletter = draft()
        services.send_now(newsletter, actor=_user("org@example.org"))
        db.session.commit()
        services.fan_out_due(utcnow())
        preferences.choose(
            _user("keen@example.org"), _area().id, Topic.NEWSLETTERS, Frequency.NEVER
        )
        # quiet never had it: their change is not this message's
        preferences.choose(
            _user("quiet@example.org"), _area().id, Topic.NEWSLETTERS, Frequency.DAILY
        )
        preferences.choose(
            _user("quiet@example.org"), _area().id, Topic.NEWSLETTERS, Frequency.NEVER
        )
        assert figures(newsletter).unsubscribed == 1


def test_the_send_time_check_knows_newsletters(app, world):
    from forum.mailings.permissions import recipient_allowed
    from forum.notifications.services import Account

    with app.app_context():
        newsletter = draft()
        area_id = _area().id
        keen = Account(world.ids["keen"])
        about = newsletter.about
        assert recipient_allowed(keen, area_id, "members", about) == "the message is not being sent"
        services.send_now(newsletter, actor=_user("org@example.org"))
        assert recipient_allowed(keen, area_id, "members", about) is None
        quiet_outsider = Account(world.ids["left"])
        assert recipient_allowed(quiet_outsider, area_id, "personal", about) == (
            "the message is for members only"
        )
        assert recipient_allowed(keen, area_id, "members", "newsletter:999999") == (
            "the message was deleted"
        )


def test_test_email_goes_to_the_organiser_only(app, world):
    with app.app_context():
        newsletter = draft()
        message = services.send_test(newsletter, actor=_user("org@example.org"))
        assert message.to_address == "org@example.org"
        assert message.subject == "[Test] Autumn news"
        assert message.topic is None and message.about is None
        assert "This is a test" in message.body_text
        assert newsletter.status is NewsletterStatus.DRAFT


def test_a_sent_message_cannot_be_edited_or_deleted(app, world):
    with app.app_context():
        newsletter = draft()
        services.send_now(newsletter, actor=_user("org@example.org"))
        with pytest.raises(services.NewsletterError):
            services.update_newsletter(
                newsletter,
                subject="x",
                body="y",
                audience="members",
                consultation_id=None,
                visibility="members",
                actor=None,
            )
        with pytest.raises(services.NewsletterError):
            services.delete_newsletter(newsletter, actor=None)


def test_the_worker_runs_the_fan_out_every_minute(app):
    from forum.scheduling import Every, registered_jobs

    [job] = [j for j in registered_jobs() if j.name == "mailings.newsletters"]
    assert job.schedule == Every(minutes=1) and job.run is services.fan_out_job


def test_a_member_who_also_subscribed_gets_it_once(app, world):
    from tests.mailings.newsletters.worlds import subscriber

    with app.app_context():
        subscriber(_area(), "keen@example.org")  # keen gets newsletters as a member
        subscriber(_area(), "quiet@example.org")  # quiet does not: the subscription counts
        newsletter = draft("public", "public")
        assert count_recipients(Audience.of(newsletter), utcnow()).subscribers == 2
        services.send_now(newsletter, actor=_user("org@example.org"))
        db.session.commit()
        services.fan_out_due(utcnow())
        assert addresses(newsletter) == [
            "fan@example.net",
            "keen@example.org",
            "org@example.org",
            "quiet@example.org",
        ]
