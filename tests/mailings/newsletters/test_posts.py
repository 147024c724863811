"""Every POST the newsletters add answers a plain form with 303 See Other and htmx with 204
and HX-Redirect."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Area
from forum.extensions import db
from forum.mailings.newsletters import services
from forum.models import utcnow
from forum.web.time import LONDON
from tests.support import assert_redirects_after_post

BASE = "/areas/northshire/newsletters"


def _newsletter(app, state="draft") -> int:
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        organiser = db.session.scalar(select(User).where(User.email == "org@example.org"))
        newsletter = services.create_newsletter(
            area,
            subject="News",
            body="Hello",
            audience="members",
            consultation_id=None,
            visibility="members",
            actor=organiser,
        )
        if state == "scheduled":
            services.schedule(newsletter, when=utcnow() + timedelta(days=1), actor=organiser)
        if state == "sent":
            services.send_now(newsletter, actor=organiser)
        db.session.commit()
        return newsletter.id


def _future():
    local = (utcnow() + timedelta(days=3)).astimezone(LONDON)
    return {
        "when-day": str(local.day),
        "when-month": str(local.month),
        "when-year": str(local.year),
        "when-time": "10:00",
    }


FIELDS = {
    "subject": "Spring news",
    "body": "Hello",
    "audience": "members",
    "consultation_id": "",
    "visibility": "members",
}

#: one entry per POST endpoint: (url(app), data)
POSTS = {
    "new": (lambda app: f"{BASE}/new", FIELDS),
    "edit": (lambda app: f"{BASE}/{_newsletter(app)}/edit", FIELDS),
    "test": (lambda app: f"{BASE}/{_newsletter(app)}/test", {}),
    "send": (lambda app: f"{BASE}/{_newsletter(app)}/send", {}),
    "schedule": (lambda app: f"{BASE}/{_newsletter(app)}/schedule", _future()),
    "unschedule": (lambda app: f"{BASE}/{_newsletter(app, 'scheduled')}/unschedule", {}),
    "delete": (lambda app: f"{BASE}/{_newsletter(app)}/delete", {}),
    "withdraw": (lambda app: f"{BASE}/{_newsletter(app, 'sent')}/withdraw", {}),
}


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("mailings.newsletter")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    url, data = POSTS[case]
    auth.login("org@example.org")
    response = client.post_form(url(app), dict(data), htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx, shown=2000)
