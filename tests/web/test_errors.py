import pytest


@pytest.mark.parametrize(
    "method, url, status, words",
    [
        ("get", "/no-such-page", 404, "Page not found"),
        ("post", "/accessibility", 405, "cannot be done at this address"),
        ("get", "/areas/" + "x" * 300, 404, "Page not found"),
    ],
)
def test_error_pages_in_the_layout(client, method, url, status, words):
    response = getattr(client, method)(url)
    assert response.status_code == status
    text = response.get_data(as_text=True)
    assert words in text and "<html" in text and "Skip to main content" in text


def test_405_lists_allowed_methods(client):
    assert "GET" in client.post("/accessibility").headers["Allow"]


def test_error_fragment_for_htmx(client):
    response = client.htmx_get("/no-such-page")
    assert response.status_code == 404
    assert "<html" not in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#main-content"


def test_413_for_oversized_posts(client):
    response = client.post("/sign-in", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too much to send" in response.get_data(as_text=True)


@pytest.mark.own_app
def test_500_page_and_log_without_the_message(app, client, caplog):
    from flask import request

    @app.get("/boom")
    def boom():
        raise RuntimeError(request.args["detail"])

    boom.access = "public"
    app.config["TESTING"] = False
    response = client.get("/boom?detail=diagnosis")
    assert response.status_code == 500
    assert "something went wrong on our side" in response.get_data(as_text=True)
    assert "diagnosis" not in caplog.text
    assert "RuntimeError" in caplog.text
