"""A form's POST happens once (forum/web/submissions.py): copies of one create form sent at the
same moment make one thing, and every copy lands where the first went. Issue 12, point 14."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.areas.models import Area
from forum.discussions.models import Board, Post, Thread
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, LocalPlan, Priority, ProgressUpdate
from forum.web.submissions import KEEP, SubmissionKey, purge_submission_keys
from tests.conftest import AuthActions
from tests.discussions.worlds import build_moderation_place
from tests.factories import (
    make_commitment,
    make_consultation,
    make_partner,
    make_plan,
    make_priority,
)

PASSWORD = "correct-horse-battery-staple"
KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')


def _place(app) -> dict:
    with app.app_context():
        place = build_moderation_place()
        area = db.session.get(Area, place["area_id"])
        place["board_slug"] = db.session.get(Board, place["board_id"]).slug
        plan = make_plan(area, title="Local Inclusion Plan")
        priority = make_priority(area, code="P1", title="Early help", plan=plan)
        council = make_partner(area, name="Northshire County Council")
        commitment = make_commitment(priority, council, title="Open four hubs")
        closed = make_consultation(area, state="closed", title="Short breaks")
        db.session.commit()
        place["plan_slug"] = plan.slug
        place["priority_id"] = priority.id
        place["commitment_id"] = commitment.id
        place["closed"] = closed.slug
        return place


def _forms(place) -> dict:
    """name: (page with the form, where it posts, what it sends, count of what it makes)"""
    board = f"/areas/north/discussions/{place['board_slug']}"
    thread = f"/areas/north/discussions/threads/{place['thread_id']}"
    commitments = (
        f"/areas/north/plans/{place['plan_slug']}/priorities/{place['priority_id']}/commitments/new"
    )
    commitment = f"/areas/north/plans/{place['plan_slug']}/commitments/{place['commitment_id']}"
    themes = f"/areas/north/consultations/{place['closed']}/themes/new"
    return {
        "progress update": (
            commitment,
            commitment + "/updates",
            {
                "text": "Two hubs are open",
                "evidence_url": "",
                "status": "on_track",
                "progress": "50",
                "dropped_reason": "",
            },
            lambda: db.session.scalar(
                select(func.count()).where(ProgressUpdate.text == "Two hubs are open")
            ),
        ),
        "theme": (
            themes,
            themes,
            {"title": "Waiting too long", "summary": "Families wait months for a first visit."},
            lambda: db.session.scalar(
                select(func.count()).where(Theme.title == "Waiting too long")
            ),
        ),
        "thread": (
            board + "/new",
            board + "/new",
            {"title": "Transport to school", "body": "Who else has had the letter?"},
            lambda: db.session.scalar(
                select(func.count()).where(Thread.title == "Transport to school")
            ),
        ),
        "reply": (
            thread,
            thread + "/reply",
            {"body": "Same here, since September"},
            lambda: db.session.scalar(
                select(func.count()).where(Post.body == "Same here, since September")
            ),
        ),
        "commitment": (
            commitments,
            commitments,
            {
                "partner_id": "",  # filled in below
                "title": "Open four family hubs",
                "description": "",
                "status": "not_started",
                "progress": "0",
                "weight": "1",
                "dropped_reason": "",
            },
            lambda: db.session.scalar(
                select(func.count()).where(Commitment.title == "Open four family hubs")
            ),
        ),
    }


def _signed_in(make_client, email: str):
    client = make_client()
    AuthActions(client).login(email, PASSWORD)
    client.csrf_token(refresh=True)
    return client


@pytest.mark.real_commits
@pytest.mark.parametrize("form", ["thread", "reply", "commitment", "progress update", "theme"])
def test_three_copies_of_one_form_sent_at_once_make_one(app, make_client, form):
    place = _place(app)
    page, url, data, count = _forms(place)[form]
    # One person, three browsers (or tabs, or a triple click): the same form, sent at once.
    clients = [_signed_in(make_client, "olu@example.org") for _ in range(3)]
    rendered = clients[0].get(page).get_data(as_text=True)
    data = {**data, "submission_key": KEY.search(rendered).group(1)}
    if form == "commitment":
        data["partner_id"] = re.search(r'<option value="(\d+)"', rendered).group(1)
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, str]] = []

    def send(client):
        barrier.wait()
        response = client.post_form(url, data)
        results.append((response.status_code, response.headers.get("Location", "")))

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        assert count() == 1
    assert [status for status, _ in results] == [303, 303, 303], results
    assert len({location for _, location in results}) == 1, results


def test_a_form_sent_again_lands_where_the_first_went(app, client, auth):
    place = _place(app)
    page, url, data, count = _forms(place)["thread"]
    auth.login("olu@example.org")
    key = KEY.search(client.get(page).get_data(as_text=True)).group(1)
    first = client.post_form(url, {**data, "submission_key": key})
    second = client.post_form(url, {**data, "submission_key": key})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert count() == 1
        [row] = db.session.scalars(select(SubmissionKey)).all()
        assert row.key == key and row.url == first.headers["Location"]
        assert row.owner == f"user:{place['olu']}"


def test_the_same_key_from_someone_else_is_their_own_submission(app, client, auth):
    """The key is claimed per person: another person who sends it (a copied page) is not
    redirected to the first person's thread, and makes their own."""
    place = _place(app)
    page, url, data, count = _forms(place)["thread"]
    auth.login("olu@example.org")
    key = KEY.search(client.get(page).get_data(as_text=True)).group(1)
    assert client.post_form(url, {**data, "submission_key": key}).status_code == 303
    auth.logout()
    auth.login("ana@example.org")
    assert client.post_form(url, {**data, "submission_key": key}).status_code == 303
    with app.app_context():
        assert count() == 2


