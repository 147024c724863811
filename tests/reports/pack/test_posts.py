"""Every POST the inspection pack adds answers a plain form with 303 See Other and htmx with
204 and HX-Redirect, does what it says once, and needs its CSRF token."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.reports.pack.models import PackShare
from tests.reports.pack.worlds import BASE, window, window_args
from tests.support import assert_redirects_after_post


def share_data() -> dict:
    return {
        "partner_name": "Lead inspector",
        "organisation": "Ofsted and CQC",
        **window_args(window().start, window().end),
    }


#: one entry per POST endpoint: (who, url(world), data)
POSTS = {
    "new share": ("org@example.org", lambda w: f"{BASE}/shares/new", lambda w: share_data()),
    "revoke share": ("admin@example.org", lambda w: f"{BASE}/shares/{w.share_id}/revoke", {}),
}


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("reports.") and "pack" in r.rule
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    auth.login(who)
    data = data(world) if callable(data) else dict(data)
    response = client.post_form(url(world), data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx, shown=800)


def _shares(app) -> list[tuple]:
    with app.app_context():
        return [
            (s.partner_name, s.revoked_at is not None)
            for s in db.session.scalars(select(PackShare).order_by(PackShare.id))
        ]


def _audited(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


def test_making_and_revoking_a_share_is_audited(app, client, auth, world):
    auth.login("org@example.org")
    made, revoked = _audited(app, "reports.pack_shared"), _audited(app, "reports.pack_revoked")
    response = client.post_form(f"{BASE}/shares/new", share_data())
    assert response.status_code == 303
    client.post_form(f"{response.headers['Location']}/revoke", {})
    assert _shares(app)[-1] == ("Lead inspector", True)
    assert _audited(app, "reports.pack_shared") == made + 1
    assert _audited(app, "reports.pack_revoked") == revoked + 1


def test_the_same_form_twice_makes_one_share(app, client, auth, world):
    auth.login("org@example.org")
    data = dict(share_data(), submission_key="same-share-key")
    first = client.post_form(f"{BASE}/shares/new", data)
    second = client.post_form(f"{BASE}/shares/new", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert [name for name, _ in _shares(app)].count("Lead inspector") == 1


@pytest.mark.parametrize("case", sorted(POSTS))
def test_a_post_without_its_csrf_token_changes_nothing(app, client, auth, world, case):
    who, url, data = POSTS[case]
    auth.login(who)
    before = _shares(app)
    data = data(world) if callable(data) else dict(data)
    response = client.post(url(world), data=data)
    assert response.status_code == 400
    assert _shares(app) == before
