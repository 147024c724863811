"""The demo's annual report: the financial year so far, published, with the forum's own words
and figures from the demo's consultations, events and meetings (not an empty report)."""

from datetime import date

from sqlalchemy import select

from forum.areas.queries import get_by_slug
from forum.extensions import db
from forum.reports.figures import year_of
from forum.reports.models import AnnualReport
from forum.reports.periods import financial_year_of


def test_the_demo_has_a_published_report_of_the_year_so_far(app):
    assert app.test_cli_runner().invoke(args=["seed", "demo"]).exit_code == 0
    with app.test_request_context():
        area = get_by_slug("northshire")
        report = db.session.scalar(select(AnnualReport).where(AnnualReport.area_id == area.id))
        assert report.is_published and "Thank you" in report.foreword
        assert report.period == financial_year_of(date.today())
        year = year_of(area, report.period)
        assert year.so_far and year.has_data
    page = app.test_client().get(f"/areas/northshire/reports/{report.period.slug}")
    assert page.status_code == 200 and "Families we heard from" in page.get_data(as_text=True)
