"""Issue 12, point 3: the organiser's view of bursts, quarantine (kept, not counted anywhere)
and release, each recorded with who did it; and the honeypot, whose filled-in responses are
quietly quarantined."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.surveys.models import Response, Survey
from forum.surveys.queries import count_counted, questions_of
from forum.surveys.results.queries import survey_results
from tests.surveys.quarantine.worlds import DEVICE, EMAILS, build_burst_world

ORGANISER = EMAILS["organiser"]
QUARANTINE_ACTIONS = ("survey.responses_quarantined", "survey.responses_released")


@pytest.fixture
def world(app):
    with app.app_context():
        world = build_burst_world(burst=5)
        db.session.commit()
        return world


def counts(app, world) -> dict:
    """What every surface counts: the one rule, the results, the export, the builder."""
    from forum.surveys.builder.queries import response_counts
    from forum.surveys.export.queries import count_submitted

    with app.app_context():
        survey = db.session.get(Survey, world.survey.id)
        results = survey_results(survey, questions_of(survey), exact=True, written="all")
        return {
            "counted": count_counted(survey),
            "results": results.total.value,
            "export": count_submitted(survey),
            "builder": response_counts(survey).submitted,
            "quarantined": response_counts(survey).quarantined,
        }


def test_the_burst_is_flagged_for_the_organiser(app, client, auth, world):
    auth.login(ORGANISER)
    page = client.get(world.base + "/bursts")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"device {DEVICE[:6].upper()}" in text
    assert "Check" in text, "5 from one device is above the level"
    assert "Identical answers" in text
    assert "6 responses counted" in text


def test_quarantine_keeps_the_responses_but_counts_them_nowhere(app, client, auth, world):
    assert counts(app, world) == {
        "counted": 6,
        "results": 6,
        "export": 6,
        "builder": 6,
        "quarantined": 0,
    }
    auth.login(ORGANISER)
    done = client.post_form(world.base + "/bursts/quarantine", {"kind": "device", "value": DEVICE})
    assert done.status_code == 303
    assert counts(app, world) == {
        "counted": 1,
        "results": 1,
        "export": 1,
        "builder": 1,
        "quarantined": 5,
    }
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 6, "kept"
    exported = client.post_form(world.base + "/export.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert len(rows) == 2, "the header and the one counted response"
    data = json.loads(client.post_form(world.base + "/export.json").get_data(as_text=True))
    assert len(data["responses"]) == 1

    page = client.get(world.base + "/bursts").get_data(as_text=True)
    assert "Quarantined responses" in page and "By " in page
    assert "quarantined 5 responses" in page

    released = client.post_form(world.base + "/bursts/release", {"kind": "device", "value": DEVICE})
    assert released.status_code == 303
    assert counts(app, world)["counted"] == 6
    with app.app_context():
        trail = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(QUARANTINE_ACTIONS))
            .order_by(AuditEvent.id)
        ).all()
        actions = [(e.action, e.detail["count"], e.actor_id is not None) for e in trail]
    assert ("survey.responses_quarantined", 5, True) in actions
    assert ("survey.responses_released", 5, True) in actions
    assert "released 5 responses" in client.get(world.base + "/bursts").get_data(as_text=True)


def test_quarantined_answers_leave_coding_and_results_text(app, client, auth, world):
    auth.login(ORGANISER)
    client.post_form(
        world.base + "/bursts/quarantine", {"kind": "response", "value": str(world.real_id)}
    )
    coding = client.get(f"{world.base}/coding/{world.why.id}").get_data(as_text=True)
    assert "Buses" not in coding
    results = client.get(world.base + "/results").get_data(as_text=True)
    assert "Buses" not in results


def test_a_stale_or_made_up_group_is_refused_in_words(app, client, auth, world):
    auth.login(ORGANISER)
    for data in (
        {"kind": "device", "value": "e" * 64},
        {"kind": "device", "value": "not-a-hash"},
        {"kind": "nonsense", "value": "x"},
        {"kind": "response", "value": "99999999999999999999"},
        {},
    ):
        response = client.post_form(world.base + "/bursts/quarantine", data)
        assert response.status_code == 303
        page = client.get(world.base + "/bursts").get_data(as_text=True)
        assert "were not found" in page
    assert counts(app, world)["counted"] == 6


def test_the_honeypot_quietly_quarantines(app, client, world):
    before = counts(app, world)["counted"]
    response = client.post_form(
        world.base + "/answer",
        {f"q{world.colour.id}": "blue", "website": "http://spam.example"},
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/done")
    done = client.get(world.base + "/done").get_data(as_text=True)
    assert "bot" not in done.lower() and "spam" not in done.lower()
    assert counts(app, world)["counted"] == before
    with app.app_context():
        caught = db.session.scalar(select(Response).where(Response.quarantine_reason.is_not(None)))
        assert caught.quarantine_reason == "honeypot" and caught.quarantined_by_id is None


def test_the_honeypot_is_hidden_labelled_and_out_of_the_tab_order(app, client, world):
    page = client.get(world.base + "/answer").get_data(as_text=True)
    assert 'name="website"' in page
    field = page[page.index('<div class="govuk-visually-hidden">') :]
    field = field[: field.index("</div>")]
    assert "Leave this box empty" in field
    assert 'autocomplete="off"' in field and 'tabindex="-1"' in field


def test_an_empty_honeypot_counts(app, client, world):
    before = counts(app, world)["counted"]
    with app.app_context():
        db.session.get(Survey, world.survey.id).requires_confirmed_email = False
        db.session.commit()
    client.post_form(world.base + "/answer", {f"q{world.colour.id}": "blue", "website": ""})
    assert counts(app, world)["counted"] == before + 1


def test_signals_are_kept_as_hashes_only(app, client, world):
    with app.app_context():
        db.session.get(Survey, world.survey.id).requires_confirmed_email = False
        db.session.commit()
    client.post_form(world.base + "/answer", {f"q{world.colour.id}": "blue"})
    with app.app_context():
        mine = db.session.scalar(select(Response).order_by(Response.id.desc()).limit(1))
        assert len(mine.device_hash) == 64 and len(mine.address_hash) == 64
        assert mine.sent_hour is not None and mine.sent_hour.minute == 0
        assert "127.0.0.1" not in (mine.address_hash or "")


def test_a_burst_in_one_hour_can_be_quarantined_by_its_hour(app, client, auth, world):
    from datetime import timedelta

    from sqlalchemy import update

    from forum.models import utcnow

    hour = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    with app.app_context():
        db.session.execute(
            update(Response).where(Response.id.in_(world.burst_ids[:3])).values(sent_hour=hour)
        )
        db.session.commit()
    auth.login(ORGANISER)
    page = client.get(world.base + "/bursts").get_data(as_text=True)
    assert hour.isoformat() in page, "the hour is the group's value in its buttons"
    done = client.post_form(
        world.base + "/bursts/quarantine", {"kind": "hour", "value": hour.isoformat()}
    )
    assert done.status_code == 303
    assert counts(app, world)["quarantined"] == 3


def test_no_device_or_network_is_kept_for_a_signed_in_person_in_an_anonymous_survey(
    app, client, auth, world
):
    from tests.factories import make_membership, make_user

    with app.app_context():
        survey = db.session.get(Survey, world.survey.id)
        survey.is_anonymous = True
        survey.requires_confirmed_email = False
        make_membership(make_user(email="anon.member@example.org"), survey.consultation.area)
        db.session.commit()
    auth.login("anon.member@example.org")
    client.post_form(world.base + "/answer", {f"q{world.colour.id}": "blue"})
    with app.app_context():
        mine = db.session.scalar(select(Response).order_by(Response.id.desc()).limit(1))
        assert mine.is_submitted and mine.user_id is None
        assert (mine.device_hash, mine.address_hash, mine.sent_hour) == (None, None, None)
