"""The one place user text is cleaned and markdown is made safe.

Every text form field passes its input through `clean_text` (see `forum.web.forms`), and every
piece of user markdown is shown through `render_markdown`. Plain text is otherwise escaped by
Jinja's autoescape and never marked safe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import bleach
from markdown_it import MarkdownIt
from markupsafe import Markup

# C0/C1 control characters except tab and newline, lone surrogates, and the bidi override and
# isolate controls that can make text display differently from what it says. Right-to-left
# scripts themselves (Arabic, Urdu, Hebrew) are kept: they need none of these.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """NFC-normalise, drop unsafe code points, tidy whitespace, trim."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _UNSAFE.sub("", value)
    if multiline:
        lines = [_SPACES.sub(" ", line).rstrip() for line in value.split("\n")]
        value = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    else:
        value = _SPACES.sub(" ", value.replace("\n", " "))
    return value.strip()


ALLOWED_TAGS = [
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
]
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}

_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def _link_attrs(attrs, new=False):
    attrs[(None, "class")] = "govuk-link"
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


class _Style(NamedTuple):
    """What one kind of user markdown may become: its tags and attributes, how its links are
    made safe, and the GOV.UK classes its tags get."""

    tags: list[str]
    attributes: dict[str, list[str]]
    link_attrs: Callable
    classes: dict[str, str]


_MARKDOWN_STYLE = _Style(ALLOWED_TAGS, ALLOWED_ATTRIBUTES, _link_attrs, _CLASSES)


def render_markdown(source: str | None) -> Markup:
    """Markdown to HTML with only safe tags; raw HTML in the source is shown as text."""
    return _render_markdown(source or "")


@lru_cache(maxsize=512)
def _render_markdown(source: str) -> Markup:
    # Pure in its input, and a third of an area home page's time without the cache.
    return _clean(_markdown.render(source), _MARKDOWN_STYLE)


def _clean(html: str, style: _Style) -> Markup:
    """Rendered markdown through the style's allow-list, links made safe, GOV.UK classes on."""
    cleaned = bleach.clean(
        html,
        tags=style.tags,
        attributes=style.attributes,
        protocols=["http", "https", "mailto"],
        strip=True,
    )
    cleaned = bleach.linkify(
        cleaned, callbacks=[style.link_attrs], skip_tags=["pre", "code"], parse_email=False
    )
    for tag, names in style.classes.items():
        cleaned = cleaned.replace(f"<{tag}>", f'<{tag} class="{names}">')
    return Markup(cleaned)  # noqa: S704 - bleach output with an allow-list


#: what a discussion post may contain: paragraphs, bold, italic, lists, quotes and links
POST_TAGS = ["p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a"]
_POST_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "blockquote": "app-quote",
}
_post_markdown = MarkdownIt("js-default", {"linkify": False, "typographer": False}).disable(
    ["image", "heading", "lheading", "code", "fence", "hr", "table", "backticks"]
)


def _post_link_attrs(attrs, new=False):
    # Only absolute http(s) and mailto links: a relative or scheme-relative href ("//elsewhere")
    # would look like a page of this site. Returning None keeps the words, drops the link.
    if not attrs.get((None, "href"), "").lower().startswith(("http://", "https://", "mailto:")):
        return None
    attrs[(None, "class")] = "govuk-link"
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


_POST_STYLE = _Style(POST_TAGS, {"a": ["href"]}, _post_link_attrs, _POST_CLASSES)


def render_post(source: str | None) -> Markup:
    """A discussion post as HTML: the markdown subset, raw HTML shown as text, and nothing else
    surviving the allow-list (no images, no attributes but a link's href)."""
    return _render_post(source or "")


@lru_cache(maxsize=2048)
def _render_post(source: str) -> Markup:
    return _clean(_post_markdown.render(source), _POST_STYLE)
