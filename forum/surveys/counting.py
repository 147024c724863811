"""The one definition of how long a written answer is, in characters and in words.

The browser counts as people type (static/src/counting.js) and the server checks what was sent
(`check_text`); both follow the rules here, so a count shown as "0 words remaining" is never
refused, and one shown as "1 word too many" is never accepted. A test runs both over the same
strings (tests/surveys/test_counting.py).

- The text counted is the text as saved: `forum.web.text.clean_text` (NFC, CRLF and CR as one
  newline, unsafe code points dropped, runs of spaces made one, lines trimmed, at most one blank
  line in a row, trimmed). The browser applies the same steps before counting.
- **Characters** are Unicode code points of that text: an emoji is one, a flag is two (two
  regional indicators), a family emoji joined by zero-width joiners is one for each person and
  one for each joiner. Not UTF-16 code units, as the browser's `maxlength` counts.
- **Words** are maximal runs of characters that are not in `WORD_SPACES`: "well-being",
  "yes—no", "don't" and "😀" are one word each; "well — maybe" is three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forum.surveys.models import LONG_TEXT_MAX, SHORT_TEXT_MAX, Question, QuestionKind
from forum.web.text import clean_text

#: the characters that separate words: Unicode's White_Space property, listed here because
#: Python's `\s` and JavaScript's `\s` disagree (U+0085, U+001C–U+001F, U+FEFF)
WORD_SPACES = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WORD = re.compile("[^" + re.escape(WORD_SPACES) + "]+")

#: the most characters of a long answer with a word limit and no character limit of its own
LONG_TEXT_CAP = 10_000


def count_characters(text: str) -> int:
    """Characters in already cleaned text: code points."""
    return len(text)


def count_words(text: str) -> int:
    """Words in already cleaned text: runs of anything but `WORD_SPACES`."""
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class TextLimits:
    """What a text question allows: `characters` always (a hard bound), `words` when set.
    `says_characters` is whether the character limit is the organiser's, to tell people about;
    otherwise it is only a safety bound behind a word limit."""

    characters: int
    words: int | None = None
    says_characters: bool = True


def limits_of(question: Question) -> TextLimits:
    """The limits of a short or long text question's answer."""
    if question.kind is QuestionKind.SHORT_TEXT:
        return TextLimits(SHORT_TEXT_MAX, question.max_words, says_characters=False)
    if question.max_length is None and question.max_words is not None:
        return TextLimits(LONG_TEXT_CAP, question.max_words, says_characters=False)
    return TextLimits(question.max_length or LONG_TEXT_MAX, question.max_words)


def check_text(text: str, limits: TextLimits) -> str | None:
    """The message to show beside the answer when cleaned `text` is over a limit, else None."""
    if limits.words is not None:
        words = count_words(text)
        if words > limits.words:
            over = words - limits.words
            return (
                f"Your answer must be {limits.words:,} words or fewer. You have "
                f"{over:,} {'word' if over == 1 else 'words'} too many"
            )
    characters = count_characters(text)
    if characters > limits.characters:
        over = characters - limits.characters
        return (
            f"Your answer must be {limits.characters:,} characters or fewer. You have "
            f"{over:,} {'character' if over == 1 else 'characters'} too many"
        )
    return None


def summary(limits: TextLimits) -> str:
    """How the limit reads in a hint or the builder's list: "Up to 250 words"."""
    parts = []
    if limits.words is not None:
        parts.append(f"{limits.words:,} {'word' if limits.words == 1 else 'words'}")
    if limits.says_characters:
        parts.append(f"{limits.characters:,} characters")
    return "Up to " + " and ".join(parts) if parts else ""


__all__ = [
    "LONG_TEXT_CAP",
    "WORD_SPACES",
    "TextLimits",
    "check_text",
    "clean_text",
    "count_characters",
    "count_words",
    "limits_of",
    "summary",
]
