"""One definition of words and characters: the server's (forum/surveys/counting.py) and the
browser's (static/src/counting.js) agree on every string here, and the server enforces it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from forum.surveys.counting import (
    LONG_TEXT_CAP,
    TextLimits,
    check_text,
    clean_text,
    count_characters,
    count_words,
    limits_of,
    summary,
)
from forum.surveys.models import Question, QuestionKind

ROOT = Path(__file__).resolve().parents[2]

#: (text, words, characters) after cleaning as a long answer
CASES = [
    ("", 0, 0),
    ("   ", 0, 0),
    ("one", 1, 3),
    ("Hello, world!", 2, 13),
    ("well-being matters", 2, 18),
    ("yes—no", 1, 6),
    ("well — maybe", 3, 12),
    ("don't stop… ever.", 3, 17),
    ("😀", 1, 1),
    ("I feel 😢 today", 4, 14),
    ("👨‍👩‍👧 family", 2, 12),
    ("🇬🇧 flag", 2, 7),
    ("مرحبا بكم في المنتدى", 4, 20),
    ("שלום עולם", 2, 9),
    ("مريم 👩‍👧 בית", 3, 12),
    ("non\u00a0breaking space", 3, 18),
    ("thin\u2009space and\u3000ideographic", 4, 26),
    ("narrow\u202fno-break", 2, 15),
    ("line\u2028separator", 2, 14),
    ("ogham\u1680space", 2, 11),
    ("zero\u200bwidth", 1, 10),
    ("tab\tseparated\twords", 3, 19),
    ("first line\r\nsecond line\rthird", 5, 28),
    ("para one\n\n\n\n\npara two", 4, 18),
    ("trailing   \nspaces   ", 2, 15),
    ("e\u0301clair", 1, 6),
    ("hidden\u202eoverride\ufeff", 1, 14),
    ("control\x00\x07chars", 1, 12),
    ("\ud83d lone", 1, 4),
    ("1,500 words, 2.5 pages & 3 ideas", 7, 32),
    ("<script>alert(1)</script>", 1, 25),
    ("a" * 1499 + "😀", 1, 1500),
]


@pytest.mark.parametrize(("text", "words", "characters"), CASES)
def test_python_counts(text, words, characters):
    cleaned = clean_text(text, multiline=True)
    assert (count_words(cleaned), count_characters(cleaned)) == (words, characters)


def _node_counts(texts: list[str], multiline: bool) -> list[list[int]]:
    script = (
        "import { cleanText, countWords, countCharacters } from "
        f"{json.dumps((ROOT / 'static/src/counting.js').as_uri())};"
        "let input = '';"
        "process.stdin.on('data', (chunk) => { input += chunk });"
        "process.stdin.on('end', () => {"
        "  const texts = JSON.parse(input);"
        f"  const out = texts.map((t) => {{ const c = cleanText(t, {json.dumps(multiline)});"
        "    return [countWords(c), countCharacters(c), c] });"
        "  process.stdout.write(JSON.stringify(out));"
        "});"
    )
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the browser's counting code (it builds the assets)")
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(texts, ensure_ascii=True),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("multiline", [True, False])
def test_browser_and_server_agree(multiline):
    texts = [text for text, _, _ in CASES] + [
        " \u2003 leading and trailing \u205f ",
        "x\x85y\x1cz",
        "a\n\n\nb",
        "\n\n",
    ]
    browser = _node_counts(texts, multiline)
    for text, (words, characters, cleaned) in zip(texts, browser, strict=True):
        server = clean_text(text, multiline=multiline)
        assert cleaned == server, repr(text)
        assert (words, characters) == (count_words(server), count_characters(server)), repr(text)


def test_one_emoji_past_1499_letters_is_within_1500():
    assert check_text("a" * 1499 + "😀", TextLimits(1500)) is None
    assert check_text("a" * 1500 + "😀", TextLimits(1500)) == (
        "Your answer must be 1,500 characters or fewer. You have 1 character too many"
    )


def test_word_limit_messages():
    limits = TextLimits(LONG_TEXT_CAP, 3, says_characters=False)
    assert check_text("one two three", limits) is None
    assert check_text("one two three four five", limits) == (
        "Your answer must be 3 words or fewer. You have 2 words too many"
    )


def test_limits_of_questions():
    long = Question(kind=QuestionKind.LONG_TEXT, max_length=None, max_words=250)
    assert limits_of(long) == TextLimits(LONG_TEXT_CAP, 250, says_characters=False)
    assert summary(limits_of(long)) == "Up to 250 words"
    both = Question(kind=QuestionKind.LONG_TEXT, max_length=1500, max_words=250)
    assert summary(limits_of(both)) == "Up to 250 words and 1,500 characters"
    plain = Question(kind=QuestionKind.LONG_TEXT, max_length=None, max_words=None)
    assert summary(limits_of(plain)) == "Up to 2,000 characters"
    short = Question(kind=QuestionKind.SHORT_TEXT, max_words=1)
    assert limits_of(short).characters == 200
    assert summary(limits_of(short)) == "Up to 1 word"
