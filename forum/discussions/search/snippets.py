"""Search snippets: a post's words as plain text around the first match, escaped first, then
the matching words wrapped in <mark>."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

#: characters of a post shown around the first match
SNIPPET_LENGTH = 220

_SUFFIXES = ("ing", "ed", "es", "s", "ly")
_QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]*)+", re.MULTILINE)
_MARKDOWN = re.compile(r"\]\([^)\s]*\)|[*_#`~\[\]]+")


def _stem(term: str) -> str:
    """A rough stem, so "waiting" also marks "waited" (the engines stem; this only marks)."""
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            return term[: -len(suffix)]
    return term


def _pattern(terms: list[str]) -> re.Pattern:
    stems = sorted({_stem(term) for term in terms}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.I)


def highlight(value: str, terms: list[str], *, length: int | None = SNIPPET_LENGTH) -> Markup:
    """`value` as plain text (markdown marks dropped, spaces tidied), cut to about `length`
    characters around the first match, escaped, with the matching words in <mark>."""
    plain = " ".join(_MARKDOWN.sub(" ", _QUOTE_MARKS.sub("", value or "")).split())
    pattern = _pattern(terms) if terms else None
    start, end = 0, len(plain)
    if length is not None and len(plain) > length:
        first = pattern.search(plain) if pattern else None
        if first and first.start() > length // 3:
            start = plain.rfind(" ", 0, first.start() - length // 3) + 1
        end = min(len(plain), start + length)
        if end < len(plain):
            space = plain.rfind(" ", start, end)
            end = space if space > start else end
    piece = plain[start:end]
    parts: list[Markup] = [Markup("…")] if start > 0 else []
    position = 0
    if pattern:
        for match in pattern.finditer(piece):
            parts.append(escape(piece[position : match.start()]))
            parts.append(Markup("<mark>") + escape(match.group(0)) + Markup("</mark>"))
            position = match.end()
    parts.append(escape(piece[position:]))
    if end < len(plain):
        parts.append(Markup("…"))
    return Markup("").join(parts)
