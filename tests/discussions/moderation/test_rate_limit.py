"""Reports are rate limited per person. The limiter is switched on in an app of its own, so
this test cannot share test_moderation.py's module-scoped place: it builds the same place
(tests/discussions/worlds.py) for itself."""

from __future__ import annotations

import uuid

import pytest

from forum.discussions.models import Thread
from forum.extensions import db
from tests.discussions.worlds import build_moderation_place, login, report_url, user_of
from tests.factories import make_post


@pytest.fixture
def place(app):
    with app.app_context():
        return build_moderation_place()


@pytest.fixture
def app_config(app_config, request):
    limits = getattr(request, "param", None)
    if not limits:
        return app_config
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_REPORTS": limits,
        "RATELIMIT_KEY_PREFIX": f"coproduce-test-{uuid.uuid4().hex}",
    }


@pytest.mark.parametrize("app_config", ["2 per hour"], indirect=True)
def test_reports_are_rate_limited_per_person(app, client, auth, place, app_config):
    login(auth, "ben")
    with app.app_context():
        thread = db.session.get(Thread, place["thread_id"])
        ids = [make_post(thread, user_of(place, "ana")).id for _ in range(3)]
    statuses = [client.post_form(report_url(place, i), {"reason": "spam"}).status_code for i in ids]
    assert statuses == [303, 303, 429]
    # Reading the page is not limited.
    assert client.get(report_url(place, ids[2])).status_code == 200