@pytest.mark.parametrize("key", [None, "", "x" * 65, "not a key!", "ключ-ключ-ключ"])
def test_a_form_without_a_usable_key_works_as_before(app, client, auth, key):
    """Older pages and scripts send no key: each POST does the work, as it always did."""
    place = _place(app)
    _, url, data, count = _forms(place)["thread"]
    auth.login("olu@example.org")
    sent = data if key is None else {**data, "submission_key": key}
    assert client.post_form(url, sent).status_code == 303
    assert client.post_form(url, sent).status_code == 303
    with app.app_context():
        assert count() == 2
        assert db.session.scalar(select(func.count()).select_from(SubmissionKey)) == 0


def test_a_refused_form_does_not_use_up_its_key(app, client, auth):
    """A form shown again with a mistake can be corrected and sent with the same key."""
    place = _place(app)
    page, url, data, count = _forms(place)["thread"]
    auth.login("olu@example.org")
    key = KEY.search(client.get(page).get_data(as_text=True)).group(1)
    bad = client.post_form(url, {**data, "title": "", "submission_key": key})
    assert bad.status_code == 422
    good = client.post_form(url, {**data, "submission_key": key})
    assert good.status_code == 303
    with app.app_context():
        assert count() == 1


def test_keys_older_than_a_day_are_purged(app):
    now = utcnow()
    with app.app_context():
        for age, key in ((KEEP + timedelta(minutes=1), "old-key-1"), (KEEP / 2, "new-key-1")):
            db.session.add(SubmissionKey(key=key, owner="user:1", url="/", created_at=now - age))
        db.session.commit()
        assert purge_submission_keys(now) == 1
        db.session.commit()
        assert list(db.session.scalars(select(SubmissionKey.key))) == ["new-key-1"]


def test_the_plan_and_priority_used_here_exist(app):
    """The world above makes what the commitment form needs (a guard on the test itself)."""
    place = _place(app)
    with app.app_context():
        plan = db.session.scalar(select(LocalPlan).where(LocalPlan.slug == place["plan_slug"]))
        assert plan is not None and db.session.get(Priority, place["priority_id"]) is not None


def test_a_form_finished_without_a_claim_is_recorded_by_one_upsert(app):
    """`finish` without `claim` (the survey answer form's way): one INSERT … ON CONFLICT, no
    UPDATE that finds nothing before it; a second finish of the same key moves its address."""
    from forum.web.submissions import finish
    from tests.support import recorded_statements

    with app.test_request_context("/"):
        with recorded_statements(app) as statements:
            finish("unclaimed-key-1", "/first")
        written = [s for s in statements if "submission_keys" in s]
        assert len(written) == 1 and written[0].startswith("INSERT INTO submission_keys")
        assert "ON CONFLICT" in written[0]
        finish("unclaimed-key-1", "/second")
        rows = db.session.execute(
            select(SubmissionKey.url).where(SubmissionKey.key == "unclaimed-key-1")
        ).all()
        assert [url for (url,) in rows] == ["/second"]
