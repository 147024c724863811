"""Open data: only published things, suppressed aggregates, no personal data, a versioned
schema that the docs describe field by field, and CSV cells that cannot run as formulas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from forum.extensions import db
from forum.outcomes.open_data import schema
from forum.plans.models import Commitment
from tests.factories import make_area, make_commitment, make_consultation, make_plan, make_priority
from tests.outcomes.worlds import SECRET_ANSWER, SECRET_POST, build_ledger
from tests.support import HUGE, RTL_EMOJI, SCRIPT

DOCS = Path(__file__).resolve().parents[3] / "docs" / "open-data.md"


@pytest.fixture(scope="module")
def ledger(world_app):
    """Built once for the module; each test works in a savepoint rolled back when it ends."""
    with world_app.app_context():
        return build_ledger()


def _json(client, ledger) -> dict:
    response = client.get(f"/areas/{ledger.area.slug}/open-data/ledger.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return json.loads(response.get_data(as_text=True))


def _csv(client, ledger, name: str) -> list[list[str]]:
    response = client.get(f"/areas/{ledger.area.slug}/open-data/{name}.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_index_page_lists_every_file_and_the_schema(client, ledger):
    response = client.get(f"/areas/{ledger.area.slug}/open-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"/areas/{ledger.area.slug}/open-data/ledger.json" in page
    for file in schema.SCHEMA:
        assert f"/areas/{ledger.area.slug}/open-data/{file.name}.csv" in page
    assert "/open-data/schema" in page


def test_schema_page_documents_every_field(client):
    page = client.get("/open-data/schema").get_data(as_text=True)
    for file in schema.SCHEMA:
        for field in file.fields:
            assert f"<code>{field.name}</code>" in page


def test_docs_document_every_field_and_the_version():
    text = DOCS.read_text(encoding="utf-8")
    assert f"Schema version: {schema.SCHEMA_VERSION}" in text
    for file in schema.SCHEMA:
        assert f"`{file.csv_name}`" in text
        for field in file.fields:
            assert f"| `{field.name}` |" in text, f"{file.name}.{field.name} is not documented"


def test_json_holds_only_published_things(client, ledger):
    data = _json(client, ledger)
    assert data["schema_version"] == "2.2"
    assert data["area"]["slug"] == ledger.area.slug
    assert [p["title"] for p in data["plans"]] == ["Northshire inclusion plan"]
    assert data["plans"][0]["url"] == (
        f"http://localhost/areas/{ledger.area.slug}/plans/{ledger.plan.slug}"
    )
    assert all(
        c["url"].startswith(f"http://localhost/areas/{ledger.area.slug}/consultations/")
        for c in data["consultations"]
    )
    assert {p["code"] for p in data["priorities"]} == {"P1", "P1.1", "P2"}
    assert len(data["commitments"]) == 4
    # three published consultations; the draft is left out
    assert len(data["consultations"]) == 3
    assert {t["title"] for t in data["themes"]} == {
        "Help comes too late",
        "School staff need training",
    }
    outcomes = sorted(d["outcome"] for d in data["decisions"])
    assert outcomes == ["adopted", "not_adopted", "under_consideration"]
    assert {d["partner"] for d in data["decisions"]} == {"Northshire Council", "Northshire ICB"}
    sub = next(p for p in data["priorities"] if p["code"] == "P1.1")
    top = next(p for p in data["priorities"] if p["code"] == "P1")
    assert sub["parent_id"] == top["priority_id"]


def test_json_suppresses_small_counts(client, ledger):
    data = _json(client, ledger)
    counts = {(c["participants"], c["feedback_items"]) for c in data["consultations"]}
    # c1: 3 people (withheld) and 5 items; c2: 1 and 1 (both withheld); c3: none
    assert counts == {(None, 5), (None, None), (0, 0)}
    whole = next(r for r in data["scorecard"] if r["priority_id"] is None)
    assert whole["participants"] is None  # 4 people
    assert whole["feedback_items"] == 5  # 6, rounded to the nearest 5
    assert whole["take_up_percent"] == 50
    assert whole["median_days_to_respond"] == 32.5
    assert whole["commitments_done"] == 2
    assert [r["priority_code"] for r in data["scorecard"]] == ["P1", "P2", None]


def test_no_personal_data_anywhere(client, ledger):
    bodies = [client.get(f"/areas/{ledger.area.slug}/open-data/ledger.json").get_data(as_text=True)]
    for file in schema.SCHEMA:
        bodies.append(
            client.get(f"/areas/{ledger.area.slug}/open-data/{file.name}.csv").get_data(
                as_text=True
            )
        )
    for body in bodies:
        for email in ledger.emails:
            assert email not in body
        for name in ledger.names:
            assert name not in body
        assert SECRET_ANSWER not in body
        assert SECRET_POST not in body
        assert "We need help sooner" not in body
        assert "Secret draft strategy" not in body
        assert "Unpublished theme" not in body
        assert "No money" not in body  # the unpublished decision's reason


def test_csv_files_have_the_documented_header_and_version(client, ledger):
    for file in schema.SCHEMA:
        rows = _csv(client, ledger, file.name)
        assert rows[0] == [f.name for f in file.fields]
        assert rows[0][0] == "schema_version"
        assert all(row[0] == "2.2" for row in rows[1:])
        assert all(len(row) == len(rows[0]) for row in rows[1:])
    consultations = _csv(client, ledger, "consultations")
    assert len(consultations) == 4
    header = consultations[0]
    participants = {row[header.index("participants")] for row in consultations[1:]}
    assert participants == {"", "0"}  # 3 and 1 people are withheld; 0 is shown


def test_csv_cells_cannot_run_as_formulas(app, client):
    with app.app_context():
        area = make_area()
        plan = make_plan(area, title='=HYPERLINK("http://evil.example","Click")')
        priority = make_priority(area, code="P1", plan=plan)
        from tests.factories import make_partner

        commitment = make_commitment(priority, make_partner(area), title="+1+cmd|' /C calc'!A0")
        c = db.session.get(Commitment, commitment.id)
        c.description = "@SUM(1+1)"
        c.dropped_reason = "-2+3"
        db.session.commit()
    plans = client.get(f"/areas/{area.slug}/open-data/plans.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in plans
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/areas/{area.slug}/open-data/commitments.csv").get_data(as_text=True)
            )
        )
    )
    header, row = rows[0], rows[1]
    assert row[header.index("title")] == "'+1+cmd|' /C calc'!A0"
    assert row[header.index("description")] == "'@SUM(1+1)"
    assert row[header.index("dropped_reason")] == "'-2+3"
    # the JSON keeps the text exactly
    data = json.loads(
        client.get(f"/areas/{area.slug}/open-data/ledger.json").get_data(as_text=True)
    )
    assert data["commitments"][0]["title"] == "+1+cmd|' /C calc'!A0"


def test_unpublished_plan_is_left_out_even_for_organisers(app, client, auth, ledger):
    auth.login(ledger.emails[-1])
    data = _json(client, ledger)
    assert "Secret draft strategy" not in json.dumps(data)
    assert "D1" not in {p["code"] for p in data["priorities"]}


@pytest.mark.parametrize("name", ["users", "answers", "posts", HUGE[:200], SCRIPT, RTL_EMOJI])
def test_unknown_files_are_not_found(client, ledger, name):
    response = client.get(f"/areas/{ledger.area.slug}/open-data/{name}.csv")
    assert response.status_code == 404


def test_unknown_area_is_not_found(client):
    assert client.get("/areas/nowhere/open-data").status_code == 404
    assert client.get("/areas/nowhere/open-data/ledger.json").status_code == 404
    assert client.get("/areas/nowhere/open-data/plans.csv").status_code == 404


def test_empty_area(app, client):
    with app.app_context():
        area = make_area()
        make_consultation(area, state="draft")
    data = json.loads(
        client.get(f"/areas/{area.slug}/open-data/ledger.json").get_data(as_text=True)
    )
    assert all(data[file.name] == [] for file in schema.SCHEMA)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/areas/{area.slug}/open-data/scorecard.csv").get_data(as_text=True)
            )
        )
    )
    assert len(rows) == 1


def test_open_data_statements_do_not_grow_with_answers(app, client, ledger):
    from tests.outcomes.worlds import assert_cost_does_not_grow_with_answers

    url = f"/areas/{ledger.area.slug}/open-data/ledger.json"
    assert_cost_does_not_grow_with_answers(app, client, url, 500)


def test_scorecard_and_national_pages_link_to_the_open_data(client, ledger):
    scorecard = client.get(
        f"/areas/{ledger.area.slug}/plans/{ledger.plan.slug}/scorecard"
    ).get_data(as_text=True)
    assert f'href="/areas/{ledger.area.slug}/open-data"' in scorecard
    assert 'href="/open-data/schema"' in client.get("/national").get_data(as_text=True)


def test_updates_of_published_plans_only(app, client, ledger):
    from forum.plans.models import CommitmentStatus, ProgressUpdate

    with app.app_context():
        draft_priority = make_priority(ledger.area, code="D2", plan=ledger.draft_plan)
        hidden = make_commitment(draft_priority, ledger.council, title="Draft commitment")
        shown = db.session.scalars(
            db.select(Commitment)
            .where(Commitment.area_id == ledger.area.id)
            .order_by(Commitment.id)
        ).first()
        for commitment, text in (
            (shown, "Training started in 12 schools"),
            (hidden, "Secret step"),
        ):
            db.session.add(
                ProgressUpdate(
                    commitment_id=commitment.id,
                    area_id=ledger.area.id,
                    text=text,
                    evidence_url="https://example.org/report",
                    status_before=CommitmentStatus.NOT_STARTED,
                    status_after=CommitmentStatus.ON_TRACK,
                    progress_before=0,
                    progress_after=20,
                    partner_id=ledger.council.id,
                    created_by_id=None,
                )
            )
        db.session.commit()
    data = _json(client, ledger)
    assert [u["text"] for u in data["updates"]] == ["Training started in 12 schools"]
    update = data["updates"][0]
    assert update["on_behalf_of"] == "Northshire Council"
    assert (update["status_before"], update["status_after"]) == ("not_started", "on_track")
    assert "Draft commitment" not in json.dumps(data)
    rows = _csv(client, ledger, "updates")
    assert len(rows) == 2 and "Secret step" not in str(rows)
