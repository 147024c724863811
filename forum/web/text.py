"""The one place user text is cleaned and markdown is made safe.

Every text form field passes its input through `clean_text` (see `forum.web.forms`), and every
piece of user markdown is shown through `render_markdown`. Plain text is otherwise escaped by
Jinja's autoescape and never marked safe.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


def render_markdown(source: str | None) -> Markup:
    """Markdown to HTML with only safe tags; raw HTML in the source is shown as text."""
    return _render_markdown(source or "")


@lru_cache(maxsize=512)
def _render_markdown(source: str) -> Markup:
    # Pure in its input, and a third of an area home page's time without the cache.
    return _clean(
        _markdown.render(source),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_attrs=_link_attrs,
        classes=_CLASSES,
    )


def _clean(html: str, *, tags, attributes, link_attrs, classes: dict[str, str]) -> Markup:
    """Rendered markdown through an allow-list, its links made safe by `link_attrs`, and the
    GOV.UK classes put on the tags named in `classes`."""
    cleaned = bleach.clean(
        html, tags=tags, attributes=attributes, protocols=["http", "https", "mailto"], strip=True
    )
    cleaned = bleach.linkify(
        cleaned, callbacks=[link_attrs], skip_tags=["pre", "code"], parse_email=False
    )
    for tag, names in classes.items():
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


def render_post(source: str | None) -> Markup:
    """A discussion post as HTML: the markdown subset, raw HTML shown as text, and nothing else
    surviving the allow-list (no images, no attributes but a link's href)."""
    return _render_post(source or "")


@lru_cache(maxsize=2048)
def _render_post(source: str) -> Markup:
    return _clean(
        _post_markdown.render(source),
        tags=POST_TAGS,
        attributes={"a": ["href"]},
        link_attrs=_post_link_attrs,
        classes=_POST_CLASSES,
    )
