"""Exports: the CSV's columns (stable under show-if, hidden questions and "Other"), anonymity,
formula injection, the JSON's structure, who may download and the audit entry. Batching
(statements per batch, and memory that does not grow with the number of responses) needs a
survey of its own: it is in test_export_batches.py."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from forum.areas.models import Area, Role
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.surveys.answering.forms import Given
from forum.surveys.export.formats import spreadsheet_safe
from forum.surveys.models import Response, Survey
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
    make_user,
)
from tests.surveys.worlds import download, export_url, make_northshire

INJECTION = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def north(world_app):
    """Northshire's named survey with every kind of question (one shown only for "North", one
    hidden), two online responses, a paper one and a draft; an anonymous survey beside it.

    Built once for the module; each test's changes are rolled back (see `world_app`)."""
    with world_app.app_context():
        area = make_northshire()
        make_user(email="visitor@example.org")
        south = make_area(slug="southvale")
        make_person_in(south, Role.ORGANISER, email="south@example.org")
        alice = make_person_in(area, Role.MEMBER, email="alice@example.org", name="Alice Able")
        bob = make_person_in(area, Role.MEMBER, email="bob@example.org", name="Bob Best")
        carol = make_person_in(area, Role.MEMBER, email="carol@example.org", name="Carol Cole")

        consultation = make_consultation(area, title="School transport")
        survey = make_survey(consultation)
        school = make_question(survey, prompt="Which school?", options=("North", "South"))
        survey_q = {
            "school": school,
            "help": make_question(
                survey,
                kind="multiple_choice",
                prompt="What help?",
                options=("Speech", "Sleep"),
                has_other=True,
            ),
            "why": make_question(
                survey,
                kind="short_text",
                prompt="Why North?",
                show_if=school,
                show_if_values=["north"],
            ),
            "order": make_question(
                survey, kind="ranking", prompt="Order these", options=("Bus", "Taxi", "Walk")
            ),
            "weeks": make_question(survey, kind="number", prompt="How many weeks?"),
            "when": make_question(survey, kind="date", prompt="When?"),
            "fair": make_question(survey, kind="scale", prompt="How fair?"),
            "happy": make_question(survey, kind="yes_no", prompt="Happy?"),
            "quote": make_question(survey, kind="consent", prompt="May we quote you?"),
            "old": make_question(survey, kind="long_text", prompt="Old question", is_hidden=True),
        }
        q = survey_q
        make_response(
            survey,
            user=alice,
            status="submitted",
            answers={
                q["school"]: "north",
                q["help"]: Given(value=["speech", "other"], other=INJECTION),
                q["why"]: "-2 weeks on the bus, 😊 مريم\nsecond line",
                q["order"]: ["walk", "bus", "taxi"],
                q["weeks"]: -3,
                q["when"]: "2025-03-01",
                q["fair"]: "5",
                q["happy"]: "not_sure",
                q["quote"]: "yes",
            },
        )
        make_response(
            survey,
            user=bob,
            status="submitted",
            answers={q["school"]: "south", q["help"]: ["sleep"], q["happy"]: "no"},
        )
        make_response(survey, status="submitted", channel="paper", answers={q["school"]: "south"})
        make_response(survey, user=carol, status="draft", answers={q["school"]: "north"})

        private = make_consultation(area, title="Private one")
        anonymous = make_survey(private, is_anonymous=True)
        feel = make_question(anonymous, kind="short_text", prompt="How do you feel?")
        make_response(anonymous, user=alice, status="submitted", answers={feel: "Tired"})
        empty = make_consultation(area, title="No survey")
    return {
        "consultation": consultation,
        "survey": survey,
        "q": q,
        "private": private,
        "anonymous": anonymous,
        "empty": empty,
    }


