"""Subscribing is limited like signing up: per network address, and per address subscribed
(so nobody can fill a stranger's inbox with confirmation emails from many places)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.factories import make_area


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_AUTH": "5 per minute",
        "RATELIMIT_KEY_PREFIX": f"coproduce-test-{uuid.uuid4().hex}",
    }


def test_one_address_gets_three_confirmation_emails_an_hour_at_most(app, make_client):
    with app.app_context():
        make_area(slug="northshire")
        make_area(slug="southshire")
        db.session.commit()
    statuses = []
    for n in range(4):
        # another browser (and forum) each time; the same address
        client = make_client()
        slug = "northshire" if n % 2 else "southshire"
        response = client.post_form(
            f"/areas/{slug}/subscribe", {"email": "victim@example.org", "topics": ["events"]}
        )
        statuses.append(response.status_code)
    assert statuses == [303, 303, 303, 429]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_one_network_address_is_limited_like_signing_up(app, client):
    with app.app_context():
        make_area(slug="northshire")
        db.session.commit()
    statuses = [
        client.post_form(
            "/areas/northshire/subscribe", {"email": f"p{n}@example.org", "topics": ["events"]}
        ).status_code
        for n in range(6)
    ]
    assert statuses == [303] * 5 + [429]
    assert client.get("/areas/northshire/subscribe").status_code == 200
