"""Writing an email once and sending it as plain text and as simple, accessible HTML.

An email is one template, `templates/emails/<name>.txt`: its first line is the subject, the
rest is a little markdown — paragraphs, `- ` lists, `## ` headings and links written as
`[Reset your password](URL)`, with link text that makes sense on its own. From that one source:

- the plain-text part keeps the lines as written, turns each link into "text: URL" (or
  "text (URL)" inside a sentence) and drops the heading marks;
- the HTML part is the markdown rendered by markdown-it (raw HTML off, no images) inside
  `templates/emails/layout.html`: `lang="en"`, a `<title>` and an `<h1>` from the subject, the
  area's forum name and colour when the email is about an area, no images, no tracking, links
  left as they are, readable without its small stylesheet.

Every value a template prints (`{{ … }}`) is escaped for markdown, so a name or a title can
never become a link, a heading or a list in either part. A value that is meant to be markdown
(text an organiser wrote as markdown) is passed wrapped in `MarkdownSource`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app, render_template
from jinja2 import Environment
from markdown_it import MarkdownIt
from markupsafe import Markup

#: ASCII punctuation: every one of them may be backslash-escaped in CommonMark
_PUNCTUATION = r"[!-/:-@\[-`{-~]"
_ESCAPE = re.compile(f"({_PUNCTUATION})")
_UNESCAPE = re.compile(rf"\\({_PUNCTUATION})")
#: in the markdown source: an escaped character (left for `_unescape`), or a link
_LINK_OR_ESCAPE = re.compile(
    rf"\\{_PUNCTUATION}|\[(?P<text>(?:\\.|[^\\\]])*)\]\((?P<url>(?:\\.|[^\\)\s])*)\)"
)
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).disable(
    "image"
)


class MarkdownSource(str):
    """A value printed into an email template as markdown rather than as text (for example
    a newsletter an organiser wrote in markdown). Raw HTML in it is still shown as text."""


def escape_markdown(value) -> str:
    """`value` as markdown that shows exactly its text."""
    if isinstance(value, MarkdownSource):
        return str(value)
    return _ESCAPE.sub(r"\\\1", "" if value is None else str(value))


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _environment() -> Environment:
    """The app's template environment, printing values escaped for markdown. Its own cache
    (and no bytecode cache) keeps its compiled templates apart from the app's."""
    env = current_app.extensions.get("email_templates")
    if env is None:
        env = current_app.jinja_env.overlay(
            finalize=escape_markdown, autoescape=False, cache_size=100, bytecode_cache=None
        )
        current_app.extensions["email_templates"] = env
    return env


def plain_text(source: str) -> str:
    """The plain-text part: links as "text: URL" on their own line, or "text (URL)" inside
    a sentence; heading marks and markdown escapes dropped; lines as written."""

    def replace(match: re.Match) -> str:
        if match.group("url") is None:
            return match.group(0)  # an escaped character: unescaped below, with the rest
        # (both keep their escapes: they are unescaped below, with the rest)
        text, url = match.group("text"), match.group("url")
        whole = match.string
        starts_line = match.start() == 0 or whole[match.start() - 1] == "\n"
        ends_line = match.end() == len(whole) or whole[match.end()] == "\n"
        if starts_line and ends_line:
            return f"{text}: {url}"
        return f"{text} ({url})"

    text = _LINK_OR_ESCAPE.sub(replace, source)
    text = _HEADING.sub("", text)
    return _unescape(text)


def html_part(subject: str, source: str, area=None) -> str:
    colour = getattr(area, "brand_colour", None)
    return render_template(
        "emails/layout.html",
        subject=subject,
        body=Markup(_markdown.render(source)),  # noqa: S704 - markdown-it with raw HTML off
        forum_name=getattr(area, "forum_name", None),
        colour=colour if colour and _COLOUR.match(colour) else None,
    )


def render_email(template: str, **context) -> RenderedEmail:
    """Render `templates/emails/<template>.txt` into its subject, text part and HTML part."""
    area = context.get("area") or getattr(context.get("consultation"), "area", None)
    current_app.update_template_context(context)
    source = _environment().get_template(f"emails/{template}.txt").render(context)
    subject_line, _, body = source.partition("\n")
    body = re.sub(r"\n{3,}", "\n\n", body.strip("\n")) + "\n"
    subject = _unescape(subject_line.strip())[:200]
    return RenderedEmail(
        subject=subject, text=plain_text(body), html=html_part(subject, body, area)
    )
