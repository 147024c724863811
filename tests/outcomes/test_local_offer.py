"""The Local Offer feedback report: the printable page, the CSV and the JSON."""

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
from forum.outcomes import decisions as service
from forum.outcomes import local_offer, publishing
from forum.outcomes.models import Evidence, EvidenceKind, ForumView, Outcome
from forum.surveys.models import Answer
from tests.factories import (
    make_consultation,
    make_question,
    make_response,
    make_survey,
    make_theme,
    make_user,
)
from tests.outcomes.test_decisions import EMAILS, base, build_ledger_world, theme, user


def _publish(world, *, people: int = 3, explanation="We will publish waiting times."):
    consultation = db.session.get(Consultation, world.consultation_id)
    survey = make_survey(consultation)
    words = make_question(survey, kind="long_text", prompt="What should change?")
    consent = make_question(survey, kind="consent", prompt="May we quote you?")
    for n in range(people):
        response = make_response(
            survey,
            user=make_user(name=f"Secret Parent {n}"),
            status="submitted",
            answers={words: f"Private words {n}", consent: "yes"},
        )
        answer_id = db.session.scalar(
            select(Answer.id).where(
                Answer.response_id == response.id, Answer.question_id == words.id
            )
        )
        db.session.add(
            Evidence(
                theme_id=world.waiting,
                area_id=world.area_id,
                kind=EvidenceKind.ANSWER,
                answer_id=answer_id,
            )
        )
    decision = service.answer_theme(
        theme(world),
        world.council_id,
        service.Answer(
            outcome=Outcome.ADOPTED, explanation=explanation, commitment_ids=[world.c_council]
        ),
        actor=user("council"),
    )
    service.review_decision(decision, ForumView.AGREED, "", actor=user("organiser"))
    publishing.publish_response(consultation, actor=user("organiser"))
    db.session.commit()


@pytest.fixture
def world(app):
    with app.app_context():
        world = build_ledger_world(kind="local_offer")
        _publish(world)
        return world


def report_url(world, suffix=""):
    return f"{base(world)}/local-offer-report{suffix}"


def test_the_report_page_is_public_and_printable(app, client, world):
    response = client.get(report_url(world))
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
    response = client.get(report_url(world, ".csv"))
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
    response = client.get(report_url(world, ".json"))
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


def test_counts_of_five_or_more_are_numbers(app, client):
    with app.app_context():
        world = build_ledger_world(kind="local_offer")
        _publish(world, people=6)
    data = json.loads(client.get(report_url(world, ".json")).get_data(as_text=True))
    assert data["consultations"][0]["themes"][0]["comments"] == 6


def test_csv_is_guarded_against_spreadsheet_formulas(app, client):
    with app.app_context():
        world = build_ledger_world(kind="local_offer")
        _publish(world, explanation='=HYPERLINK("http://evil.example","click")')
    text = client.get(report_url(world, ".csv")).get_data(as_text=True)
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
    assert client.get(report_url(standard, suffix)).status_code in (302, 403)
    url = f"/areas/northshire/consultations/{unpublished.slug}/local-offer-report{suffix}"
    assert client.get(url).status_code in (302, 403)


@pytest.mark.parametrize("who", ["visitor", "member", "organiser", "council", "other_organiser"])
def test_everyone_who_can_see_the_consultation_can_read_the_report(app, client, auth, world, who):
    if who != "visitor":
        auth.login(EMAILS[who])
    for suffix in ("", ".csv", ".json"):
        assert client.get(report_url(world, suffix)).status_code == 200
    fragment = client.htmx_get(report_url(world))
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]


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
        _publish(world)
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


@pytest.mark.parametrize("year", ["abc", "99", "3000", "2024-01"])
def test_a_bad_year_is_not_found(app, client, world, year):
    assert client.get(f"/areas/northshire/local-offer-report?year={year}").status_code == 404
    assert client.get(f"/areas/northshire/local-offer-report.csv?year={year}").status_code == 404
    assert client.get("/areas/northshire/local-offer-report.csv").status_code == 404


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

    auth.login(EMAILS["organiser"])
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
