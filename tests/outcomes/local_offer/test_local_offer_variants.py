"""The Local Offer report with worlds of their own: counts of five or more, a hostile
explanation in the CSV, no report for a standard or unpublished consultation, the year's
report (and which year a consultation closed in), and the kind chosen on the consultation
form. Each test builds the ledger world of tests/outcomes/worlds.py its own way, so these
cannot share test_local_offer.py's module-scoped one."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.areas.models import Area
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.local_offer import queries as local_offer
from forum.outcomes.publishing import services as publishing
from tests.factories import make_consultation, make_theme
from tests.outcomes.worlds import (
    LEDGER_EMAILS,
    build_ledger_world,
    local_offer_report_url,
    publish_local_offer,
    user,
)


def test_counts_of_five_or_more_are_numbers(app, client):
    with app.app_context():
        world = build_ledger_world(kind="local_offer")
        publish_local_offer(world, people=6)
    data = json.loads(client.get(local_offer_report_url(world, ".json")).get_data(as_text=True))
    # Rounded to the nearest 5, like every published count (`forum.disclosure`).
    assert data["consultations"][0]["themes"][0]["comments"] == 5


def test_csv_is_guarded_against_spreadsheet_formulas(app, client):
    with app.app_context():
        world = build_ledger_world(kind="local_offer")
        publish_local_offer(world, explanation='=HYPERLINK("http://evil.example","click")')
    text = client.get(local_offer_report_url(world, ".csv")).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    explanation = rows[0].index("explanation")
    assert rows[1][explanation] == '\'=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("suffix", ["", ".csv", ".json"])
def test_no_report_for_a_standard_consultation_or_before_publishing(app, client, suffix):
    with app.app_context():
        standard = build_ledger_world()
        consultation = db.session.get(Consultation, standard.consultation_id)
        area = db.session.get(Area, standard.area_id)
        unpublished = make_consultation(area, state="closed", kind="local_offer")
        make_theme(unpublished)
        publishing.publish_response(consultation, actor=user("organiser"))
        db.session.commit()
    assert client.get(local_offer_report_url(standard, suffix)).status_code in (302, 403)
    url = f"/areas/northshire/consultations/{unpublished.slug}/local-offer-report{suffix}"
    assert client.get(url).status_code in (302, 403)


def _closed_in(consultation_id: int, year: int, month: int) -> None:
    from datetime import UTC, datetime

    consultation = db.session.get(Consultation, consultation_id)
    consultation.opens_at = datetime(year, month, 1, 9, tzinfo=UTC)
    consultation.closes_at = datetime(year, month, 20, 17, tzinfo=UTC)
    consultation.response_due_at = consultation.closes_at + timedelta(weeks=12)
    db.session.commit()


def test_a_years_report_combines_local_offer_consultations_closed_that_year(app, client):
    with app.app_context():
        world = build_ledger_world(kind="local_offer")
        _closed_in(world.consultation_id, 2025, 3)
        publish_local_offer(world)
        area = db.session.get(Area, world.area_id)
        made = {}
        for title, kind, year in (
            ("Second round", "local_offer", 2025),
            ("Not Local Offer", "standard", 2025),
            ("Last year's round", "local_offer", 2024),
        ):
            made[title] = make_consultation(area, state="closed", kind=kind, title=title).id
            _closed_in(made[title], year, 9)
            make_theme(db.session.get(Consultation, made[title]), title=f"Theme of {title}")
            publishing.publish_response(
                db.session.get(Consultation, made[title]), actor=user("organiser")
            )
        db.session.commit()
        assert local_offer.years_with_reports(area) == [2025, 2024]
    listing = client.get("/areas/northshire/local-offer-report").get_data(as_text=True)
    assert "Local Offer feedback report 2025" in listing
    assert "Local Offer feedback report 2024" in listing
    page = client.get("/areas/northshire/local-offer-report?year=2025").get_data(as_text=True)
    assert "Speech therapy" in page and "Theme of Second round" in page
    assert "Not Local Offer" not in page and "Last year" not in page
    assert "comments from 1 March 2025 to 20 September 2025" in page
    data = json.loads(
        client.get("/areas/northshire/local-offer-report.json?year=2025").get_data(as_text=True)
    )
    assert data["year"] == 2025
    assert [c["title"] for c in data["consultations"]] == ["Speech therapy", "Second round"]
    response = client.get("/areas/northshire/local-offer-report.csv?year=2025")
    assert response.headers["Content-Disposition"].endswith(
        'northshire-local-offer-report-2025.csv"'
    )
    empty = client.get("/areas/northshire/local-offer-report?year=2001").get_data(as_text=True)
    assert "No Local Offer feedback closed in 2001" in empty


def test_closing_near_new_year_counts_in_the_uk_year(app):
    with app.app_context():
        world = build_ledger_world(kind="local_offer")
        consultation = db.session.get(Consultation, world.consultation_id)
        # 23:30 UTC on 31 December is still the 31st in London (GMT).
        year = utcnow().year - 1
        consultation.opens_at = utcnow().replace(year=year, month=11, day=1)
        consultation.closes_at = consultation.opens_at.replace(month=12, day=31, hour=23, minute=30)
        consultation.response_due_at = consultation.closes_at + timedelta(weeks=12)
        db.session.commit()
        publishing.publish_response(consultation, actor=user("organiser"))
        db.session.commit()
        area = db.session.get(Area, world.area_id)
        assert [c.id for c in local_offer.year_consultations(area, year)] == [consultation.id]
        assert local_offer.year_consultations(area, year + 1) == []


def test_organisers_choose_the_kind_when_writing_or_editing_a_consultation(app, client, auth):
    from forum.consultations.models import ConsultationKind
    from forum.web.time import LONDON

    with app.app_context():
        build_ledger_world()

    def when(days):
        day = (utcnow() + timedelta(days=days)).astimezone(LONDON)
        return {"day": day.day, "month": day.month, "year": day.year, "time": "10:00"}

    auth.login(LEDGER_EMAILS["organiser"])
    page = client.get("/areas/northshire/consultations/new").get_data(as_text=True)
    assert "What kind of consultation is it?" in page and "Local Offer feedback" in page
    data = {"title": "Our Local Offer", "summary": "Tell us", "audience": "public"}
    for name, days in (("opens_at", 2), ("closes_at", 30)):
        data.update({f"{name}-{part}": value for part, value in when(days).items()})
    response = client.post_form(
        "/areas/northshire/consultations/new", {**data, "kind": "local_offer"}
    )
    assert response.status_code == 303
    with app.app_context():
        made = db.session.scalar(
            select(Consultation).where(Consultation.title == "Our Local Offer")
        )
        assert made.kind is ConsultationKind.LOCAL_OFFER
    # An edit that does not send the kind keeps it; one that does changes it.
    url = f"/areas/northshire/consultations/{made.slug}/edit"
    assert client.post_form(url, data).status_code == 303
    with app.app_context():
        assert db.session.get(Consultation, made.id).kind is ConsultationKind.LOCAL_OFFER
    assert client.post_form(url, {**data, "kind": "standard"}).status_code == 303
    with app.app_context():
        assert db.session.get(Consultation, made.id).kind is ConsultationKind.STANDARD
    bad = client.post_form(url, {**data, "kind": "secret"})
    assert bad.status_code == 422 and "There is a problem" in bad.get_data(as_text=True)
