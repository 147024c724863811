"""The reports' pages over HTTP: who may see and change what, choosing a period (bad dates
refused beside their field), the organisers' words (hostile text made harmless, too long
refused), publishing, the PDF read back, and the figures as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from pypdf import PdfReader

from forum.areas.models import Area
from forum.extensions import db
from forum.reports import services
from forum.reports.models import AnnualReport
from tests.reports.worlds import EMAILS, YEAR
from tests.support import HUGE, RTL_EMOJI, SCRIPT, assert_redirects_after_post

BASE = "/areas/northshire/reports"
REPORT = f"{BASE}/{YEAR.slug}"


@pytest.fixture
def draft(app, world):
    """The year's report, started by the organiser, not published."""
    from sqlalchemy import select

    from forum.accounts.models import User

    with app.test_request_context():
        area = db.session.get(Area, world.area_id)
        organiser = db.session.scalar(select(User).where(User.email == EMAILS["organiser"]))
        report = services.start_report(area, YEAR, actor=organiser)
        services.save_words(
            report,
            foreword="Thank you to **every family**.",
            highlights="",
            priorities="Transport next year.",
            shown_sections=[
                "heard",
                "consultations",
                "themes",
                "decisions",
                "changes",
                "timeliness",
                "disputes",
                "events",
                "representation",
            ],
            actor=organiser,
        )
        db.session.commit()
        return report.id


def _publish(app, report_id):
    from forum.models import utcnow

    with app.app_context():
        db.session.get(AnnualReport, report_id).published_at = utcnow()
        db.session.commit()


def _sign_in(auth, who):
    if who:
        auth.login(EMAILS[who])


@pytest.mark.parametrize(
    ("who", "draft_status", "published_status"),
    [
        (None, 302, 200),
        ("member", 403, 200),
        ("council", 403, 200),
        ("other", 403, 200),
        ("organiser", 200, 200),
        ("admin", 200, 200),
    ],
)
def test_who_reads_a_draft_and_a_published_report(
    app, client, auth, world, draft, who, draft_status, published_status
):
    _sign_in(auth, who)
    for url in (REPORT, f"{REPORT}/figures.csv", f"{REPORT}/figures.json"):
        assert client.get(url).status_code == draft_status, url
    _publish(app, draft)
    response = client.get(REPORT)
    assert response.status_code == published_status
    assert "HX-Request" in response.headers["Vary"]
    page = response.get_data(as_text=True)
    assert "Annual report: April 2025 to March 2026" in page
    assert ("Publish this report" in page or "Unpublish" in page) == (who in ("organiser", "admin"))


@pytest.mark.parametrize("who", [None, "member", "council", "other"])
def test_only_organisers_change_reports(app, client, auth, world, draft, who):
    _sign_in(auth, who)
    expected = 302 if who is None else 403
    for url in (
        f"{BASE}/new",
        f"{REPORT}/edit",
        f"{REPORT}/grant-return",
        f"{REPORT}/grant-return.csv",
    ):
        assert client.get(url).status_code == expected, url
    for url in (f"{REPORT}/publish", f"{REPORT}/edit", f"{BASE}/new"):
        assert client.post_form(url, {"foreword": "x"}).status_code == expected, url
    with app.app_context():
        assert db.session.get(AnnualReport, draft).published_at is None


