"""The pack's pages: who may prepare and share it (a matrix), the shared link (only that pack,
of that area and window; headers that keep it private; every view recorded; revoking works at
once; expiry), a new link shown once, no state change on GET, and the htmx fragment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.models import utcnow
from forum.reports.pack.models import PackShare, PackView
from forum.web.access_log import redact
from tests.reports.pack.worlds import BASE, QUOTED, window, window_args

PAGES = [
    lambda w: BASE,
    lambda w: f"{BASE}/preview",
    lambda w: f"{BASE}/shares/new",
    lambda w: f"{BASE}/shares/{w.share_id}",
    lambda w: f"{BASE}/shares/{w.share_id}/revoke",
]
#: who asks, and what they get
PEOPLE = [
    ("nobody@example.org", 403),
    ("member@example.org", 403),
    ("council@example.org", 403),
    ("other@example.org", 403),
    ("org@example.org", 200),
    ("admin@example.org", 200),
]


@pytest.mark.parametrize("page", range(len(PAGES)))
@pytest.mark.parametrize("email,status", PEOPLE, ids=[p[0].split("@")[0] for p in PEOPLE])
def test_only_the_areas_organisers_prepare_and_share_the_pack(
    client, auth, world, page, email, status
):
    auth.login(email)
    response = client.get(PAGES[page](world))
    assert response.status_code == status, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_visitors_are_asked_to_sign_in(client, world, page):
    response = client.get(PAGES[page](world))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_another_areas_share_is_not_found_here(client, auth, world):
    auth.login("org@example.org")
    assert client.get(f"{BASE}/shares/{world.south_share_id}").status_code == 404
    assert client.post_form(f"{BASE}/shares/{world.south_share_id}/revoke").status_code == 404
    auth.logout()
    auth.login("other@example.org")
    assert (
        client.get(f"/areas/southshire/inspection-pack/shares/{world.share_id}").status_code == 404
    )


def test_the_list_shows_the_areas_shares_only(client, auth, world):
    auth.login("org@example.org")
    page = client.get(BASE).get_data(as_text=True)
    assert "the council’s SEND lead" in page and "Inspectors" not in page


def _views(app, share_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(PackView).where(PackView.share_id == share_id)
        )


def test_the_link_opens_that_pack_only_and_records_each_view(app, client, world):
    before = _views(app, world.share_id)
    response = client.get(f"/pack/{world.token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Waiting lists are too long" in page and QUOTED in page
    assert "South theme" not in page and "South meeting" not in page
    assert window().name in page
    assert _views(app, world.share_id) == before + 1
    client.get(f"/pack/{world.token}")
    assert _views(app, world.share_id) == before + 2
    south = client.get(f"/pack/{world.south_token}").get_data(as_text=True)
    assert "South theme" in south and "Waiting lists are too long" not in south


def test_the_link_page_is_private_unindexed_and_sends_no_referrer(client, world):
    for token in (world.token, "not-a-real-token"):
        response = client.get(f"/pack/{token}")
        assert response.headers["Cache-Control"] == "no-store, private"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response.headers["X-Robots-Tag"]
        assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(as_text=True)
        assert "Set-Cookie" not in response.headers


def test_the_token_is_kept_out_of_the_access_log():
    assert redact("/pack/SeCrEt-token_123") == "/pack/[hidden]"
    assert redact("/pack/SeCrEt?x=1") == "/pack/[hidden]?[hidden]"


def test_an_unknown_link_says_so_plainly(client, world):
    for token in ("nope", "x" * 500, world.token[:-1]):
        response = client.get(f"/pack/{token}")
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "This link does not work" in page and "Waiting lists" not in page


def test_revoking_stops_the_link_at_once(app, client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(f"{BASE}/shares/{world.share_id}/revoke")
    assert response.status_code == 303
    auth.logout()
    before = _views(app, world.share_id)
    gone = client.get(f"/pack/{world.token}")
    page = gone.get_data(as_text=True)
    assert gone.status_code == 410
    assert "This link has been withdrawn" in page
    assert "Waiting lists" not in page and "Short breaks" not in page
    assert _views(app, world.share_id) == before
    # revoking twice changes nothing and says nothing wrong
    auth.login("org@example.org")
    again = client.post_form(f"{BASE}/shares/{world.share_id}/revoke")
    assert again.status_code == 303


def test_an_expired_link_shows_no_data(app, client, world):
    with app.app_context():
        share = db.session.get(PackShare, world.share_id)
        share.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(f"/pack/{world.token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "This link has expired" in page and "Waiting lists" not in page


def test_a_new_link_is_shown_once_and_opens_the_pack(app, client, auth, world):
    auth.login("org@example.org")
    made = client.post_form(
        f"{BASE}/shares/new",
        {
            "partner_name": "Lead inspector",
            "organisation": "Ofsted and CQC",
            **window_args(window().start, window().end),
        },
    )
    share_page = made.headers["Location"]
    page = client.get(share_page).get_data(as_text=True)
    assert "Copy the link now" in page
    link = page.split('id="pack-link" type="text" value="')[1].split('"')[0]
    assert "/pack/" in link
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        share = db.session.scalars(select(PackShare).order_by(PackShare.id.desc())).first()
        assert token not in (share.token_hash, share.partner_name)
        assert (share.last_day - window().end).days >= 55  # 8 weeks from today by default
    again = client.get(share_page).get_data(as_text=True)
    assert "Copy the link now" not in again and token not in again
    auth.logout()
    assert client.get(f"/pack/{token}").status_code == 200
    auth.login("org@example.org")
    shown = client.get(share_page).get_data(as_text=True)
    assert "1 time." in shown


def _state(app) -> tuple:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (PackShare, PackView, AuditEvent)
        )


def test_organisers_pages_change_nothing_on_get(app, client, auth, world):
    auth.login("org@example.org")
    before = _state(app)
    for page in PAGES:
        assert client.get(page(world)).status_code == 200
    assert client.get(f"{BASE}/preview", query_string=window_args(*_days())).status_code == 200
    assert _state(app) == before


def _days():
    return window().start, window().end


def test_the_preview_is_the_pack_and_its_fragment_for_htmx(client, auth, world):
    auth.login("org@example.org")
    url = f"{BASE}/preview"
    page = client.get(url, query_string=window_args(*_days()))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1" in html and "Waiting lists are too long" in html and "Share this pack" in html
    fragment = client.htmx_get(url, query_string=window_args(*_days()))
    part = fragment.get_data(as_text=True)
    assert "<h1" not in part and "<html" not in part and "Waiting lists are too long" in part
    assert "HX-Request" in fragment.headers["Vary"] and "HX-Request" in page.headers["Vary"]


def test_the_pack_links_to_its_sections_and_prints(client, world):
    page = client.get(f"/pack/{world.token}").get_data(as_text=True)
    for anchor in ("pack-summary", "pack-timeline", "pack-trails", "pack-issues"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "app-pack__section" in page


def test_the_area_home_links_organisers_to_the_pack(client, auth, world):
    assert "Inspection evidence pack" not in client.get("/areas/northshire").get_data(as_text=True)
    auth.login("member@example.org")
    assert "Inspection evidence pack" not in client.get("/areas/northshire").get_data(as_text=True)
    auth.logout()
    auth.login("org@example.org")
    assert BASE in client.get("/areas/northshire").get_data(as_text=True)


def test_an_area_with_no_data_gets_a_helpful_empty_pack(app, client, auth, world):
    from forum.areas.models import Role
    from tests.factories import make_area, make_person_in

    with app.app_context():
        make_person_in(
            make_area(slug="emptyshire", name="Emptyshire"), Role.ORGANISER, email="e@example.org"
        )
    auth.login("e@example.org")
    response = client.get(
        "/areas/emptyshire/inspection-pack/preview", query_string=window_args(*_days())
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was published in this window yet" in page
    assert "Nothing is overdue, disputed or delayed." in page
