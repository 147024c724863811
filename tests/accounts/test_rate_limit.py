"""Sign-in, registration and password reset are rate-limited, in memory or in Redis."""

from __future__ import annotations

import socket
import uuid

import pytest

REDIS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


STORAGES = [
    pytest.param("memory://", id="memory"),
    pytest.param(
        f"redis://{REDIS[0]}:{REDIS[1]}",
        id="redis",
        marks=pytest.mark.skipif(not redis_answers(), reason="Redis is not running on 6379"),
    ),
]


@pytest.fixture
def app_config(app_config, request):
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": request.param,
        "RATELIMIT_AUTH": "3 per minute",
        # each run its own keys, so runs (and CI on two engines) never see each other's counts
        "RATELIMIT_KEY_PREFIX": f"coproduce-test-{uuid.uuid4().hex}",
    }


@pytest.mark.parametrize("app_config", STORAGES, indirect=True)
@pytest.mark.parametrize(
    "url, data",
    [
        ("/sign-in", {"email": "someone@example.org", "password": "wrong-password-here"}),
        ("/register", {"display_name": "X", "email": "x@example.org", "password": "short"}),
        ("/forgot-password", {"email": "someone@example.org"}),
    ],
)
def test_auth_forms_are_rate_limited(app, client, url, data):
    statuses = [client.post_form(url, data).status_code for _ in range(4)]
    assert statuses[:3] != [429] * 3 and 429 not in statuses[:3]
    assert statuses[3] == 429
    page = client.post_form(url, data)
    assert "Too many attempts" in page.get_data(as_text=True)
    assert "Retry-After" in page.headers or "X-RateLimit-Reset" in page.headers
    # reading the page is not limited
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("app_config", STORAGES, indirect=True)
def test_two_instances_share_the_count_through_the_storage(app, client, app_config):
    """With Redis, two app instances (two gunicorn workers or machines) share one budget."""
    if app_config["RATELIMIT_STORAGE_URI"].startswith("memory"):
        pytest.skip("memory storage is per process by design")
    from tests.conftest import make_app

    other = make_app(app_config).test_client()
    data = {"email": "someone@example.org", "password": "wrong-password-here"}
    for _ in range(3):
        client.post_form("/sign-in", data)
    assert other.post_form("/sign-in", data).status_code == 429
