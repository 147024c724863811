"""The CSV import: every row checked first with a per-row report and nothing imported on any
mistake; otherwise everything in one go; importing again updates rather than duplicates."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.plans import importing
from forum.plans.models import Commitment, CommitmentStatus, LocalPlan, Priority, ProgressUpdate
from tests.plans.worlds import PLAN

GOOD = (
    "type,code,parent_code,title,description,owner,due,status,progress,weight\n"
    "commitment,,P3.1,Counsellor in every school,,NHS Northshire ICB,31/03/2027,On track,25%,2\n"
    "priority,P3.1,P3,School counsellors,,,,,,\n"
    "priority,P3,,Mental health,Support in school,,,,,\n"
    "commitment,,P3,Waiting list under 18 weeks,,northshire county council,2027-09-30,,,\n"
)


def check(app, world, text, encoding="utf-8"):
    with app.app_context():
        plan = db.session.get(LocalPlan, world.plan_id)
        data = text.encode(encoding) if isinstance(text, str) else text
        return importing.check(plan, data)


def counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Priority)),
            db.session.scalar(select(func.count()).select_from(Commitment)),
        )


def upload(client, text, name="plan.csv", htmx=False):
    data = text.encode() if isinstance(text, str) else text
    return client.post_form(
        f"{PLAN}/import",
        {"file": (BytesIO(data), name)},
        htmx=htmx,
        content_type="multipart/form-data",
    )


def test_good_file_imports_everything(app, client, auth, world):
    before = counts(app)
    auth.login("org@example.org")
    response = upload(client, GOOD)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    assert counts(app) == (before[0] + 2, before[1] + 2)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported: 2 priorities and 2 commitments added." in page
    with app.app_context():
        sub = db.session.scalar(select(Priority).where(Priority.code == "P3.1"))
        assert sub.parent.code == "P3"
        made = db.session.scalar(select(Commitment).where(Commitment.title.like("Counsellor%")))
        assert (made.status, made.progress, made.weight) == (CommitmentStatus.ON_TRACK, 25, 2)
        assert made.due_on.isoformat() == "2027-03-31" and made.partner_id == world.icb_id
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.imported"))
        org = db.session.scalar(select(User).where(User.email == "org@example.org"))
        assert event.actor_id == org.id and event.detail["commitments_added"] == 2


def test_importing_again_updates_not_duplicates(app, client, auth, world, notified):
    auth.login("org@example.org")
    upload(client, GOOD)
    after_first = counts(app)
    changed = GOOD.replace("On track,25%", "At risk,30")
    response = upload(client, changed)
    assert response.status_code == 303
    assert counts(app) == after_first
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 priorities and 2 commitments updated" in page
    with app.app_context():
        made = db.session.scalar(select(Commitment).where(Commitment.title.like("Counsellor%")))
        assert (made.status, made.progress) == (CommitmentStatus.AT_RISK, 30)
        # The change of status reached the public timeline and the people linked to it.
        entry = db.session.scalar(
            select(ProgressUpdate).where(ProgressUpdate.commitment_id == made.id)
        )
        assert entry.status_after is CommitmentStatus.AT_RISK
    assert len(notified) == 1


def test_existing_priority_codes_are_updated(app, world):
    checked = check(app, world, "type,code,title\npriority,P1,Early help for all\n")
    assert checked.ok
    with app.app_context():
        plan = db.session.get(LocalPlan, world.plan_id)
        result = importing.apply(plan, checked.rows, actor=None)
        assert (result.priorities_added, result.priorities_updated) == (0, 1)
        assert db.session.get(Priority, world.p1).title == "Early help for all"


BAD_ROWS = [
    ("type,title\nthing,Hello\n", 2, "type", "priority"),
    ("type,code,title\npriority,,No code\n", 2, "code", "reference"),
    ("type,code,title\npriority,P 1,Bad code\n", 2, "code", "letters"),
    ("type,code,title\npriority,P7,A\npriority,p7,B\n", 3, "code", "row 2"),
    ("type,code,parent_code,title\npriority,P7,P99,A\n", 2, "parent_code", "no priority P99"),
    (
        "type,code,parent_code,title\npriority,P7,P8,A\npriority,P8,P7,B\n",
        2,
        "parent_code",
        "own sub-priorities",
    ),
    ("type,code,parent_code,title\npriority,P7,P7,A\n", 2, "parent_code", "itself"),
    (
        "type,parent_code,title,owner\ncommitment,P1,T,Nobody Ltd\n",
        2,
        "owner",
        "not one of this area",
    ),
    ("type,parent_code,title\ncommitment,P1,T\n", 2, "owner", "Enter the organisation"),
    (
        "type,parent_code,title,owner\ncommitment,,T,NHS Northshire ICB\n",
        2,
        "parent_code",
        "Enter the reference",
    ),
    (
        "type,parent_code,title,owner,due\ncommitment,P1,T,NHS Northshire ICB,31/02/2027\n",
        2,
        "due",
        "real date",
    ),
    (
        "type,parent_code,title,owner,due\ncommitment,P1,T,NHS Northshire ICB,tomorrow\n",
        2,
        "due",
        "real date",
    ),
    (
        "type,parent_code,title,owner,progress\ncommitment,P1,T,NHS Northshire ICB,101\n",
        2,
        "progress",
        "0 to 100",
    ),
    (
        "type,parent_code,title,owner,progress\ncommitment,P1,T,NHS Northshire ICB,-5\n",
        2,
        "progress",
        "0 to 100",
    ),
    (
        "type,parent_code,title,owner,weight\ncommitment,P1,T,NHS Northshire ICB,0\n",
        2,
        "weight",
        "1 to 100",
    ),
    (
        "type,parent_code,title,owner,status\ncommitment,P1,T,NHS Northshire ICB,finished\n",
        2,
        "status",
        "one of",
    ),
    (
        "type,parent_code,title,owner,status\ncommitment,P1,T,NHS Northshire ICB,dropped\n",
        2,
        "dropped_reason",
        "why",
    ),
    ('type,code,title\npriority,P7,=HYPERLINK("http://x")\n', 2, "title", "formula"),
    ("type,code,title\npriority,P7,@SUM(A1)\n", 2, "title", "formula"),
    ("type,code,title\npriority,P7," + "x" * 201 + "\n", 2, "title", "200 characters"),
    ("type,code,title\npriority,P7,\n", 2, "title", "Enter a title"),
    ("type,code,title,colour\npriority,P7,A,red\n", 1, "colour", "Unknown column"),
    ("code,title\nP7,A\n", 1, "type", "heading row"),
    (
        "type,parent_code,title,owner\ncommitment,P1,Same,NHS Northshire ICB\n"
        "commitment,p1,same,NHS Northshire ICB\n",
        3,
        "title",
        "row 2",
    ),
]


@pytest.mark.parametrize("text,row,column,words", BAD_ROWS)
def test_bad_rows_are_reported(app, world, text, row, column, words):
    checked = check(app, world, text)
    assert not checked.ok
    assert any(
        p.row == row and p.column == column and words.lower() in p.message.lower()
        for p in checked.problems
    ), checked.problems


@pytest.mark.parametrize(
    "data,words",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"type,title\n", "no rows"),
        (b"PK\x03\x04binary", "not a CSV"),
        (b"type,title\x00\n", "not a CSV"),
        (b"type,title\n" + b"priority,x\n" * 10, None),
        (b"x" * (importing.MAX_BYTES + 1), "bigger than"),
        (b"type,code,title\n" + b"priority,P,x\n" * (importing.MAX_ROWS + 1), "2,000"),
        (b'type,title\npriority,"' + b"x" * 200_000 + b'"\n', "cell"),
    ],
)
def test_whole_file_problems(app, world, data, words):
    checked = check(app, world, data)
    if words is None:
        assert not checked.ok  # rows without codes: reported per row, not as a file problem
        assert all(p.row >= 2 for p in checked.problems)
        return
    assert not checked.ok
    assert words.lower() in " ".join(p.message for p in checked.problems).lower()


def test_bom_and_windows_encoding_are_read(app, world):
    text = "type,code,title\npriority,P7,Café and crèche\n"
    for data in (b"\xef\xbb\xbf" + text.encode(), text.encode("cp1252")):
        checked = check(app, world, data)
        assert checked.ok, checked.problems
        assert checked.rows[0].title == "Café and crèche"


def test_hostile_html_is_kept_as_text_and_shown_escaped(app, client, auth, world):
    auth.login("org@example.org")
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    text = (
        f'type,code,title,description\npriority,P7,"{hostile.replace(chr(34), chr(34) * 2)}",ok\n'
    )
    assert upload(client, text).status_code == 303
    page = client.get(PLAN).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_a_bad_row_imports_nothing_and_shows_the_report(app, client, auth, world):
    before = counts(app)
    auth.login("org@example.org")
    text = GOOD + "commitment,,P3,Bad progress,,NHS Northshire ICB,,,150,\n"
    response = upload(client, text)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "<caption" in page and "What to fix" in page
    assert "must be a whole number from 0 to 100" in page.lower()
    assert counts(app) == before


def test_no_file_chosen(client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(f"{PLAN}/import", {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a CSV file" in response.get_data(as_text=True)


def test_import_with_htmx_redirects(client, auth, world):
    auth.login("org@example.org")
    response = upload(client, GOOD, htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith(PLAN)


def test_example_file_imports_cleanly(app, world):
    with app.app_context():
        plan = db.session.get(LocalPlan, world.plan_id)
        generic = importing.check(plan, importing.example_csv().encode())
        names = ["NHS Northshire ICB", "Northshire County Council"]
        own = importing.check(plan, importing.example_csv(names).encode())
    # The generic example names partners this area does not have; the area's own does not.
    assert [p.column for p in generic.problems] == ["owner"]
    assert own.ok, own.problems
