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
    html = _markdown.render(source)
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=["http", "https", "mailto"],
        strip=True,
    )
    cleaned = bleach.linkify(
        cleaned, callbacks=[_link_attrs], skip_tags=["pre", "code"], parse_email=False
    )
    for tag, classes in _CLASSES.items():
        cleaned = cleaned.replace(f"<{tag}>", f'<{tag} class="{classes}">')
    return Markup(cleaned)  # noqa: S704 - bleach output with an allow-list