def test_an_unknown_or_mistyped_period_is_not_found(client, auth, world):
    auth.login(EMAILS["organiser"])
    for period in (
        "2024-04-01_2025-03-31",
        "nonsense",
        "2025-02-30_2026-03-31",
        "2026-03-31_2025-04-01",
    ):
        assert client.get(f"{BASE}/{period}").status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"which": ""}, "which", "Choose a period from the list"),
        ({"which": "1999-04-01_2000-03-31"}, "which", "Choose a period from the list"),
        ({"which": "own"}, "start", "Enter the date the period starts"),
        (
            {
                "which": "own",
                "start-day": "1",
                "start-month": "1",
                "start-year": "2099",
                "end-day": "1",
                "end-month": "2",
                "end-year": "2099",
            },
            "start",
            "must start today or earlier",
        ),
        (
            {
                "which": "own",
                "start-day": "1",
                "start-month": "6",
                "start-year": "2025",
                "end-day": "1",
                "end-month": "5",
                "end-year": "2025",
            },
            "end",
            "must end on or after the day it starts",
        ),
        (
            {
                "which": "own",
                "start-day": "1",
                "start-month": "1",
                "start-year": "2005",
                "end-day": "1",
                "end-month": "1",
                "end-year": "2025",
            },
            "end",
            "can be up to 5 years long",
        ),
        (
            {
                "which": "own",
                "start-day": "31",
                "start-month": "2",
                "start-year": "2025",
                "end-day": "1",
                "end-month": "1",
                "end-year": "2026",
            },
            "start",
            "must be a real date",
        ),
    ],
)
def test_bad_periods_are_refused_beside_their_field(client, auth, world, data, field, message):
    auth.login(EMAILS["organiser"])
    response = client.post_form(f"{BASE}/new", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'href="#{field}' in page  # the error summary links to the field


def test_choosing_a_period_starts_the_report_once(app, client, auth, world):
    auth.login(EMAILS["organiser"])
    first = client.post_form(
        f"{BASE}/new",
        {
            "which": "own",
            "start-day": "1",
            "start-month": "9",
            "start-year": "2025",
            "end-day": "31",
            "end-month": "8",
            "end-year": "2026",
        },
    )
    assert_redirects_after_post(first, htmx=False)
    assert first.headers["Location"].endswith("/reports/2025-09-01_2026-08-31/edit")
    again = client.post_form(f"{BASE}/new", {"which": YEAR.slug}, htmx=True)
    assert_redirects_after_post(again, htmx=True)
    client.post_form(f"{BASE}/new", {"which": YEAR.slug})
    with app.app_context():
        assert db.session.query(AnnualReport).filter_by(area_id=world.area_id).count() == 2


def test_hostile_and_odd_words_are_made_harmless(app, client, auth, world, draft):
    auth.login(EMAILS["organiser"])
    form = client.get(f"{REPORT}/edit").get_data(as_text=True)
    assert "Thank you to **every family**." in form
    response = client.post_form(
        f"{REPORT}/edit",
        {
            "foreword": SCRIPT + " " + RTL_EMOJI + "\x00\u202e",
            "highlights": "",
            "priorities": "",
            "sections": ["heard", "not-a-section"],
        },
    )
    assert_redirects_after_post(response, htmx=False)
    page = client.get(REPORT).get_data(as_text=True)
    assert '<script>alert("x")' not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # shown as the words typed
    assert RTL_EMOJI in page
    assert 'id="section-heard"' in page and 'id="section-events"' not in page
    too_long = client.post_form(f"{REPORT}/edit", {"foreword": HUGE, "sections": ["heard"]})
    assert too_long.status_code == 422
    assert "The foreword must be 10,000 characters or fewer" in too_long.get_data(as_text=True)


def test_a_stale_edit_is_caught(app, client, auth, world, draft):
    auth.login(EMAILS["organiser"])
    with app.app_context():
        version = db.session.get(AnnualReport, draft).version
    response = client.post_form(
        f"{REPORT}/edit",
        {"foreword": "Mine", "row_version": str(version - 1), "sections": ["heard"]},
    )
    assert response.status_code == 422
    assert "Someone else changed this report" in response.get_data(as_text=True)


def test_publishing_and_taking_it_back(app, client, auth, world, draft):
    auth.login(EMAILS["organiser"])
    assert_redirects_after_post(client.post_form(f"{REPORT}/publish"), htmx=False)
    home = client.get("/areas/northshire").get_data(as_text=True)
    assert "read the annual report for April 2025 to March 2026" in home
    assert_redirects_after_post(client.post_form(f"{REPORT}/unpublish"), htmx=False)
    with app.app_context():
        assert db.session.get(AnnualReport, draft).published_at is None


def test_an_area_with_no_data_gets_a_helpful_empty_report(app, client, auth, world):
    auth.login(EMAILS["other"])
    response = client.post_form("/areas/southshire/reports/new", {"which": "2019-04-01_2020-03-31"})
    assert response.status_code == 422  # not offered: too long ago for the list
    response = client.post_form(
        "/areas/southshire/reports/new",
        {
            "which": "own",
            "start-day": "1",
            "start-month": "4",
            "start-year": "2019",
            "end-day": "31",
            "end-month": "3",
            "end-year": "2020",
        },
    )
    page = client.get(response.headers["Location"].removesuffix("/edit"))
    assert page.status_code == 200
    assert "Nothing was recorded on this website" in page.get_data(as_text=True)


def test_the_pdf_is_tagged_and_has_the_report_in_it(app, client, auth, world, draft):
    _publish(app, draft)
    response = client.get(f"{REPORT}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for heading in (
        "Annual report: April 2025 to March 2026",
        "Contents",
        "Foreword",
        "Families we heard from",
        "What changed",
        "Where we represented you",
        "How we count",
        "Our priorities for next year",
    ):
        assert heading in text, heading
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"


def test_without_the_pdf_library_a_clear_page_not_an_error(app, client, world, draft, monkeypatch):
    _publish(app, draft)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` fails
    response = client.get(f"{REPORT}/report.pdf")
    assert response.status_code == 503
    assert "The PDF cannot be made" in response.get_data(as_text=True)


def test_the_figures_as_csv_and_json_follow_the_schema(app, client, world, draft):
    from forum.outcomes.open_data.schema import REPORT_FILES, SCHEMA_VERSION

    _publish(app, draft)
    rows = list(csv.reader(io.StringIO(client.get(f"{REPORT}/figures.csv").get_data(as_text=True))))
    assert rows[0] == [f.name for f in REPORT_FILES[0].fields]
    by_name = {row[4]: row for row in rows[1:]}
    assert all(row[0] == SCHEMA_VERSION for row in rows[1:])
    assert by_name["respondents"][6] == "10"
    assert by_name["heard_paper"][6] == ""  # withheld
    assert "reach_families" not in by_name  # the forum has not published its reach
    data = json.loads(client.get(f"{REPORT}/figures.json").get_data(as_text=True))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["period_start"] == "2025-04-01"
    figures = {f["figure"]: f for f in data["figures"]}
    assert figures["heard_paper"]["value"] is None
    assert figures["events_held"]["url"] == "http://localhost/areas/northshire/events?when=past"


def test_the_grant_return_in_the_funders_order(app, client, auth, world, draft):
    from forum.reports import grant_return

    auth.login(EMAILS["organiser"])
    page = client.get(f"{REPORT}/grant-return").get_data(as_text=True)
    questions = [f.question for f in grant_return.load(grant_return.DEFAULT_FILE).fields]
    positions = [page.index(q.replace("'", "&#39;")) for q in questions]
    assert positions == sorted(positions)
    saved = client.post_form(
        f"{REPORT}/grant-return",
        {"impact_story": "=HYPERLINK(1) The hubs opened.", "partners_named": SCRIPT},
    )
    assert_redirects_after_post(saved, htmx=False)
    rows = list(
        csv.reader(io.StringIO(client.get(f"{REPORT}/grant-return.csv").get_data(as_text=True)))
    )
    assert [r[0] for r in rows[1:]] == questions
    story = next(r for r in rows if r[0].startswith("Tell us about one change"))
    assert story[1] == "'=HYPERLINK(1) The hubs opened."
    families = next(r for r in rows if r[2] == "respondents")
    assert families[3] == "10"


def test_htmx_gets_the_report_alone(app, client, world, draft):
    _publish(app, draft)
    response = client.htmx_get(REPORT)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith("<article") and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_the_list_shows_visitors_only_published_reports(app, client, auth, world, draft):
    assert "No annual report is published yet" in client.get(BASE).get_data(as_text=True)
    _publish(app, draft)
    assert "Annual report: April 2025 to March 2026" in client.get(BASE).get_data(as_text=True)
    auth.login(EMAILS["organiser"])
    client.post_form(f"{BASE}/new", {"which": "2024-04-01_2025-03-31"})
    page = client.get(BASE).get_data(as_text=True)
    assert "April 2024 to March 2025" in page and "Draft" in page
    assert "Start or open a report" in page


def test_a_period_under_way_is_reported_so_far(app, client, auth, world):
    from forum.models import utcnow
    from forum.reports.periods import financial_year_of

    auth.login(EMAILS["organiser"])
    current = financial_year_of(utcnow().date())
    response = client.post_form(f"{BASE}/new", {"which": current.slug})
    page = client.get(response.headers["Location"].removesuffix("/edit")).get_data(as_text=True)
    assert "so far: the period is not over yet" in page


def test_a_report_is_only_found_under_its_own_area(app, client, auth, world, draft):
    _publish(app, draft)
    assert client.get(f"/areas/southshire/reports/{YEAR.slug}").status_code == 404
    auth.login(EMAILS["other"])  # Southshire's organiser
    assert client.get(f"/areas/southshire/reports/{YEAR.slug}/edit").status_code == 404
    assert client.get(f"{REPORT}/edit").status_code == 403
    assert client.get(REPORT).status_code == 200  # published: as any visitor