def read_csv(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def by_reference(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    head, *body = rows
    return {row[0]: dict(zip(head, row, strict=True)) for row in body}


def references(app, survey) -> set[str]:
    """The references of the survey's submitted responses."""
    with app.app_context():
        return set(
            db.session.scalars(
                select(Response.reference).where(
                    Response.survey_id == survey.id, Response.status == "submitted"
                )
            )
        )


# --- the CSV -------------------------------------------------------------------------------


def test_csv_has_a_stable_column_for_every_question_and_option(app, client, auth, north):
    auth.login("org@example.org")
    response = download(client, north["consultation"])
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    slug = north["consultation"].slug
    assert disposition.startswith(f'attachment; filename="{slug}-responses-20')
    assert disposition.endswith('.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    rows = read_csv(response)
    assert rows[0] == [
        "Reference",
        "How it reached us",
        "Submitted (UK time)",
        "Name",
        "May quote",
        "1. Which school?",
        "2. What help?: Speech",
        "2. What help?: Sleep",
        "2. What help?: Other",
        "2. What help?: other (please specify)",
        "2. What help?: codes",
        "3. Why North?",
        "3. Why North?: codes",
        "4. Order these: Bus (rank)",
        "4. Order these: Taxi (rank)",
        "4. Order these: Walk (rank)",
        "5. How many weeks?",
        "6. When?",
        "7. How fair?",
        "8. Happy?",
        "9. May we quote you?",
        "10. Old question",
        "10. Old question: codes",
    ]
    assert all(len(row) == len(rows[0]) for row in rows)
    # Submitted responses only: not Carol's draft.
    assert len(rows) == 4
    assert "carol@example.org" not in response.get_data(as_text=True)

    known = references(app, north["survey"])
    found = by_reference(rows)
    assert set(found) == known
    alice = next(r for r in found.values() if r["Name"] == "Alice Able")
    assert alice["How it reached us"] == "Online"
    assert alice["May quote"] == "Yes"
    assert alice["1. Which school?"] == "North"
    assert alice["2. What help?: Speech"] == "Yes"
    assert alice["2. What help?: Sleep"] == ""
    assert alice["2. What help?: Other"] == "Yes"
    # The parent's words are kept exactly, newlines and all, but cannot run as a formula.
    assert alice["2. What help?: other (please specify)"] == "'" + INJECTION
    assert alice["3. Why North?"] == "'-2 weeks on the bus, 😊 مريم\nsecond line"
    assert [alice[f"4. Order these: {o} (rank)"] for o in ("Bus", "Taxi", "Walk")] == [
        "2",
        "3",
        "1",
    ]
    assert alice["5. How many weeks?"] == "-3"  # a number, not a formula
    assert alice["6. When?"] == "2025-03-01"
    assert alice["7. How fair?"] == "5 – Very good"
    assert alice["8. Happy?"] == "Not sure"
    assert alice["9. May we quote you?"].startswith("Yes, you may quote")
    assert alice["Submitted (UK time)"][:2] == "20" and len(alice["Submitted (UK time)"]) == 16

    # Bob chose South, so "Why North?" was never shown: an empty cell, same columns.
    bob = next(r for r in found.values() if r["Name"] == "Bob Best")
    assert bob["3. Why North?"] == "" and bob["1. Which school?"] == "South"
    assert bob["2. What help?: Sleep"] == "Yes" and bob["2. What help?: Other"] == ""
    assert bob["May quote"] == "No"

    paper = next(r for r in found.values() if r["How it reached us"] == "On paper")
    assert paper["Name"] == ""


def test_formula_injection_in_headers_and_labels_is_neutralised(app, client, auth, north):
    with app.app_context():
        survey = db.session.get(Survey, north["survey"].id)
        question = make_question(survey, prompt="@SUM(A1:A9)", options=("+1", "Plain"))
        make_response(survey, user=make_user(), status="submitted", answers={question: "1"})
    auth.login("org@example.org")
    rows = read_csv(download(client, north["consultation"]))
    assert rows[0][-1] == "11. @SUM(A1:A9)"  # starts with its number, so already safe
    assert any(row[-1] == "'+1" for row in rows[1:])


@pytest.mark.parametrize(
    "text, safe",
    [
        ("=1+1", "'=1+1"),
        ("+44 7700", "'+44 7700"),
        ("-minus", "'-minus"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Plain words = fine", "Plain words = fine"),
        ("", ""),
        (-3, -3),
        (None, None),
    ],
)
def test_spreadsheet_safe(text, safe):
    assert spreadsheet_safe(text) == safe


def test_anonymous_survey_exports_no_identity(app, client, auth, north):
    auth.login("org@example.org")
    response = download(client, north["private"])
    text = response.get_data(as_text=True)
    rows = read_csv(response)
    assert rows[0] == [
        "Reference",
        "How it reached us",
        "Submitted on",
        "May quote",
        "1. How do you feel?",
        "1. How do you feel?: codes",
    ]
    assert len(rows) == 2 and rows[1][-2:] == ["Tired", ""]
    # The day, never a time that could be matched with a sign-in.
    assert len(rows[1][2]) == 10 and rows[1][2][4] == "-"
    for secret in ("alice@example.org", "Alice Able", "Alice"):
        assert secret not in text
    as_json = download(client, north["private"], "json").get_data(as_text=True)
    for secret in ("alice@example.org", "Alice Able", "respondent"):
        assert secret not in as_json
    data = json.loads(as_json)
    assert data["survey"]["is_anonymous"] is True
    assert len(data["responses"][0]["submitted"]) == 10


# --- the JSON ------------------------------------------------------------------------------


def test_json_has_the_questions_then_every_response_with_values_and_labels(
    app, client, auth, north
):
    auth.login("org@example.org")
    response = download(client, north["consultation"], "json")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('.json"')
    data = json.loads(response.get_data(as_text=True))
    q = north["q"]
    questions = data["survey"]["questions"]
    assert [item["key"] for item in questions] == [f"q{q[name].id}" for name in q]
    help_question = questions[1]
    assert help_question["options"] == [
        {"value": "speech", "label": "Speech"},
        {"value": "sleep", "label": "Sleep"},
        {"value": "other", "label": "Other"},
    ]
    assert questions[2]["show_if"] == {"question": f"q{q['school'].id}", "values": ["north"]}
    assert questions[-1]["is_hidden"] is True

    assert len(data["responses"]) == 3
    for item in data["responses"]:
        # Every question, every time: a stable structure whatever was shown.
        assert list(item["answers"]) == [f"q{q[name].id}" for name in q]
    alice = next(
        r for r in data["responses"] if (r["respondent"] or {}).get("name") == "Alice Able"
    )
    answers = alice["answers"]
    assert answers[f"q{q['school'].id}"] == {"value": "north", "label": "North"}
    assert answers[f"q{q['help'].id}"] == {
        "value": ["speech", "other"],
        "label": ["Speech", "Other"],
        "other": INJECTION,  # JSON is not a spreadsheet: the words exactly as written
        "codes": [],
    }
    assert answers[f"q{q['order'].id}"]["value"] == ["walk", "bus", "taxi"]
    assert answers[f"q{q['weeks'].id}"] == {"value": -3, "label": None}
    assert answers[f"q{q['old'].id}"] is None
    assert alice["respondent"] == {"name": "Alice Able"}
    paper = next(r for r in data["responses"] if r["channel"] == "paper")
    assert paper["respondent"] is None
    assert datetime.fromisoformat(alice["submitted"]).tzinfo is not None


def test_a_survey_with_no_responses_exports_headings_only(app, client, auth, north):
    with app.app_context():
        fresh = make_consultation(db.session.get(Area, north["consultation"].area_id))
        make_question(make_survey(fresh), prompt="Anything?", kind="long_text")
    auth.login("org@example.org")
    rows = read_csv(download(client, fresh))
    assert len(rows) == 1 and rows[0][-2:] == ["1. Anything?", "1. Anything?: codes"]
    data = json.loads(download(client, fresh, "json").get_data(as_text=True))
    assert data["responses"] == [] and len(data["survey"]["questions"]) == 1


def test_no_survey_yet(app, client, auth, north):
    auth.login("org@example.org")
    page = client.get(export_url(north["empty"]))
    assert page.status_code == 200
    assert "no survey yet" in page.get_data(as_text=True)
    response = client.post_form(export_url(north["empty"], "export.csv"))
    assert response.status_code == 303 and response.headers["Location"] == export_url(
        north["empty"]
    )


# --- the page, who may download, the audit log -----------------------------------------------


def test_the_page_explains_the_files(app, client, auth, north):
    auth.login("org@example.org")
    text = client.get(export_url(north["consultation"])).get_data(as_text=True)
    assert "3 people have sent their answers" in text
    assert "the name of each person" in text
    assert "Email addresses are left out unless you ask for them" in text
    assert 'name="include_emails"' in text and 'name="reason"' in text
    assert "2. What help?: other (please specify)" in text
    assert export_url(north["consultation"], "export.csv") in text
    assert export_url(north["consultation"], "export.json") in text
    anonymous = client.get(export_url(north["private"])).get_data(as_text=True)
    assert "no names, email addresses or times" in anonymous


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        ("visitor@example.org", 403),
        ("member@example.org", 403),
        ("responder@example.org", 403),
        ("south@example.org", 403),
        ("org@example.org", 200),
        ("admin@example.org", 200),
    ],
)
@pytest.mark.parametrize("suffix", ["export", "export.csv", "export.json"])
def test_only_organisers_of_the_area_and_admins_may_export(
    app, client, auth, north, who, status, suffix
):
    if who:
        auth.login(who)
    target = export_url(north["consultation"], suffix)
    response = client.get(target) if suffix == "export" else client.post_form(target)
    assert response.status_code == status
    text = response.get_data(as_text=True)
    if status == 403:
        assert "Only organisers of Northshire" in text
    if status != 200:
        assert "alice@example.org" not in text
        with app.app_context():
            exported = select(func.count()).where(AuditEvent.action == "survey.exported")
            assert db.session.scalar(exported) == 0


def test_another_areas_consultation_is_not_found(app, client, auth, north):
    auth.login("org@example.org")
    slug = north["consultation"].slug
    response = client.post_form(f"/areas/southvale/consultations/{slug}/survey/export.csv")
    assert response.status_code == 404


@pytest.mark.parametrize("suffix", ["export.csv", "export.json"])
def test_get_on_a_download_is_refused(app, client, auth, north, suffix):
    auth.login("org@example.org")
    response = client.get(export_url(north["consultation"], suffix))
    assert response.status_code == 405


def test_each_export_is_recorded_before_it_is_sent(app, client, auth, north):
    auth.login("admin@example.org")
    download(client, north["consultation"], "csv")
    download(client, north["consultation"], "json")
    download(client, north["private"], "csv")
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "survey.exported").order_by(AuditEvent.id)
        ).all()
        admin_id = db.session.scalar(
            select(func.min(AuditEvent.actor_id)).where(AuditEvent.action == "survey.exported")
        )
    assert [(e.detail["format"], e.detail["rows"]) for e in events] == [
        ("csv", 3),
        ("json", 3),
        ("csv", 1),
    ]
    assert {e.actor_id for e in events} == {admin_id} and admin_id is not None
    assert events[0].subject_type == "Survey" and events[0].subject_id == north["survey"].id
    assert events[2].subject_id == north["anonymous"].id
    assert all(e.area_id == north["survey"].area_id for e in events)


