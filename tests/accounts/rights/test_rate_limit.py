"""The delete form checks the password, so guessing it there is limited like signing in."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import make_user


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_AUTH": "3 per minute",
        "RATELIMIT_KEY_PREFIX": f"coproduce-test-{uuid.uuid4().hex}",
    }


def test_password_guesses_on_the_delete_form_are_limited(app, client, auth):
    with app.app_context():
        make_user(email="guarded@example.org")
    auth.login("guarded@example.org")
    statuses = [
        client.post_form("/account/delete", {"password": f"guess-number-{n}"}).status_code
        for n in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
    # Reading the page is not limited.
    assert client.get("/account/delete").status_code == 200
