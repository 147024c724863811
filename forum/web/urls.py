"""Absolute links for emails, which are built outside any request by the CLI and workers.

A model with a page knows its own path (`consultation.url`); `absolute(consultation)` is the
same page with `PUBLIC_URL` in front, for an email."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter

#: the largest id a table holds (ids are 32-bit INTEGER columns on PostgreSQL)
ID_MAX = 2**31 - 1


def up_to(n: int) -> str:
    """A regular expression for the whole numbers 1 to `n`, written without leading zeros."""
    digits = str(n)
    alternatives = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(int(d) for d in digits):
        lowest, rest = (1 if i == 0 else 0), len(digits) - i - 1
        if digit > lowest:
            alternatives.append(
                f"{digits[:i]}[{lowest}-{digit - 1}]" + (rf"\d{{{rest}}}" if rest else "")
            )
    alternatives.append(digits)
    return "(?:" + "|".join(alternatives) + ")"


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a whole number from 1 to the largest id a table can hold. The
    limit is in the pattern itself, so a URL with a bigger number matches no route and is "not
    found" for every method, rather than an error from the database."""

    regex = up_to(ID_MAX)


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
