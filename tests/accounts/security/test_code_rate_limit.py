"""The second step of signing in is rate-limited like the first: per address, and failed codes
per account from any address (so the million possible codes cannot be tried in turn)."""

from __future__ import annotations

import uuid

import pytest

from tests.accounts.security.worlds import CAREFUL, code_now
from tests.factories import PASSWORD


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_AUTH": "100 per minute",
        "RATELIMIT_KEY_PREFIX": f"coproduce-test-{uuid.uuid4().hex}",
    }


def wrong_code() -> str:
    right = {code_now(offset) for offset in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in right)


def test_failed_codes_for_one_account_are_limited_from_any_address(app, client, world):
    client.post_form("/sign-in", {"email": CAREFUL, "password": PASSWORD})
    client.csrf = None
    wrong = wrong_code()
    for n in range(10):
        response = client.post_form(
            "/sign-in/code", {"code": wrong}, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}
        )
        assert response.status_code == 422
    refused = client.post_form(
        "/sign-in/code", {"code": code_now()}, environ_base={"REMOTE_ADDR": "198.51.100.99"}
    )
    assert refused.status_code == 429
    assert client.get("/account").status_code == 302


def test_recovery_codes_are_limited_the_same_way(app, client, world):
    client.post_form("/sign-in", {"email": CAREFUL, "password": PASSWORD})
    client.csrf = None
    statuses = [
        client.post_form("/sign-in/recovery-code", {"code": "aaaa-aaaa-aaaa"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