# --- email addresses only when asked for, with a reason ---------------------------------------

REASON = "Three parents asked us to tell them about the follow-up workshop"


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_named_exports_leave_out_email_addresses_unless_asked(app, client, auth, north, kind):
    auth.login("org@example.org")
    plain = download(client, north["consultation"], kind).get_data(as_text=True)
    assert "Alice Able" in plain
    for address in ("alice@example.org", "bob@example.org", "@example.org"):
        assert address not in plain
    assert "Email" not in plain.splitlines()[0]


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_email_addresses_come_with_a_reason_kept_in_the_audit_log(app, client, auth, north, kind):
    auth.login("org@example.org")
    with_emails = download(
        client, north["consultation"], kind, {"include_emails": "y", "reason": REASON}
    ).get_data(as_text=True)
    assert "alice@example.org" in with_emails and "bob@example.org" in with_emails
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "survey.exported")
        ).one()
    assert event.detail["emails"] is True and event.detail["reason"] == REASON
    assert event.detail["format"] == kind


def test_a_reason_without_the_box_ticked_is_not_kept(app, client, auth, north):
    auth.login("org@example.org")
    text = download(client, north["consultation"], "csv", {"reason": REASON}).text
    assert "alice@example.org" not in text
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "survey.exported")
        ).one()
    assert "reason" not in event.detail and "emails" not in event.detail


