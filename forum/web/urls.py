"""Absolute links for emails, which are built outside any request by the CLI and workers.

A model with a page knows its own path (`consultation.url`); `absolute(consultation)` is the
same page with `PUBLIC_URL` in front, for an email."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """`PUBLIC_URL` + the route's path, whether or not a request is being handled."""
    return absolute(lambda: url_for(endpoint, **values))


def absolute(page) -> str:
    """`PUBLIC_URL` + the path of `page`: anything with a `.url`, or a function returning a path."""
    path = page if callable(page) else (lambda: page.url)
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    if has_request_context():
        return base + path()
    with current_app.test_request_context():
        return base + path()
