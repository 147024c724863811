"""Sign-in, registration and password reset are rate-limited, in memory or in Redis: per
address, and failed sign-ins per account too."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import PASSWORD, make_user
from tests.support import REDIS, redis_answers

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
    """The storage's URI, or a dict of settings that includes it."""
    extra = request.param if isinstance(request.param, dict) else {}
    return {
        **app_config,
        **extra,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": extra.get("RATELIMIT_STORAGE_URI", request.param),
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


def _sign_in(client, email, password="wrong-password-here", *, address="127.0.0.1", **headers):
    return client.post_form(
        "/sign-in",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


@pytest.mark.parametrize("app_config", STORAGES, indirect=True)
def test_failed_sign_ins_to_one_account_are_limited_from_any_address(app, make_client):
    """Spreading guesses over many addresses does not help: ten failures to one account in
    five minutes, from anywhere, and the next try is refused, however the address is typed."""
    with app.app_context():
        make_user(email="target@example.org")
    spellings = ["target@example.org", " Target@Example.ORG ", "TARGET@example.org"]
    for n in range(10):
        response = _sign_in(make_client(), spellings[n % 3], address=f"198.51.100.{n}")
        assert response.status_code == 422
    refused = _sign_in(make_client(), "target@example.org", PASSWORD, address="198.51.100.99")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Wait a few minutes" in page
    assert "reset your password" in page
    # another account, from that same address, is not held up
    with app.app_context():
        make_user(email="neighbour@example.org")
    assert (
        _sign_in(make_client(), "neighbour@example.org", address="198.51.100.99").status_code == 422
    )


@pytest.mark.parametrize("app_config", STORAGES, indirect=True)
def test_successful_sign_ins_do_not_count_against_the_account(app, make_client):
    with app.app_context():
        make_user(email="busy@example.org")
    for n in range(12):
        response = _sign_in(make_client(), "busy@example.org", PASSWORD, address=f"192.0.2.{n}")
        assert response.status_code == 303


@pytest.mark.parametrize("app_config", STORAGES[:1], indirect=True)
def test_a_forged_forwarded_header_is_ignored_without_a_proxy(app, client):
    """PROXY_COUNT is 0: X-Forwarded-For is whatever the client wrote, so it changes nothing."""
    statuses = [
        _sign_in(
            client, f"person{n}@example.org", **{"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [422, 422, 422, 429]


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_STORAGE_URI": "memory://", "PROXY_COUNT": 1}], indirect=True
)
def test_behind_one_proxy_the_address_comes_from_the_forwarded_header(app, client):
    """Behind a load balancer every request comes from its address; the client's is the last
    one in X-Forwarded-For, and anything the client put before it is not believed."""
    for n in range(3):
        forged = f"10.9.9.{n}, 203.0.113.1"  # the client's own entries come first
        assert _sign_in(client, "a@example.org", **{"X-Forwarded-For": forged}).status_code == 422
    assert (
        _sign_in(client, "b@example.org", **{"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    )
    # someone else behind the same load balancer is not held up
    assert (
        _sign_in(client, "c@example.org", **{"X-Forwarded-For": "203.0.113.2"}).status_code == 422
    )


@pytest.mark.parametrize("app_config", STORAGES, indirect=True)
def test_limits_count_a_moving_window_not_one_that_restarts(app):
    """A fixed window lets twice the limit through across its boundary (and made this file's
    tests fail when a run straddled one); the limiter counts the last minute from now."""
    from limits.strategies import MovingWindowRateLimiter

    from forum.extensions import limiter

    assert app.config["RATELIMIT_STRATEGY"] == "moving-window"
    with app.app_context():
        assert isinstance(limiter.limiter, MovingWindowRateLimiter)
