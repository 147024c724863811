"""Issue 12, point 3: device and address hashes and the hour sent are kept only while they
help catch abuse: until the consultation closes, or 30 days after the response last changed;
confirmation links until they expire; counted email hashes until closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum.consultations.models import Consultation
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.models import CountedEmail, EmailConfirmation, Response, Survey
from forum.surveys.quarantine.services import TRACKING_DAYS, forget_tracking
from tests.surveys.quarantine.worlds import build_burst_world


@pytest.fixture
def world(app):
    with app.app_context():
        world = build_burst_world(burst=3)
        now = utcnow()
        db.session.execute(
            update(Response).values(
                address_hash="a" * 64, sent_hour=now.replace(minute=0), answers_hash="h" * 64
            )
        )
        db.session.add(CountedEmail(survey_id=world.survey.id, email_hash="e" * 64))
        db.session.add(
            EmailConfirmation(
                survey_id=world.survey.id,
                response_id=world.real_id,
                token_digest="t" * 64,
                email_hash="f" * 64,
                expires_at=now + timedelta(hours=1),
            )
        )
        db.session.commit()
        return world


def tracked() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Response).where(Response.address_hash.is_not(None))
    )


def test_nothing_is_forgotten_while_it_is_still_needed(app, world):
    with app.app_context():
        assert forget_tracking() == {"responses": 0, "links": 0, "emails": 0}
        assert tracked() == 4


def test_closing_forgets_the_signals_links_and_email_hashes(app, world):
    with app.app_context():
        survey = db.session.get(Survey, world.survey.id)
        db.session.get(Consultation, survey.consultation_id).closes_at = utcnow() - timedelta(
            minutes=1
        )
        db.session.commit()
        assert forget_tracking() == {"responses": 4, "links": 1, "emails": 1}
        assert tracked() == 0
        kept = db.session.scalars(select(Response)).all()
        assert all(r.device_hash is None and r.sent_hour is None for r in kept)
        assert all(r.answers_hash for r in kept), "identical answers can still be grouped"


def test_old_signals_go_after_the_set_days_even_while_open(app, world):
    with app.app_context():
        db.session.execute(
            update(Response)
            .where(Response.id == world.real_id)
            .values(updated_at=utcnow() - timedelta(days=TRACKING_DAYS + 1))
        )
        db.session.commit()
        assert forget_tracking()["responses"] == 1
        assert tracked() == 3


def test_expired_links_go(app, world):
    with app.app_context():
        assert forget_tracking(utcnow() + timedelta(hours=2))["links"] == 1
        assert db.session.scalar(select(func.count()).select_from(EmailConfirmation)) == 0


def test_the_command(app, world):
    with app.app_context():
        survey = db.session.get(Survey, world.survey.id)
        db.session.get(Consultation, survey.consultation_id).closes_at = utcnow() - timedelta(
            minutes=1
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["surveys", "forget-tracking"])
    assert result.exit_code == 0, result.output
    assert "forgot the signals of 4 responses, 1 email links, 1 email hashes" in result.output
    with app.app_context():
        assert tracked() == 0
