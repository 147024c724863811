from forum.web.security import content_security_policy
from tests.factories import make_user


def test_security_headers_on_every_page(client):
    for url in ["/", "/sign-in", "/nope", "/accessibility"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self' 'sha256-" in csp  # GOV.UK's "js-enabled" script, by its hash
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "HX-Request" in response.headers["Vary"]
        assert "Strict-Transport-Security" not in response.headers


def test_nonce_is_fresh_per_response_and_used_by_inline_script(client):
    # (a page that may be kept and shared has no nonce at all: tests/web/test_caching.py)
    first = client.get("/sign-in")
    second = client.get("/sign-in")
    nonce = first.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert nonce not in second.headers["Content-Security-Policy"]
    assert f'<script nonce="{nonce}">' in first.get_data(as_text=True)


def test_no_inline_event_handlers_or_style_attributes(client):
    text = client.get("/sign-in").get_data(as_text=True)
    assert " onclick=" not in text and " style=" not in text


def test_signed_in_pages_are_not_cached(app, client, auth):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    with app.app_context():
        make_user(email="me@example.org")
    auth.login("me@example.org")
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(app, client, auth):
    with app.app_context():
        make_user(email="me@example.org")
    response = auth.login("me@example.org", pages=True)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_sets_hsts_and_secure_cookies(database_url):
    from tests.conftest import base_config, make_app

    app = make_app(base_config(database_url, HSTS=True, SESSION_COOKIE_SECURE=True))
    response = app.test_client().get("/privacy")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_csp_function_has_no_unsafe_sources():
    policy = content_security_policy("abc")
    assert "'unsafe" not in policy
