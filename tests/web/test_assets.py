"""Static files addressed by content hash are kept by browsers for a year; others revalidate."""

import re
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.web.assets import IMMUTABLE


def linked_assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_static_files_by_content_hash(app, client):
    html = client.get("/").get_data(as_text=True)
    assets = linked_assets(html)
    assert {re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", a) for a in assets} >= {
        "/static/dist/app.css",
        "/static/dist/app.js",
        "/static/dist/htmx.min.js",
        "/static/favicon.svg",
    }
    for address in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", address), address
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        response.close()


def test_the_module_imports_govuk_frontend_by_its_hash_too(app, client):
    html = client.get("/").get_data(as_text=True)
    app_js = next(a for a in linked_assets(html) if re.search(r"/app\.[0-9a-f]{12}\.js$", a))
    source = client.get(app_js).get_data(as_text=True)
    imported = re.search(r"from '\./(govuk-frontend\.min\.[0-9a-f]{12}\.js)'", source)
    assert imported, "app.js must import govuk-frontend by its content hash"
    response = client.get("/static/dist/" + imported.group(1))
    assert response.headers["Cache-Control"] == IMMUTABLE
    response.close()


def test_an_old_or_missing_hash_is_revalidated_not_kept(app, client):
    for address in (
        "/static/dist/app.css",
        "/static/dist/app.000000000000.css",
        "/static/dist/app.css?v=000000000000",
    ):
        response = client.get(address)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        assert response.headers.get("ETag") or response.headers.get("Last-Modified")
        response.close()


def test_the_address_before_hashes_moved_into_the_name_still_works(app, client):
    html = client.get("/").get_data(as_text=True)
    app_css = next(a for a in linked_assets(html) if "/app." in a and a.endswith(".css"))
    digest = app_css.rsplit(".", 2)[1]
    response = client.get(f"/static/dist/app.css?v={digest}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    response.close()


def test_a_name_that_only_looks_hashed_is_not_found_unless_the_file_is_there(app, client):
    assert client.get("/static/dist/nothing.0123456789ab.css").status_code == 404
    assert client.get("/static/dist/app.0123456789ab.css/../../secret").status_code == 404


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
    with app.app_context():
        from forum.accounts.security.models import UserSession

        # a minute later: the next page refreshes the session (its record and its cookie)
        for record in db.session.scalars(select(UserSession)):
            record.last_seen_at -= timedelta(minutes=2)
        db.session.commit()
    page = client.get("/")
    assert "session=" in page.headers.get("Set-Cookie", ""), "a page refreshes the session"
    again = client.get("/")
    assert "Set-Cookie" not in again.headers, "and not again within the minute"
    html = page.get_data(as_text=True)
    for address in linked_assets(html):
        response = client.get(address)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, address
        response.close()
    # Still signed in afterwards: the files did not end the session either.
    assert "Sign out" in client.get("/").get_data(as_text=True)
