"""Hostile markup through `forum.web.text.render_post`, the one sanitiser for posts.

A corpus of well over a hundred attacks (`CASES`, in tests/discussions/worlds.py: script tags,
event handlers, javascript:/data:/vbscript: links in every disguise, htmx and data attributes,
malformed and nested tags, nested quotes, images, iframes, SVG, style, Unicode tricks and
markdown link tricks). Each output is parsed twice, by the standard library's tolerant parser
and by html5lib (the HTML5 algorithm browsers use), and must hold only the allowed tags with
only their allowed attributes; every link must be an absolute http, https or mailto address
with rel="nofollow ugc noopener".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from bleach._vendor import html5lib  # the HTML5 parsing algorithm, as browsers parse

from forum.web.text import POST_TAGS, render_post
from tests.discussions.worlds import CASES

ALLOWED_ATTRIBUTES = {
    "a": {"href", "class", "rel"},
    "p": {"class"},
    "ul": {"class"},
    "ol": {"class"},
    "blockquote": {"class"},
}
CLASSES = {
    "a": "govuk-link",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "blockquote": "app-quote",
}
SCHEMES = {"http", "https", "mailto"}


def test_the_corpus_is_large():
    assert len(CASES) > 100
    assert len(set(CASES)) == len(CASES)


# --- checking an output --------------------------------------------------------------------


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def _stdlib_elements(html: str):
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser.elements


def _html5_elements(html: str):
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    elements = []
    for element in fragment.iter():
        if not isinstance(element.tag, str) or element.tag == "DOCUMENT_FRAGMENT":
            continue
        elements.append((element.tag, list(element.attrib.items())))
    return elements


def _scheme(href: str) -> str:
    """The scheme a browser would see: it drops ASCII tab and newline anywhere and C0 controls
    and spaces at either end before parsing."""
    cleaned = re.sub(r"[\t\n\r]", "", href).strip("\x00-\x20")
    return urlsplit(cleaned).scheme.lower()


def assert_safe(html: str) -> None:
    for parse in (_stdlib_elements, _html5_elements):
        for tag, attrs in parse(html):
            assert tag in POST_TAGS, f"{tag} survived in {html!r}"
            names = [name for name, _ in attrs]
            assert set(names) <= ALLOWED_ATTRIBUTES.get(tag, set()), f"{tag} {names}: {html!r}"
            values = dict(attrs)
            if "class" in values:
                assert values["class"] == CLASSES[tag], html
            if tag == "a":
                href = values.get("href") or ""
                assert _scheme(href) in SCHEMES, f"href {href!r} in {html!r}"
                assert href.lower().startswith(("http://", "https://", "mailto:")), html
                assert values.get("rel") == "nofollow ugc noopener", html
            for value in values.values():
                squashed = re.sub(r"[\x00-\x20\u200b\u202e]", "", value or "").lower()
                for bad in ("javascript:", "vbscript:", "data:", "livescript:"):
                    assert not squashed.startswith(bad), html


@pytest.mark.parametrize("source", CASES)
def test_nothing_executable_survives(source):
    html = str(render_post(source))
    assert_safe(html)
    # Whatever came in as markup is at most text now.
    assert "<script" not in html.lower()
    assert not re.search(r"<[a-z]+[^>]*\son\w+\s*=", html, re.IGNORECASE)


@pytest.mark.parametrize("source", CASES)
def test_twice_is_as_safe_as_once(source):
    # Rendering its own output again (as if someone quoted it) is still safe.
    assert_safe(str(render_post(str(render_post(source)))))


# --- and what posts may contain still works -------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**bold** and _soft_", "<strong>bold</strong> and <em>soft</em>"),
        ("- one\n- two", '<ul class="govuk-list govuk-list--bullet">'),
        ("1. one\n2. two", '<ol class="govuk-list govuk-list--number">'),
        ("> said before", '<blockquote class="app-quote">'),
        ("line one  \nline two", "<br"),
        (
            "[the council](https://www.northshire.example/send)",
            '<a href="https://www.northshire.example/send" class="govuk-link" '
            'rel="nofollow ugc noopener">the council</a>',
        ),
        ("See https://a.org/page?x=1&y=2", 'href="https://a.org/page?x=1&amp;y=2"'),
        ("[write to us](mailto:hello@forum.example)", 'href="mailto:hello@forum.example"'),
        ("3 < 4 & 5 > 2", "3 &lt; 4 &amp; 5 &gt; 2"),
        ("مريم 👩‍👧 בית", "مريم 👩‍👧 בית"),
    ],
)
def test_allowed_markdown_still_works(source, expected):
    html = str(render_post(source))
    assert expected in html
    assert_safe(html)


@pytest.mark.parametrize(
    "source",
    ["[x](/areas/north/moderation)", "[x](//evil.example/phish)", "[x](javascript:alert(1))"],
)
def test_links_that_are_not_absolute_web_or_mail_addresses_keep_only_their_words(source):
    html = str(render_post(source))
    assert "<a" not in html
