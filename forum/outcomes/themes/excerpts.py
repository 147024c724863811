"""Checking a quote against the answer it comes from: pure functions, no database.

A quote is the answer's own words, whole or in part, in which any span may be replaced by one
of the `MARKERS` (to take out a name, a school, a diagnosis). The check is done on the server
whatever the browser sent: every piece of the quote between markers must appear in the answer,
in order, and each marker must stand for some words between them. Spaces and line breaks are
compared loosely (any run of them matches any other), and "…" or "..." at either end (the usual
sign of a cut) is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forum.web.text import clean_text

#: what may stand in for words taken out of a quote
MARKERS = ("[name removed]", "[redacted]")
#: the longest quote kept (a long answer is quoted in part)
QUOTE_MAX = 2000

_MARKER = re.compile("|".join(re.escape(m) for m in MARKERS))
_ELLIPSIS = re.compile(r"^(?:…|\.\.\.)\s*|\s*(?:…|\.\.\.)$")
_WORDY = re.compile(r"\w")


class ExcerptError(ValueError):
    """The quote is not a part of the answer; the message is safe to show."""


@dataclass(frozen=True)
class Excerpt:
    #: the words to publish, tidied
    text: str
    #: not the whole answer: cut down, or with something replaced by a marker
    is_excerpt: bool


def _loose(words: str) -> str:
    """A pattern for literal words in which any run of spaces matches any other."""
    return r"\s+".join(re.escape(part) for part in words.split())


def _squash(words: str) -> str:
    return " ".join(words.split())


def pieces_of(quote: str) -> tuple[list[re.Pattern], bool, bool] | None:
    """The quote's own words as patterns, one per run between markers, and whether it begins
    and ends with a marker; None when the quote has no words of its own (empty, or only
    markers)."""
    body = _ELLIPSIS.sub("", quote.strip())
    pieces = _MARKER.split(body)
    if not any(_WORDY.search(piece) for piece in pieces):
        return None
    patterns = [re.compile(_loose(piece)) for piece in pieces if piece.strip()]
    return patterns, not pieces[0].strip(), not pieces[-1].strip()


def _is_part_of(answer: str, quote: str) -> bool:
    """Each run of the quote's words is found in the answer after the one before, with at least
    one character between them where a marker stood (and before the first, or after the last,
    when the quote begins or ends with one). Matching each run at its first place is enough (a
    later place could only leave less room for the rest), so the check takes one pass, however
    many markers: no pattern that could backtrack for ever."""
    found_pieces = pieces_of(quote)
    if found_pieces is None:
        return False
    patterns, leading, trailing = found_pieces
    answer = answer.strip()
    at = 0
    for n, pattern in enumerate(patterns):
        found = pattern.search(answer, at + (1 if n or leading else 0))
        if found is None:
            return False
        at = found.end()
    return not trailing or at < len(answer)


def check_quote(answer: str, quote: str | None) -> Excerpt:
    """The quote, tidied, if it is the answer or a part of it (markers standing for words taken
    out); `ExcerptError` otherwise."""
    text = clean_text(quote, multiline=True)
    if not text:
        raise ExcerptError("Enter the words to quote")
    if len(text) > QUOTE_MAX:
        raise ExcerptError(f"A quote must be {QUOTE_MAX:,} characters or fewer: quote a part")
    if pieces_of(text) is None:
        raise ExcerptError("A quote needs some of the person’s own words, not only “[redacted]”")
    if not _is_part_of(answer or "", text):
        raise ExcerptError(
            "A quote must be the person’s own words, copied from their answer. You can leave out "
            "the start or the end, and put “[name removed]” or “[redacted]” in place of any "
            "words"
        )
    return Excerpt(text, _squash(text) != _squash(answer or ""))


def still_fits(answer: str | None, quote: str) -> bool:
    """Whether a saved quote is still a part of the answer (which its author may have changed
    since, while the survey allowed it)."""
    return _is_part_of(answer or "", quote)
