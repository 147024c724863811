"""The Local Offer feedback report: the printable page, the CSV and the JSON.

Every test reads the one published Local Offer world, built once for the module; the reports
that need a world of their own (more people, a hostile explanation, a standard consultation,
reports by year, the kind on the consultation form) are in test_local_offer_variants.py."""

from __future__ import annotations

import csv
import io
import json

import pytest

from forum.outcomes.local_offer import queries as local_offer
from tests.outcomes.worlds import (
    LEDGER_EMAILS,
    base,
    build_ledger_world,
    local_offer_report_url,
    publish_local_offer,
)


@pytest.fixture(scope="module")
def world(world_app):
    """A Local Offer consultation's ledger world (tests/outcomes/worlds.py), answered and
    published, built once for the module; each test's changes are rolled back (see
    `world_app`)."""
    with world_app.app_context():
        world = build_ledger_world(kind="local_offer")
        publish_local_offer(world)
        return world


def test_the_report_page_is_public_and_printable(app, client, world):
    response = client.get(local_offer_report_url(world))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Local Offer feedback report" in page
    assert "Period:</strong> comments from" in page
    assert "Nothing in this report identifies any person" in page
    assert "Waiting times" in page and "We will publish waiting times." in page
    assert "Speech therapists in schools" in page and "On track" in page
    assert "Answered the survey: fewer than 5" in page
    assert "Comments behind this theme: fewer than 5" in page
    assert "app-no-print" in page
    for name, _ in local_offer.CSV_COLUMNS:
        assert f"<code>{name}</code>" in page
    # nothing personal: no names, no quotes
    assert "Secret Parent" not in page and "Private words" not in page
    # the consultation page links to it
    assert "Read the Local Offer feedback report" in client.get(base(world)).get_data(as_text=True)


def test_csv_download(app, client, world):
    response = client.get(local_offer_report_url(world, ".csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].endswith('local-offer-report.csv"')
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [name for name, _ in local_offer.CSV_COLUMNS]
    by_theme = {row[3]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    waiting = by_theme["Waiting times"]
    assert waiting["theme_comments"] == "fewer than 5"
    assert waiting["theme_people"] == "fewer than 5"
    assert waiting["partner"] == "Northshire Council"
    assert waiting["response"] == "Adopted"
    assert waiting["actions"].startswith("Speech therapists in schools [On track")
    assert waiting["forum_view"] == "Agreed"
    assert by_theme["Nobody calls back"]["partner"] == ""
    assert "Secret Parent" not in text and "Private words" not in text


def test_json_download(app, client, world):
    response = client.get(local_offer_report_url(world, ".json"))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].endswith('local-offer-report.json"')
    data = json.loads(response.get_data(as_text=True))
    assert data["schema_version"] == local_offer.SCHEMA_VERSION
    (consultation,) = data["consultations"]
    assert consultation["people_who_answered_the_survey"] == "fewer than 5"
    waiting = consultation["themes"][0]
    assert waiting["title"] == "Waiting times" and waiting["comments"] == "fewer than 5"
    assert waiting["responses"][0]["actions"][0]["status"] == "On track"
    assert "Secret Parent" not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["visitor", "member", "organiser", "council", "other_organiser"])
def test_everyone_who_can_see_the_consultation_can_read_the_report(app, client, auth, world, who):
    if who != "visitor":
        auth.login(LEDGER_EMAILS[who])
    for suffix in ("", ".csv", ".json"):
        assert client.get(local_offer_report_url(world, suffix)).status_code == 200
    fragment = client.htmx_get(local_offer_report_url(world))
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]


@pytest.mark.parametrize("year", ["abc", "99", "3000", "2024-01"])
def test_a_bad_year_is_not_found(app, client, world, year):
    assert client.get(f"/areas/northshire/local-offer-report?year={year}").status_code == 404
    assert client.get(f"/areas/northshire/local-offer-report.csv?year={year}").status_code == 404
    assert client.get("/areas/northshire/local-offer-report.csv").status_code == 404
