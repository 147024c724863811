"""What the reports hold about a person: the annual reports an organiser started or last
changed, shown on "Your data", and kept without their name when the account is deleted."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Area
from forum.extensions import db
from forum.reports import data_rights, services
from forum.reports.models import AnnualReport
from tests.reports.worlds import EMAILS, YEAR


def test_reports_an_organiser_worked_on_are_shown_then_kept_without_their_name(app, world):
    with app.app_context():
        organiser = db.session.scalar(select(User).where(User.email == EMAILS["organiser"]))
        report = services.start_report(db.session.get(Area, world.area_id), YEAR, actor=organiser)
        db.session.flush()
        [section] = data_rights.personal_data(organiser)
        assert section.records == [
            {
                "what": "Started",
                "report": "Annual report: April 2025 to March 2026",
                "forum": "Northshire",
            }
        ]
        data_rights.erase(organiser)
        db.session.expire_all()
        kept = db.session.get(AnnualReport, report.id)
        assert kept is not None
        assert (kept.created_by_id, kept.updated_by_id) == (None, None)
        assert data_rights.personal_data(organiser)[0].records == []