@pytest.mark.parametrize(
    "reason, message",
    [
        ("", "Say why you need the email addresses"),
        ("   ", "Say why you need the email addresses"),
        ("x" * 501, "Your reason must be 500 characters or fewer"),
    ],
)
def test_asking_for_email_addresses_without_a_good_reason_is_refused(
    app, client, auth, north, reason, message
):
    auth.login("org@example.org")
    target = export_url(north["consultation"], "export.csv")
    response = client.post_form(target, {"include_emails": "y", "reason": reason})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and text.count(message) == 2  # summary and field
    assert 'href="#reason"' in text
    assert "alice@example.org" not in text
    with app.app_context():
        exported = select(func.count()).where(AuditEvent.action == "survey.exported")
        assert db.session.scalar(exported) == 0


def test_anonymous_surveys_never_offer_email_addresses(app, client, auth, north):
    auth.login("org@example.org")
    page = client.get(export_url(north["private"])).get_data(as_text=True)
    assert 'name="include_emails"' not in page
    text = download(
        client, north["private"], "csv", {"include_emails": "y", "reason": REASON}
    ).get_data(as_text=True)
    assert "Name" not in text.splitlines()[0] and "@example.org" not in text


def test_codes_are_a_column_after_each_written_question_and_a_list_in_json(
    app, client, auth, north
):
    from forum.accounts.models import User
    from forum.surveys.coding.services import tag_answer
    from forum.surveys.models import Answer

    with app.app_context():
        survey = db.session.get(Survey, north["survey"].id)
        org = db.session.scalar(select(User).where(User.email == "org@example.org"))
        answer = db.session.scalar(
            select(Answer).where(
                Answer.question_id == north["q"]["why"].id, Answer.text.like("-2%")
            )
        )
        for name in ("Transport", "bus", "=HYPERLINK()"):
            tag_answer(survey, answer, name, actor=org)
        db.session.commit()
        reference = db.session.get(Response, answer.response_id).reference
    auth.login("org@example.org")
    rows = by_reference(read_csv(download(client, north["consultation"])))
    # A to Z, "; " between them, and a code that looks like a formula is defused
    assert rows[reference]["3. Why North?: codes"] == "'=HYPERLINK(); bus; Transport"
    others = [row for ref, row in rows.items() if ref != reference]
    assert others and all(row["3. Why North?: codes"] == "" for row in others)
    data = json.loads(download(client, north["consultation"], "json").get_data(as_text=True))
    found = next(r for r in data["responses"] if r["reference"] == reference)
    assert found["answers"][f"q{north['q']['why'].id}"]["codes"] == [
        "=HYPERLINK()",
        "bus",
        "Transport",
    ]
    described = {q["key"]: q["is_coded"] for q in data["survey"]["questions"]}
    assert described[f"q{north['q']['why'].id}"] is True
    assert described[f"q{north['q']['school'].id}"] is False
