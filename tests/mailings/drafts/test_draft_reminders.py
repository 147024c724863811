"""One reminder before closing to a member with answers saved but not sent: once, not after
they sent them, not to people who left, never for an anonymous survey's drafts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from forum.accounts.models import User
from forum.areas.models import Membership, Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.mailings.announcements.models import ReminderSettings
from forum.mailings.drafts.models import DraftReminder
from forum.mailings.drafts.services import send_draft_reminders
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications.models import OutboxMessage
from forum.notifications.topics import Frequency, Topic
from forum.scheduling import Every
from forum.surveys.models import Response, ResponseStatus, Survey
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
)


def sent() -> list[str]:
    return sorted(
        db.session.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.kind == "unsent_answers")
        )
    )


@pytest.fixture
def world(app):
    """A members-only consultation closing in a day and a half; Dana has a draft, Sam sent
    their answers, Pat has a draft with no answers in it."""
    with app.app_context():
        area = make_area(slug="north")
        dana = make_person_in(area, Role.MEMBER, email="dana@example.org")
        sam = make_person_in(area, Role.MEMBER, email="sam@example.org")
        pat = make_person_in(area, Role.MEMBER, email="pat@example.org")
        consultation = make_consultation(area, audience="members", title="Transport")
        row = db.session.get(Consultation, consultation.id)
        row.closes_at = utcnow() + timedelta(hours=36)
        survey = make_survey(consultation)
        question = make_question(survey, kind="long_text", prompt="What works?")
        make_response(survey, user=dana, answers={question: "The bus"})
        make_response(survey, user=sam, status="submitted", answers={question: "Trains"})
        make_response(survey, user=pat)
        db.session.commit()
        yield {"consultation_id": consultation.id, "survey_id": survey.id, "area": area}


def test_one_reminder_to_the_member_with_unsent_answers_and_never_again(app, world):
    with app.app_context():
        assert send_draft_reminders(utcnow()) == 1
        assert sent() == ["dana@example.org"]
        body = db.session.scalar(
            select(OutboxMessage.body_text).where(OutboxMessage.kind == "unsent_answers")
        )
        assert "you have not sent them yet" in body and "/survey/answer" in body
        assert send_draft_reminders(utcnow() + timedelta(minutes=15)) == 0
        # extending does not make a second one: once per person and consultation
        db.session.get(Consultation, world["consultation_id"]).closes_at += timedelta(hours=6)
        db.session.commit()
        assert send_draft_reminders(utcnow() + timedelta(minutes=30)) == 0
        assert sent() == ["dana@example.org"]


def test_not_too_early_nor_in_the_last_hours(app, world):
    with app.app_context():
        assert send_draft_reminders(utcnow() - timedelta(days=1)) == 0
        assert send_draft_reminders(utcnow() + timedelta(hours=32)) == 0
        assert sent() == []


def test_not_after_the_answers_were_sent(app, world):
    with app.app_context():
        for response in db.session.scalars(select(Response)):
            response.status = ResponseStatus.SUBMITTED
            response.submitted_at = utcnow()
        db.session.commit()
        assert send_draft_reminders(utcnow()) == 0


def test_not_to_people_who_left_or_deleted_their_account(app, world):
    with app.app_context():
        dana = db.session.scalar(select(User).where(User.email == "dana@example.org"))
        db.session.execute(delete(Membership).where(Membership.user_id == dana.id))
        db.session.commit()
        assert send_draft_reminders(utcnow()) == 0
        assert sent() == []


def test_not_when_the_organisers_turned_reminders_off(app, world):
    with app.app_context():
        db.session.add(
            ReminderSettings(consultation_id=world["consultation_id"], is_on=False, days_before=3)
        )
        db.session.commit()
        assert send_draft_reminders(utcnow()) == 0


def test_not_when_the_person_turned_consultation_emails_off(app, world):
    with app.app_context():
        dana = db.session.scalar(select(User).where(User.email == "dana@example.org"))
        preferences.choose(dana, world["area"].id, Topic.CONSULTATIONS, Frequency.NEVER)
        db.session.commit()
        send_draft_reminders(utcnow())
        assert sent() == []


def test_never_for_an_anonymous_surveys_drafts(app, world):
    with app.app_context():
        db.session.get(Survey, world["survey_id"]).is_anonymous = True
        for response in db.session.scalars(select(Response)):
            response.user_id = None
        db.session.commit()
        assert send_draft_reminders(utcnow()) == 0
        assert db.session.scalar(select(DraftReminder.id)) is None


def test_the_job_runs_every_15_minutes(app):
    from forum import hooks

    jobs = {job.name: job for job in (p.target for p in hooks.scheduled_jobs)}
    assert jobs["mailings.unsent-answers"].run is send_draft_reminders
    assert jobs["mailings.unsent-answers"].schedule == Every(minutes=15)


def test_the_record_goes_30_days_after_closing(app, world):
    from forum.mailings.drafts.services import purge_old_reminders

    with app.app_context():
        assert send_draft_reminders(utcnow()) == 1
        closes = db.session.get(Consultation, world["consultation_id"]).closes_at
        assert purge_old_reminders(closes + timedelta(days=29)) == 0
        assert purge_old_reminders(closes + timedelta(days=31)) == 1
        assert db.session.scalar(select(DraftReminder.id)) is None
