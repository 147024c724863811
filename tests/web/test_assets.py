"""Static files addressed by content hash are kept by browsers for a year; others revalidate."""

import re

from forum.web.assets import IMMUTABLE


def linked_assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_static_files_by_content_hash(app, client):
    html = client.get("/").get_data(as_text=True)
    assets = linked_assets(html)
    assert {a.split("?")[0] for a in assets} >= {
        "/static/dist/app.css",
        "/static/dist/app.js",
        "/static/dist/htmx.min.js",
        "/static/favicon.svg",
    }
    for address in assets:
        assert re.search(r"\?v=[0-9a-f]{12}$", address), address
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        response.close()


def test_the_module_imports_govuk_frontend_by_its_hash_too(app, client):
    html = client.get("/").get_data(as_text=True)
    app_js = next(a for a in linked_assets(html) if "/app.js" in a)
    source = client.get(app_js).get_data(as_text=True)
    imported = re.search(r"from '\./(govuk-frontend\.min\.js\?v=[0-9a-f]{12})'", source)
    assert imported, "app.js must import govuk-frontend by its content hash"
    response = client.get("/static/dist/" + imported.group(1))
    assert response.headers["Cache-Control"] == IMMUTABLE
    response.close()


def test_an_old_or_missing_hash_is_revalidated_not_kept(app, client):
    for address in ("/static/dist/app.css", "/static/dist/app.css?v=000000000000"):
        response = client.get(address)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        assert response.headers.get("ETag") or response.headers.get("Last-Modified")
        response.close()


def test_a_changed_file_gets_a_new_address(app, tmp_path):
    from forum.web.assets import content_hash

    path = tmp_path / "x.css"
    path.write_text("a{}")
    first = content_hash(path)
    path.write_text("b{color:red}")
    assert content_hash(path) != first
    assert content_hash(tmp_path / "missing.css") is None


def test_static_files_never_carry_the_session_cookie(app, client, auth):
    """A file any cache may keep holds nobody's cookie; pages still refresh the session."""
    from tests.factories import make_user

    with app.app_context():
        make_user(email="pat@example.org")
    auth.login("pat@example.org")
    page = client.get("/")
    assert "session=" in page.headers.get("Set-Cookie", ""), "a page refreshes the session"
    html = page.get_data(as_text=True)
    for address in linked_assets(html):
        response = client.get(address)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, address
        response.close()
    # Still signed in afterwards: the files did not end the session either.
    assert "Sign out" in client.get("/").get_data(as_text=True)
