"""The one-topic unsubscribe POST in the matrix of POST routes (tests/web/test_post_responses.py
counts a case per endpoint). Its behaviour is tested in test_unsubscribe.py: exempt from CSRF
for mail programs (RFC 8058), 200 with a page or plain text, never a redirect."""

from __future__ import annotations

#: one entry per POST endpoint: (endpoint, the data a mail program sends)
POSTS = {"unsubscribe": ("mailings.unsubscribe_post", {"List-Unsubscribe": "One-Click"})}


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint == "mailings.unsubscribe_post"
    }
    assert posts == {endpoint for endpoint, _ in POSTS.values()}
