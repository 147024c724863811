"""Who may see and change plans: the pure permission functions as one matrix, and the same
rules enforced by every route on the server (whatever the page showed)."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.plans import permissions as perm
from forum.plans.models import Commitment, LocalPlan, Priority
from tests.plans.worlds import DRAFT, PLAN

PEOPLE = {
    "visitor": None,
    "member": "member@example.org",
    "organiser": "org@example.org",
    "council responder": "council@example.org",
    "ICB responder": "icb@example.org",
    "organiser of another area": "other@example.org",
    "admin": "admin@example.org",
}

# (view published, view draft, edit plan, add commitment, edit council's, delete council's)
EXPECTED = {
    "visitor": (True, False, False, False, False, False),
    "member": (True, False, False, False, False, False),
    "organiser": (True, True, True, True, True, True),
    "council responder": (True, True, False, True, True, False),
    "ICB responder": (True, True, False, True, False, False),
    "organiser of another area": (True, False, False, False, False, False),
    "admin": (True, True, True, True, True, True),
}


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_matrix(app, world, who):
    with app.app_context():
        person = (
            db.session.scalar(select(User).where(User.email == PEOPLE[who]))
            if PEOPLE[who]
            else AnonymousUserMixin()
        )
        plan = db.session.get(LocalPlan, world.plan_id)
        draft = db.session.get(LocalPlan, world.draft_id)
        priority = db.session.get(Priority, world.p1)
        council_commitment = db.session.get(Commitment, world.c1)
        got = (
            perm.can_view_plan(person, plan),
            perm.can_view_plan(person, draft),
            perm.can_edit_plan(person, plan),
            perm.can_add_commitment_under(person, priority),
            perm.can_edit_commitment(person, council_commitment),
            perm.can_delete_commitment(person, council_commitment),
        )
    assert got == EXPECTED[who]


def test_responder_adds_only_for_own_organisation(app, world):
    with app.app_context():
        council = db.session.scalar(select(User).where(User.email == "council@example.org"))
        plan = db.session.get(LocalPlan, world.plan_id)
        assert perm.can_add_commitment(council, plan.area, world.council_id)
        assert not perm.can_add_commitment(council, plan.area, world.icb_id)


def test_icb_responder_cannot_edit_the_councils_commitment(client, auth, world):
    auth.login("icb@example.org")
    url = f"{PLAN}/commitments/{world.c1}"
    assert client.get(f"{url}/edit").status_code == 403
    data = {"title": "Hijacked", "status": "done", "progress": "100", "weight": "1"}
    assert client.post_form(f"{url}/edit", data).status_code == 403
    assert (
        client.post_form(
            f"{url}/updates", {"text": "x", "status": "done", "progress": "100"}
        ).status_code
        == 403
    )
    assert client.post_form(f"{url}/delete", {}).status_code == 403
    page = client.get(url).get_data(as_text=True)
    assert "Hijacked" not in page and "Open four hubs" in page


def add_commitment(client, world, partner_id: int, title: str):
    """Post the new-commitment form under P2 with `partner_id` as the owner it names."""
    return client.post_form(
        f"{PLAN}/priorities/{world.p2}/commitments/new",
        {
            "partner_id": str(partner_id),
            "title": title,
            "status": "not_started",
            "progress": "0",
            "weight": "1",
        },
    )


def test_responder_cannot_choose_another_owner(app, client, auth, world):
    """Even a hand-made form naming the ICB makes the commitment the council's."""
    auth.login("council@example.org")
    response = add_commitment(client, world, world.icb_id, "Sneaky")
    assert response.status_code == 303
    with app.app_context():
        made = db.session.scalar(select(Commitment).where(Commitment.title == "Sneaky"))
        assert made.partner_id == world.council_id


def test_organiser_cannot_pick_another_areas_partner(app, client, auth, world):
    auth.login("org@example.org")
    response = add_commitment(client, world, world.south_council_id, "Foreign")
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Commitment).where(Commitment.title == "Foreign")) is None


ORGANISER_ONLY_GETS = [
    "/areas/northshire/plans/new",
    f"{PLAN}/edit",
    f"{PLAN}/import",
    f"{DRAFT}/delete",
    f"{PLAN}/priorities/new",
    "/areas/northshire/plans/import-example.csv",
]
ORGANISER_ONLY_POSTS = [f"{PLAN}/publish", f"{PLAN}/unpublish", f"{DRAFT}/publish"]


@pytest.mark.parametrize("who", ["member@example.org", "council@example.org", "other@example.org"])
def test_organiser_routes_refuse_others(client, auth, world, who):
    auth.login(who)
    for url in ORGANISER_ONLY_GETS:
        assert client.get(url).status_code in (403, 404), url
    for url in ORGANISER_ONLY_POSTS + [f"{PLAN}/priorities/{world.p1}/move"]:
        assert client.post_form(url, {"direction": "up"}).status_code in (403, 404), url


def test_visitors_are_sent_to_sign_in(client, world):
    response = client.get(f"{PLAN}/edit")
    assert response.status_code in (302, 303)
    assert "/sign-in" in response.headers["Location"]


def test_organiser_of_another_area_sees_nothing_unpublished(client, auth, world):
    auth.login("other@example.org")
    assert client.get(DRAFT).status_code == 403
    assert client.get(f"{DRAFT}/commitments/{world.dc}").status_code == 403
    assert "Draft strategy" not in client.get("/areas/northshire/plans").get_data(as_text=True)
    assert "Draft" not in client.get("/areas/northshire").get_data(as_text=True)
