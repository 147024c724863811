import pytest

from forum.web.text import clean_text, render_markdown


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  hello   world ", "hello world"),
        ("line\nbreak", "line break"),
        ("nul\x00byte", "nulbyte"),
        ("bidi\u202eoverride", "bidioverride"),
        ("cafe\u0301", "café"),
        ("مرحبا بكم", "مرحبا بكم"),
        ("family 👨‍👩‍👧 emoji", "family 👨‍👩‍👧 emoji"),
        (None, ""),
    ],
)
def test_clean_text_single_line(raw, expected):
    assert clean_text(raw) == expected


def test_clean_text_multiline_keeps_paragraphs():
    assert clean_text("a  \r\n\r\n\r\n\r\nb\tc", multiline=True) == "a\n\nb c"


def test_markdown_is_sanitised():
    html = str(render_markdown("**bold** <script>alert(1)</script> [x](javascript:alert(1))"))
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert 'href="javascript' not in html
    assert 'class="govuk-body"' in html


def test_markdown_links_get_safe_attributes():
    html = str(render_markdown("See https://example.org and [the plan](https://example.org/p)"))
    assert 'rel="nofollow noopener"' in html and 'class="govuk-link"' in html
