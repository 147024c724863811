"""Announcements: each rule of who hears what, and that each occasion is told once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, literal, select

from forum.accounts.models import User
from forum.areas.models import MembershipStatus, Role
from forum.consultations import services as consultations
from forum.consultations.models import Consultation
from forum.discussions.models import Suspension
from forum.extensions import db
from forum.mailings.announcements import queries, services
from forum.mailings.announcements.models import Announcement, Occasion, ReminderSettings
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications.models import DigestItem, OutboxMessage, Subscriber
from forum.notifications.services import may_send
from forum.notifications.topics import Frequency, Topic
from tests.factories import (
    make_area,
    make_consultation,
    make_membership,
    make_person_in,
    make_response,
    make_survey,
    make_user,
)


def sent(kind: str) -> list[str]:
    """Addresses an announcement of `kind` was queued for, sorted."""
    return sorted(
        db.session.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.kind == f"consultation_{kind}")
        )
    )


def live(consultation) -> Consultation:
    return db.session.get(Consultation, consultation.id)


def subscriber(area, email: str, *, confirmed: bool = True) -> Subscriber:
    row = Subscriber(area_id=area.id, email=email, confirmed_at=utcnow() if confirmed else None)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def area(app):
    with app.app_context():
        area = make_area(slug="north")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        make_person_in(area, Role.MEMBER, email="member@example.org")
        make_person_in(area, Role.MEMBER, email="answered@example.org")
        make_membership(
            make_user(email="pending@example.org"), area, status=MembershipStatus.PENDING
        )
        make_user(email="outsider@example.org")
        yield area


def scheduled(area, *, audience="public", opens_in=timedelta(hours=1), days=30):
    """A published consultation opening `opens_in` from now."""
    consultation = make_consultation(area, state="scheduled", audience=audience)
    row = live(consultation)
    row.opens_at = utcnow() + opens_in
    row.closes_at = row.opens_at + timedelta(days=days)
    row.published_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    return row


MEMBERS = ["answered@example.org", "member@example.org", "org@example.org"]


# --- opening ---------------------------------------------------------------------------------


def test_a_scheduled_consultation_is_announced_at_its_opening_time_not_before(area):
    consultation = scheduled(area)
    assert services.announce_due(utcnow()) == 0
    assert sent("opened") == []
    assert services.announce_due(consultation.opens_at + timedelta(minutes=1)) == 1
    assert sent("opened") == MEMBERS


def test_two_runs_in_a_row_send_one_set_of_emails(area):
    consultation = scheduled(area, opens_in=-timedelta(minutes=1))
    now = utcnow()
    assert services.announce_due(now) == 1
    assert services.announce_due(now) == 0
    assert services.announce_due(now + timedelta(minutes=1)) == 0
    assert sent("opened") == MEMBERS
    rows = db.session.scalars(select(Announcement)).all()
    assert [(r.consultation_id, r.occasion, r.recipients) for r in rows] == [
        (consultation.id, "opened", 3)
    ]


def test_a_second_worker_that_found_it_due_at_the_same_moment_skips_it(area, monkeypatch):
    """The other worker's row is committed between this worker's query and its insert: the
    unique key refuses the insert, and nothing is queued twice."""
    consultation = scheduled(area, opens_in=-timedelta(minutes=1))
    due = queries.select_due_openings(utcnow())
    db.session.add(Announcement(consultation_id=consultation.id, occasion=Occasion.OPENED))
    db.session.commit()
    monkeypatch.setattr(queries, "select_due_openings", lambda now: due)
    assert services.announce_due(utcnow()) == 0
    assert sent("opened") == []
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 1


def test_claim_refuses_an_occasion_already_claimed_and_keeps_the_transaction(area):
    consultation = live(scheduled(area))
    assert services.claim(consultation, "opened") is not None
    assert services.claim(consultation, "opened") is None
    assert services.claim(consultation, Occasion.reminder(consultation.closes_at)) is not None
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 2


def test_members_only_consultations_go_to_active_members_only(area):
    subscriber(area, "sub@example.org")
    scheduled(area, audience="members", opens_in=-timedelta(minutes=1))
    services.announce_due(utcnow())
    assert sent("opened") == MEMBERS


def test_public_consultations_go_to_members_and_confirmed_subscribers(area):
    subscriber(area, "sub@example.org")
    subscriber(area, "unconfirmed@example.org", confirmed=False)
    other = make_area()
    subscriber(other, "elsewhere@example.org")
    scheduled(area, opens_in=-timedelta(minutes=1))
    services.announce_due(utcnow())
    assert sent("opened") == sorted([*MEMBERS, "sub@example.org"])
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_address == "sub@example.org")
    )
    assert message.audience == "public" and message.topic is Topic.CONSULTATIONS
    assert message.about.startswith("consultation:")
    assert "Hello,\n" in message.body_text  # a subscriber has no name to use
    assert "Stop emails like this" in message.body_text


def test_the_email_says_title_summaries_closing_date_and_link(area):
    consultation = scheduled(area, opens_in=-timedelta(minutes=1))
    row = live(consultation)
    row.summary = "We want to hear about short breaks."
    row.easy_read_summary = "Tell us about breaks."
    db.session.commit()
    services.announce_due(utcnow())
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_address == "member@example.org")
    )
    assert message.subject == f"Have your say: {row.title}"
    body = message.body_text
    assert "We want to hear about short breaks." in body
    assert "Tell us about breaks." in body
    assert "It closes on" in body
    assert f"http://localhost/areas/north/consultations/{row.slug}" in body


def test_suspended_members_and_those_who_turned_it_off_get_nothing(area):
    org = db.session.scalar(select(User).where(User.email == "org@example.org"))
    member = db.session.scalar(select(User).where(User.email == "member@example.org"))
    db.session.add(
        Suspension(
            area_id=area.id,
            user_id=member.id,
            until=utcnow() + timedelta(days=3),
            reason="Rude",
            by_id=org.id,
        )
    )
    answered = db.session.scalar(select(User).where(User.email == "answered@example.org"))
    preferences.choose(answered, area.id, Topic.CONSULTATIONS, Frequency.NEVER)
    db.session.commit()
    scheduled(area, opens_in=-timedelta(minutes=1))
    services.announce_due(utcnow())
    assert sent("opened") == ["org@example.org"]


def test_a_weekly_choice_gets_a_digest_line_instead(area):
    member = db.session.scalar(select(User).where(User.email == "member@example.org"))
    preferences.choose(member, area.id, Topic.CONSULTATIONS, Frequency.WEEKLY)
    db.session.commit()
    consultation = scheduled(area, opens_in=-timedelta(minutes=1))
    services.announce_due(utcnow())
    assert "member@example.org" not in sent("opened")
    item = db.session.scalar(select(DigestItem))
    assert item.user_id == member.id and item.title == f"Have your say: {consultation.title}"


def test_someone_who_left_after_it_was_queued_is_withdrawn_at_sending(area):
    scheduled(area, audience="members", opens_in=-timedelta(minutes=1))
    services.announce_due(utcnow())
    from forum.areas.models import Membership

    member = db.session.scalar(select(User).where(User.email == "member@example.org"))
    db.session.delete(db.session.scalar(select(Membership).where(Membership.user_id == member.id)))
    db.session.commit()
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "consultation_opened")
    ).all()
    reasons = {m.to_address: may_send(m) for m in messages}
    assert reasons["member@example.org"] == "not a member of the forum"
    assert reasons["org@example.org"] is None


def test_consultations_that_opened_long_ago_are_not_announced(area):
    make_consultation(area, state="open")  # opened 3 days ago, published the day before
    assert services.announce_due(utcnow()) == 0
    assert sent("opened") == []


def test_published_late_with_an_opening_date_in_the_past_is_announced(area):
    consultation = make_consultation(area, state="draft")
    row = live(consultation)
    row.opens_at = utcnow() - timedelta(days=10)
    db.session.commit()
    consultations.publish(row, actor=None)
    db.session.commit()
    assert services.announce_due(utcnow()) == 1


def test_drafts_closed_and_responded_consultations_are_not_announced(area):
    for state in ("draft", "closed", "responded"):
        make_consultation(area, state=state)
    assert services.announce_due(utcnow()) == 0


def test_opening_early_announces_now_and_the_job_does_not_again(area):
    consultation = live(scheduled(area, opens_in=timedelta(days=2)))
    org = db.session.scalar(select(User).where(User.email == "org@example.org"))
    consultations.open_now(consultation, actor=org)
    db.session.commit()
    # the organiser who pressed the button is not told what they just did
    assert sent("opened") == ["answered@example.org", "member@example.org"]
    assert services.announce_due(utcnow()) == 0
    assert services.announce_due(utcnow() + timedelta(days=3)) == 0
    assert len(sent("opened")) == 2


# --- reminders -------------------------------------------------------------------------------


def closing_in(area, days: float, *, anonymous: bool = False, audience="public"):
    consultation = make_consultation(area, state="open", audience=audience)
    row = live(consultation)
    row.opens_at = utcnow() - timedelta(days=20)
    row.closes_at = utcnow() + timedelta(days=days)
    db.session.commit()
    survey = make_survey(row, is_anonymous=anonymous)
    return row, survey


def answer(survey, email: str, status: str = "submitted"):
    user = db.session.scalar(select(User).where(User.email == email))
    make_response(survey, user=user, status=status)


def test_the_reminder_leaves_out_people_who_answered(area):
    consultation, survey = closing_in(area, 2.5)
    answer(survey, "answered@example.org")
    answer(survey, "member@example.org", status="draft")  # started, not sent: still reminded
    subscriber(area, "sub@example.org")
    assert services.reminders_due(utcnow()) == 1
    assert sent("reminder") == ["member@example.org", "org@example.org", "sub@example.org"]
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_address == "member@example.org")
    )
    assert message.subject.startswith("2 days left to have your say")
    assert "anonymous" not in message.body_text
    assert services.reminders_due(utcnow()) == 0


def test_an_anonymous_survey_reminds_everyone_and_says_so(area, monkeypatch):
    consultation, survey = closing_in(area, 2.5, anonymous=True)
    answer(survey, "answered@example.org")

    def never(*args, **kwargs):
        raise AssertionError("who answered an anonymous survey must not be asked")

    monkeypatch.setattr(queries, "responded_user_ids", never)
    assert services.reminders_due(utcnow()) == 1
    assert sent("reminder") == MEMBERS
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_address == "answered@example.org")
    )
    assert "If you have already answered, thank you" in message.body_text


def test_an_anonymous_survey_with_the_reminder_off_reminds_nobody(area):
    consultation, survey = closing_in(area, 2.5, anonymous=True)
    services.save_reminder_settings(consultation, is_on=False, days_before=3, actor=None)
    db.session.commit()
    assert services.reminders_due(utcnow()) == 0
    assert sent("reminder") == []


def test_the_reminder_waits_for_the_day_the_organiser_chose(area):
    consultation, _ = closing_in(area, 6)
    assert services.reminders_due(utcnow()) == 0  # 3 days before, by default
    services.save_reminder_settings(consultation, is_on=True, days_before=7, actor=None)
    db.session.commit()
    assert services.reminders_due(utcnow()) == 1


def test_no_reminder_too_close_to_closing_or_for_a_short_consultation(area):
    closing_in(area, 0.1)  # two and a half hours left: a worker was down
    short, _ = closing_in(area, 2)
    short.opens_at = utcnow() - timedelta(hours=1)  # open for three days in all
    db.session.commit()
    assert services.reminders_due(utcnow()) == 0


def test_extending_makes_a_new_reminder_due_before_the_new_date(area):
    consultation, _ = closing_in(area, 2)
    assert services.reminders_due(utcnow()) == 1
    consultations.extend(
        consultation, utcnow() + timedelta(days=10), reason="more time", actor=None
    )
    db.session.commit()
    assert services.reminders_due(utcnow()) == 0
    assert services.reminders_due(utcnow() + timedelta(days=7, hours=1)) == 1
    assert len(sent("reminder")) == 2 * len(MEMBERS)


# --- dates changed, closed early, response published ----------------------------------------


def test_extending_tells_those_who_have_not_answered(area):
    consultation, survey = closing_in(area, 2)
    answer(survey, "answered@example.org")
    org = db.session.scalar(select(User).where(User.email == "org@example.org"))
    consultations.extend(consultation, utcnow() + timedelta(days=10), reason="more time", actor=org)
    db.session.commit()
    assert sent("extended") == ["member@example.org"]
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "consultation_extended")
    )
    assert message.subject.startswith("More time to have your say")
    assert "it was going to close on" in message.body_text


def test_extending_an_anonymous_survey_tells_everyone(area):
    consultation, survey = closing_in(area, 2, anonymous=True)
    answer(survey, "answered@example.org")
    consultations.extend(
        consultation, utcnow() + timedelta(days=10), reason="more time", actor=None
    )
    db.session.commit()
    assert sent("extended") == MEMBERS


def test_closing_early_tells_the_audience_once(area):
    consultation, _ = closing_in(area, 5, audience="members")
    subscriber(area, "sub@example.org")
    org = db.session.scalar(select(User).where(User.email == "org@example.org"))
    consultations.close_early(consultation, reason="The council changed its plans", actor=org)
    db.session.commit()
    assert sent("closed_early") == ["answered@example.org", "member@example.org"]
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "consultation_closed_early")
    )
    assert "Why: The council changed its plans" in message.body_text


def test_publishing_the_response_tells_the_audience_but_not_those_told_already(area, monkeypatch):
    from forum.outcomes.publishing import services as publishing
    from forum.outcomes.themes import queries as theme_queries
    from tests.factories import make_decision, make_partner, make_theme

    consultation = make_consultation(area, state="closed")
    theme = make_theme(consultation)
    make_decision(theme, make_partner(area))
    subscriber(area, "sub@example.org")
    answered = db.session.scalar(select(User).where(User.email == "answered@example.org"))
    monkeypatch.setattr(
        theme_queries,
        "people_behind",
        lambda ids: select(
            literal(answered.id).label("user_id"), literal(theme.id).label("theme_id")
        ),
    )
    org = db.session.scalar(select(User).where(User.email == "org@example.org"))
    publishing.publish_response(live(consultation), actor=org)
    db.session.commit()
    assert sent("responded") == ["member@example.org", "sub@example.org"]
    # publishing what was added later does not tell the audience again
    make_decision(make_theme(consultation), make_partner(area))
    publishing.publish_response(live(consultation), actor=org)
    db.session.commit()
    assert sent("responded") == ["member@example.org", "sub@example.org"]


def test_settings_refuse_days_out_of_range(area):
    consultation, _ = closing_in(area, 5)
    with pytest.raises(services.SettingsRefused):
        services.save_reminder_settings(consultation, is_on=True, days_before=15, actor=None)
    saved = services.save_reminder_settings(consultation, is_on=True, days_before=14, actor=None)
    db.session.commit()
    assert db.session.get(ReminderSettings, consultation.id).days_before == saved.days_before == 14


def test_an_occasion_names_the_same_instant_the_same_way_in_any_time_zone():
    from datetime import UTC, datetime

    from forum.web.time import LONDON

    at = datetime(2026, 7, 1, 11, 30, 15, 123456, tzinfo=UTC)
    assert Occasion.reminder(at) == Occasion.reminder(at.astimezone(LONDON))
    assert Occasion.reminder(at) == "reminder:2026-07-01T11:30:15+00:00"
    assert len(Occasion.closed_early(at)) <= 60


def test_the_jobs_are_registered_for_the_worker(app):
    from forum.scheduling import Every, registered_jobs

    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["mailings.announce-openings"].run is services.announce_due
    assert jobs["mailings.announce-openings"].schedule == Every(minutes=1)
    assert jobs["mailings.consultation-reminders"].run is services.reminders_due
    assert jobs["mailings.consultation-reminders"].schedule == Every(minutes=15)


@pytest.mark.parametrize(
    "left, said",
    [
        (timedelta(days=3) - timedelta(minutes=1), "3 days"),
        (timedelta(days=14), "14 days"),
        (timedelta(days=1, hours=2), "1 day"),
        (timedelta(hours=21), "1 day"),
        (timedelta(hours=6, minutes=10), "6 hours"),
        (timedelta(minutes=50), "1 hour"),
    ],
)
def test_time_left_is_said_as_people_say_it(left, said):
    now = utcnow()
    assert services.time_left(now + left, now) == said
