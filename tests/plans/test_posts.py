"""Every POST the plans add answers a plain form with 303 See Other and htmx with 204 and
HX-Redirect, and does what it says."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.plans.models import Commitment, LocalPlan, Priority, ProgressUpdate
from tests.plans.worlds import DRAFT, PLAN
from tests.support import assert_redirects_after_post

CSV = (
    "type,code,parent_code,title,owner,status,progress\n"
    "priority,P9,,Short breaks,,,\n"
    "commitment,,P9,More short break places,Northshire County Council,on track,10\n"
)


def _csv(app):
    from io import BytesIO

    return {"file": (BytesIO(CSV.encode()), "plan.csv")}


#: one entry per POST endpoint: (who, url(world), data or data(app))
POSTS = {
    "new plan": (
        "org@example.org",
        lambda w: "/areas/northshire/plans/new",
        {"title": "SEND strategy 2027", "kind": "send_strategy"},
    ),
    "edit plan": (
        "org@example.org",
        lambda w: f"{PLAN}/edit",
        {"title": "Local Inclusion Plan 2026", "kind": "inclusion_plan"},
    ),
    "publish plan": ("org@example.org", lambda w: f"{DRAFT}/publish", {}),
    "unpublish plan": ("org@example.org", lambda w: f"{PLAN}/unpublish", {}),
    "delete plan": ("org@example.org", lambda w: "/areas/northshire/plans/empty/delete", {}),
    "new priority": (
        "org@example.org",
        lambda w: f"{PLAN}/priorities/new",
        {"code": "P3", "title": "Preparing for adulthood", "parent_id": ""},
    ),
    "edit priority": (
        "org@example.org",
        lambda w: f"{PLAN}/priorities/{w.p2}/edit",
        {"code": "P2", "title": "Mental health in schools", "parent_id": ""},
    ),
    "move priority": (
        "org@example.org",
        lambda w: f"{PLAN}/priorities/{w.p2}/move",
        {"direction": "up"},
    ),
    "delete priority": ("org@example.org", lambda w: f"{PLAN}/priorities/{w.p2}/delete", {}),
    "new commitment": (
        "council@example.org",
        lambda w: f"{PLAN}/priorities/{w.p2}/commitments/new",
        {
            "title": "Counsellor in every school",
            "status": "not_started",
            "progress": "0",
            "weight": "1",
        },
    ),
    "edit commitment": (
        "council@example.org",
        lambda w: f"{PLAN}/commitments/{w.c1}/edit",
        {"title": "Open four hubs", "status": "at_risk", "progress": "45", "weight": "1"},
    ),
    "delete commitment": ("org@example.org", lambda w: f"{PLAN}/commitments/{w.c1}/delete", {}),
    "post update": (
        "icb@example.org",
        lambda w: f"{PLAN}/commitments/{w.c2}/updates",
        {"text": "Half trained.", "status": "on_track", "progress": "50"},
    ),
    "import csv": ("org@example.org", lambda w: f"{PLAN}/import", _csv),
}


@pytest.fixture
def empty_plan(app, world):
    with app.app_context():
        from tests.factories import make_plan
        from tests.plans.worlds import set_slug

        plan = make_plan(db.session.get(LocalPlan, world.plan_id).area, published=False)
        set_slug(plan, "empty")


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("plans.")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, empty_plan, case, htmx):
    who, url, data = POSTS[case]
    auth.login(who)
    data = data(app) if callable(data) else dict(data)
    response = client.post_form(url(world), data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx, shown=500)


def counts(app):
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (LocalPlan, Priority, Commitment, ProgressUpdate)
        }


def test_posts_change_what_they_say(app, client, auth, world, empty_plan):
    before = counts(app)
    auth.login("org@example.org")
    client.post_form(f"{PLAN}/priorities/new", POSTS["new priority"][2])
    client.post_form(f"{PLAN}/commitments/{world.c1}/delete", {})
    client.post_form("/areas/northshire/plans/empty/delete", {})
    client.post_form(f"{PLAN}/import", _csv(app))
    after = counts(app)
    assert after["Priority"] == before["Priority"] + 2
    assert after["Commitment"] == before["Commitment"] - 1 + 1
    assert after["LocalPlan"] == before["LocalPlan"] - 1


def test_same_form_twice_does_the_work_once(app, client, auth, world):
    auth.login("org@example.org")
    data = dict(POSTS["new priority"][2], submission_key="same-key-123")
    first = client.post_form(f"{PLAN}/priorities/new", data)
    second = client.post_form(f"{PLAN}/priorities/new", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Priority).where(Priority.code == "P3")
            )
            == 1
        )


def test_move_changes_order(app, client, auth, world):
    auth.login("org@example.org")
    client.post_form(f"{PLAN}/priorities/{world.p2}/move", {"direction": "up"})
    page = client.get(PLAN).get_data(as_text=True)
    assert page.index("Mental health") < page.index("Early help")


def test_publish_and_unpublish(app, client, auth, world):
    auth.login("org@example.org")
    client.post_form(f"{DRAFT}/publish", {})
    auth.logout()
    assert client.get(DRAFT).status_code == 200
    auth.login("org@example.org")
    client.post_form(f"{DRAFT}/unpublish", {})
    auth.logout()
    assert client.get(DRAFT).status_code != 200
