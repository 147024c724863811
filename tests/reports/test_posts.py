"""Every POST the reports add answers a plain form with 303 See Other and htmx with 204 and
HX-Redirect, and does what it says."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Area
from forum.extensions import db
from forum.models import utcnow
from forum.reports import services
from forum.reports.models import AnnualReport
from tests.reports.worlds import EMAILS, YEAR
from tests.support import assert_redirects_after_post

BASE = "/areas/northshire/reports"
REPORT = f"{BASE}/{YEAR.slug}"
ORGANISER = EMAILS["organiser"]

#: one entry per POST endpoint: (who, url, data, whether the report starts published)
POSTS = {
    "new report": (ORGANISER, f"{BASE}/new", {"which": "2024-04-01_2025-03-31"}, False),
    "edit": (ORGANISER, f"{REPORT}/edit", {"foreword": "Hello", "sections": ["heard"]}, False),
    "publish": (ORGANISER, f"{REPORT}/publish", {}, False),
    "unpublish": (EMAILS["admin"], f"{REPORT}/unpublish", {}, True),
    "grant return": (ORGANISER, f"{REPORT}/grant-return", {"impact_story": "Hubs."}, False),
}


def _start(app, world, *, published: bool) -> int:
    with app.app_context():
        organiser = db.session.scalar(select(User).where(User.email == ORGANISER))
        report = services.start_report(db.session.get(Area, world.area_id), YEAR, actor=organiser)
        report.published_at = utcnow() if published else None
        db.session.commit()
        return report.id


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods
        and r.endpoint.startswith("reports.")
        # (the pack's are in tests/reports/pack/test_posts.py)
        and "pack" not in r.endpoint
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, url, data, published = POSTS[case]
    _start(app, world, published=published)
    auth.login(who)
    response = client.post_form(url, dict(data), htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx, shown=800)


def test_posts_change_what_they_say(app, client, auth, world):
    report_id = _start(app, world, published=False)
    auth.login(ORGANISER)
    for case in ("edit", "grant return", "publish"):
        _, url, data, _ = POSTS[case]
        client.post_form(url, dict(data))
    with app.app_context():
        report = db.session.get(AnnualReport, report_id)
        assert report.foreword == "Hello"
        assert report.hidden_sections and "heard" not in report.hidden_sections
        assert report.grant_words == {"impact_story": "Hubs."}
        assert report.is_published
    client.post_form(f"{REPORT}/unpublish")
    client.post_form(POSTS["new report"][1], POSTS["new report"][2])
    with app.app_context():
        assert not db.session.get(AnnualReport, report_id).is_published
        assert db.session.scalar(
            select(AnnualReport.id).where(AnnualReport.starts_on == YEAR.start.replace(year=2024))
        )
