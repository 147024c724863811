"""The plan pages: the list, a plan with its tree and roll-up, a commitment and its timeline,
and every form page, for the people who may see them; with and without htmx."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.plans import services
from forum.plans.models import Commitment, CommitmentStatus, ProgressUpdate
from tests.plans.worlds import DRAFT, PLAN


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_list_shows_published_plans_to_visitors(client, world):
    page = text_of(client.get("/areas/northshire/plans"))
    assert "Local Inclusion Plan" in page
    assert "Draft strategy" not in page
    assert "Add a plan" not in page


@pytest.mark.parametrize("who", ["org@example.org", "council@example.org", "admin@example.org"])
def test_list_shows_drafts_marked_to_staff(client, auth, world, who):
    auth.login(who)
    page = text_of(client.get("/areas/northshire/plans"))
    assert "Draft strategy" in page
    assert "Not published" in page


def test_list_hides_drafts_from_organiser_of_another_area(client, auth, world):
    auth.login("other@example.org")
    assert "Draft strategy" not in text_of(client.get("/areas/northshire/plans"))
    assert client.get(DRAFT).status_code == 403


def test_plan_page_shows_tree_rollup_and_commitments(client, world):
    response = client.get(PLAN)
    page = text_of(response)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    # P1's roll-up counts its own commitment (40, weight 1) and P1.1's (60, weight 3): 55.
    assert "55% done" in page
    assert "60% done" in page  # P1.1 on its own
    assert "No commitments yet" in page  # P2
    assert "Open four hubs" in page and "Northshire County Council" in page
    assert "NHS Northshire ICB" in page
    assert 'aria-hidden="true"' in page
    assert page.index("Early help") < page.index("Family hubs") < page.index("Mental health")
    assert "Manage this plan" not in page
    assert "Add a commitment" not in page


def test_plan_page_for_htmx_is_the_same_page(client, world):
    response = client.htmx_get(PLAN)
    assert response.status_code == 200
    assert "Early help" in text_of(response)


def test_plan_page_shows_controls_by_role(client, auth, world):
    auth.login("org@example.org")
    page = text_of(client.get(PLAN))
    assert "Manage this plan" in page and "Move down" in page and "Add a commitment" in page
    auth.logout()
    auth.login("council@example.org")
    page = text_of(client.get(PLAN))
    assert "Manage this plan" not in page and "Move down" not in page
    assert "Add a commitment" in page


def test_draft_plan_is_hidden_from_visitors_and_members(client, auth, world):
    response = client.get(DRAFT)
    assert response.status_code in (302, 303)
    auth.login("member@example.org")
    assert client.get(DRAFT).status_code == 403
    assert client.get(f"{DRAFT}/commitments/{world.dc}").status_code == 403


def test_unknown_and_foreign_ids_are_404(client, auth, world):
    auth.login("org@example.org")
    assert client.get("/areas/northshire/plans/nope").status_code == 404
    assert client.get(f"{PLAN}/commitments/999999").status_code == 404
    # A commitment of the draft plan is not found under the published plan's address.
    assert client.get(f"{PLAN}/commitments/{world.dc}").status_code == 404
    assert client.get(f"{PLAN}/priorities/{world.dp}/edit").status_code == 404
    assert client.get("/areas/southshire/plans/lip").status_code == 404


def test_commitment_page_timeline(app, client, world):
    with app.app_context():
        from forum.accounts.models import User

        c1 = db.session.get(Commitment, world.c1)
        council_user = db.session.scalar(select(User).where(User.email == "council@example.org"))
        services.post_update(
            c1,
            text="Two hubs are open.",
            evidence_url="https://example.org/report",
            status=CommitmentStatus.AT_RISK,
            progress=50,
            actor=council_user,
        )
        services.post_update(c1, text="A note with a bad link", evidence_url="", actor=council_user)
        # A stored link that is not http(s) (from before checks existed) is never a link.
        db.session.add(
            ProgressUpdate(
                commitment_id=c1.id,
                area_id=c1.area_id,
                text="Old entry",
                evidence_url="javascript:alert(1)",
                status_before=CommitmentStatus.NOT_STARTED,
                status_after=CommitmentStatus.NOT_STARTED,
            )
        )
        db.session.commit()
    page = text_of(client.get(f"{PLAN}/commitments/{world.c1}"))
    assert "Two hubs are open." in page
    assert "Status changed from on track to at risk, progress from 40% to 50%." in page
    assert 'href="https://example.org/report" rel="nofollow noopener noreferrer"' in page
    assert "javascript:alert" not in page
    assert "council@example.org" not in page
    assert "Northshire County Council" in page
    assert "Post a progress update" not in page


def test_commitment_page_offers_update_form_to_owner_only(client, auth, world):
    auth.login("icb@example.org")
    assert "Post a progress update" not in text_of(client.get(f"{PLAN}/commitments/{world.c1}"))
    assert "Post a progress update" in text_of(client.get(f"{PLAN}/commitments/{world.c2}"))


@pytest.mark.parametrize(
    "path",
    [
        "/areas/northshire/plans/new",
        f"{PLAN}/edit",
        f"{PLAN}/import",
        f"{DRAFT}/delete",
        "{PLAN}/priorities/new",
        "{PLAN}/priorities/{p1}/edit",
        "{PLAN}/priorities/{p2}/delete",
        "{PLAN}/priorities/{p1}/commitments/new",
        "{PLAN}/commitments/{c1}/edit",
        "{PLAN}/commitments/{c1}/delete",
    ],
)
def test_form_pages_render_for_organisers(client, auth, world, path):
    auth.login("org@example.org")
    url = path.format(PLAN=PLAN, **vars(world))
    response = client.get(url)
    assert response.status_code == 200, url
    assert 'name="csrf_token"' in text_of(response)


def test_responder_sees_own_organisation_fixed_on_commitment_form(client, auth, world):
    auth.login("council@example.org")
    page = text_of(client.get(f"{PLAN}/priorities/{world.p1}/commitments/new"))
    assert "Northshire County Council" in page
    assert 'name="partner_id"' not in page


def test_example_csv_downloads(client, auth, world):
    auth.login("org@example.org")
    response = client.get("/areas/northshire/plans/import-example.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert text_of(response).lstrip("\ufeff").startswith("type,code,parent_code,title")


def test_area_home_lists_published_plans(client, world):
    page = text_of(client.get("/areas/northshire"))
    assert "Local plans" in page and "Local Inclusion Plan" in page
    assert "Draft strategy" not in page


def test_nav_has_plans(client, world):
    page = text_of(client.get(PLAN))
    assert 'href="/areas/northshire/plans"' in page


@pytest.mark.parametrize("who", [None, "org@example.org", "council@example.org"])
@pytest.mark.parametrize(
    "path",
    [
        "/areas/northshire/plans",
        PLAN,
        "{PLAN}/commitments/{c1}",
        "{PLAN}/import",
        "{PLAN}/priorities/{p1}/commitments/new",
    ],
)
def test_pages_have_unique_ids_and_one_h1(client, auth, world, who, path):
    import re

    if who:
        auth.login(who)
    response = client.get(path.format(PLAN=PLAN, **vars(world)))
    if response.status_code != 200:
        assert response.status_code in (302, 403)
        return
    page = text_of(response)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert page.count("<h1") == 1
    assert "style=" not in page.replace("<style nonce", "")


def test_record_of_changes(app, client, auth, world):
    auth.login("council@example.org")
    client.post_form(
        f"{PLAN}/commitments/{world.c1}/updates",
        {"text": "Slower.", "status": "delayed", "progress": "42"},
    )
    auth.logout()
    auth.login("org@example.org")
    client.post_form(
        f"{PLAN}/priorities/new", {"code": "P3", "title": "Adulthood", "parent_id": ""}
    )
    assert "record of changes" in text_of(client.get("/areas/northshire/plans"))
    response = client.get("/areas/northshire/plans/changes")
    page = text_of(response)
    assert response.status_code == 200
    assert "Added the priority “P3 Adulthood”" in page
    assert "Updated the progress of “Open four hubs”: status from on track to delayed" in page
    assert "progress from 40% to 42%" in page
    assert "@example.org" not in page
    fragment = text_of(client.htmx_get("/areas/northshire/plans/changes"))
    assert "<table" in fragment and "<h1" not in fragment


@pytest.mark.parametrize("who", [None, "member@example.org", "other@example.org"])
def test_record_of_changes_is_for_staff(client, auth, world, who):
    if who:
        auth.login(who)
    response = client.get("/areas/northshire/plans/changes")
    assert response.status_code in (302, 403)


def test_new_plan_with_period_round_trip(app, client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(
        "/areas/northshire/plans/new",
        {
            "title": "SEND Strategy 2026",
            "kind": "send_strategy",
            "summary": "**Our** plan.",
            "starts_on-day": "1",
            "starts_on-month": "4",
            "starts_on-year": "2026",
            "ends_on-day": "31",
            "ends_on-month": "3",
            "ends_on-year": "2029",
        },
    )
    assert response.status_code == 303
    url = response.headers["Location"]
    assert url.endswith("/plans/send-strategy-2026")
    page = text_of(client.get(url))
    assert "April 2026 to March 2029" in page and "SEND strategy" in page
    assert "<strong>Our</strong>" in page and "Not published" in page
    edit = text_of(client.get(f"{url}/edit"))
    assert 'name="ends_on-day"' in edit and 'value="31"' in edit and 'value="2029"' in edit
