"""Approve (or decline) selected requests to join: one form, checkboxes tied to it by their
`form` attribute, so it works without JavaScript. Stale and doubled submissions are harmless,
other areas' requests are never touched, and each approval is emailed as a single one is."""

import re

import pytest
from sqlalchemy import func, select

from forum.areas.models import Membership, MembershipStatus, Role
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.areas.worlds import make_northshire_with_council
from tests.factories import make_area, make_membership, make_person_in, make_user
from tests.support import SCRIPT as HOSTILE_TEXT
from tests.support import assert_redirects_after_post

URL = "/areas/northshire/members/requests"


@pytest.fixture
def world(app):
    with app.app_context():
        area, _organiser, _council = make_northshire_with_council()
        make_person_in(area, Role.MEMBER, email="member@example.org")
        elsewhere = make_area(slug="southshire")
        make_person_in(elsewhere, Role.ORGANISER, email="south-org@example.org")
        ids = {}
        for name in ("ann", "bob", "cat"):
            user = make_user(email=f"{name}@example.org", name=name.title())
            ids[name] = make_membership(user, area, Role.MEMBER, status=MembershipStatus.PENDING).id
        stranger = make_user(email="south@example.org", name="Dee")
        ids["south"] = make_membership(
            stranger, elsewhere, Role.MEMBER, status=MembershipStatus.PENDING
        ).id
    return ids


def statuses(app):
    with app.app_context():
        return {m.user.display_name: m.status.value for m in db.session.scalars(select(Membership))}


def emails(app, kind):
    with app.app_context():
        return sorted(
            db.session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.kind == kind))
        )


POSTS = {
    "approve selected": (
        "org@example.org",
        lambda w: URL,
        lambda w: {"requests": [w["ann"]], "decision": "approve"},
    ),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    auth.login(who)
    assert_redirects_after_post(client.post_form(url(world), data(world), htmx=htmx), htmx=htmx)


def organiser(auth):
    auth.login("org@example.org")


def test_the_page_has_a_box_per_request_tied_to_one_form(client, auth, world):
    organiser(auth)
    page = client.get("/areas/northshire/members").get_data(as_text=True)
    for name in ("ann", "bob", "cat"):
        assert f'value="{world[name]}" form="bulk-requests"' in page
    assert f'value="{world["south"]}"' not in page
    assert 'id="bulk-requests"' in page and "Approve selected" in page
    assert "Decline selected" in page


def test_approve_selected_approves_and_emails_each(app, client, auth, world):
    organiser(auth)
    response = client.post_form(
        URL, {"requests": [world["ann"], world["bob"]], "decision": "approve"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/areas/northshire/members"
    page = client.get("/areas/northshire/members").get_data(as_text=True)
    assert "Approved 2: Ann, Bob." in page
    found = statuses(app)
    assert (found["Ann"], found["Bob"], found["Cat"]) == ("active", "active", "pending")
    assert emails(app, "join_approved") == ["ann@example.org", "bob@example.org"]
    with app.app_context():
        approved = db.session.scalar(
            select(func.count()).where(AuditEvent.action == "membership.approved")
        )
    assert approved == 2


def test_decline_selected(app, client, auth, world):
    organiser(auth)
    client.post_form(URL, {"requests": [world["cat"]], "decision": "decline"})
    assert statuses(app)["Cat"] == "declined"
    assert emails(app, "join_declined") == ["cat@example.org"]


def test_stale_and_double_submissions_are_harmless(app, client, auth, world):
    organiser(auth)
    client.post_form(f"/areas/northshire/members/{world['ann']}/approve")
    response = client.post_form(
        URL, {"requests": [world["ann"], world["bob"], world["bob"]], "decision": "approve"}
    )
    assert response.status_code == 303
    page = client.get("/areas/northshire/members").get_data(as_text=True)
    assert "Approved 1: Bob." in page
    assert "Already dealt with, so left as they were: Ann." in page
    assert emails(app, "join_approved") == ["ann@example.org", "bob@example.org"]
    # the same form sent twice (one submission key): the second is sent to the first's result
    form = client.get("/areas/northshire/members").get_data(as_text=True)

    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', form)
    key = key or re.search(r'value="([^"]+)"[^>]*name="submission_key"', form)
    data = {"requests": [world["cat"]], "decision": "decline", "submission_key": key.group(1)}
    first = client.post_form(URL, data)
    again = client.post_form(URL, data)
    assert first.status_code == again.status_code == 303
    assert emails(app, "join_declined") == ["cat@example.org"]


def test_another_areas_requests_are_never_touched(app, client, auth, world):
    organiser(auth)
    client.post_form(URL, {"requests": [world["south"]], "decision": "approve"})
    assert statuses(app)["Dee"] == "pending"
    assert emails(app, "join_approved") == []
    page = client.get("/areas/northshire/members").get_data(as_text=True)
    assert "no longer waiting" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approve"}, "Select at least one request"),
        ({"requests": ["abc"], "decision": "approve"}, "Choose requests from the list"),
        ({"requests": ["-1"], "decision": "approve"}, "Choose requests from the list"),
        ({"requests": [HOSTILE_TEXT], "decision": "approve"}, "Choose requests from the list"),
        ({"requests": ["1" * 40], "decision": "approve"}, "Choose requests from the list"),
        ({"requests": ["１"], "decision": "approve"}, "Choose requests from the list"),
        (
            {"requests": [str(n) for n in range(1, 150)], "decision": "approve"},
            "Select at most 100 requests at a time",
        ),
        ({"requests": ["REQ"]}, "Choose Approve selected or Decline selected"),
        ({"requests": ["REQ"], "decision": "delete"}, "Choose Approve selected or Decline"),
    ],
)
def test_bad_input_is_said_beside_the_boxes(app, client, auth, world, data, message):
    organiser(auth)
    data = {
        k: [world["ann"] if v == "REQ" else v for v in vs] if k == "requests" else vs
        for k, vs in data.items()
    }
    response = client.post_form(URL, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert 'href="#requests"' in page or 'href="#decision"' in page
    assert "<script>alert" not in page
    assert set(statuses(app).values()) >= {"pending"}
    assert statuses(app)["Ann"] == "pending"


def test_ticked_boxes_stay_ticked_after_a_mistake(client, auth, world):
    organiser(auth)
    page = client.post_form(URL, {"requests": [world["bob"]]}).get_data(as_text=True)
    assert f'value="{world["bob"]}" form="bulk-requests" checked' in page
    assert f'value="{world["ann"]}" form="bulk-requests" checked' not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("member@example.org", 403),
        ("south-org@example.org", 403),
        ("ann@example.org", 403),
    ],
)
def test_only_this_areas_organisers(app, client, auth, world, who, status):
    if who:
        auth.login(who)
    response = client.post_form(URL, {"requests": [world["bob"]], "decision": "approve"})
    assert response.status_code == status
    assert statuses(app)["Bob"] == "pending"


def test_admins_may(app, client, auth, world):
    with app.app_context():
        make_user(email="admin@example.org", is_admin=True)
    auth.login("admin@example.org")
    client.post_form(URL, {"requests": [world["bob"]], "decision": "approve"})
    assert statuses(app)["Bob"] == "active"


def test_without_a_csrf_token_nothing_changes(app, client, auth, world):
    organiser(auth)
    response = client.post(URL, data={"requests": [world["bob"]], "decision": "approve"})
    assert response.status_code == 400
    assert statuses(app)["Bob"] == "pending"
