"""Uploads are checked by their content, not their name; sizes are limited while streaming."""

from __future__ import annotations

import io

import pytest

from forum.documents.checking import (
    DocumentError,
    check_link,
    check_upload,
    clean_file_name,
    take_upload,
)
from forum.documents.models import megabytes
from tests.documents import samples


@pytest.mark.parametrize(("data", "name", "kind"), samples.GOOD, ids=lambda v: str(v)[:12])
def test_each_type_is_found_by_its_content(data, name, kind):
    with take_upload(io.BytesIO(data), 1000) as upload:
        assert check_upload(upload, name).value == kind


@pytest.mark.parametrize(("data", "kind"), [(samples.PDF, "pdf"), (samples.DOCX, "docx")])
def test_a_name_without_an_ending_is_taken_by_content(data, kind):
    with take_upload(io.BytesIO(data), 10_000) as upload:
        assert check_upload(upload, "easy read").value == kind


@pytest.mark.parametrize(("data", "name", "words"), samples.HOSTILE, ids=lambda v: str(v)[:14])
def test_hostile_and_mislabelled_files_are_refused(data, name, words):
    with pytest.raises(DocumentError) as refused, take_upload(io.BytesIO(data), 10_000) as upload:
        check_upload(upload, name)
    assert words in str(refused.value)
    assert refused.value.field == "file"


class Endless(io.RawIOBase):
    """A 100 MB upload that is only made as it is read, counting what was read."""

    def __init__(self, size: int):
        self.left, self.read_bytes = size, 0

    def readable(self):
        return True

    def read(self, n=-1):
        n = min(self.left, 64 * 1024 if n is None or n < 0 else n)
        self.left -= n
        self.read_bytes += n
        return b"%PDF-" + b"x" * (n - 5) if n >= 5 else b"x" * n


def test_a_file_over_the_limit_is_refused_without_reading_it_all():
    stream = Endless(100 * 1024 * 1024)
    with pytest.raises(DocumentError, match="bigger than 20 MB"):
        take_upload(stream, 20 * 1024 * 1024)
    assert stream.read_bytes <= 20 * 1024 * 1024 + 64 * 1024


def test_an_empty_file_is_refused():
    with pytest.raises(DocumentError, match="empty"):
        take_upload(io.BytesIO(b""), 100)


@pytest.mark.parametrize(("name", "words"), samples.BAD_NAMES, ids=lambda v: repr(v)[:20])
def test_path_tricks_and_odd_names_are_refused(name, words):
    with pytest.raises(DocumentError) as refused:
        clean_file_name(name)
    assert words in str(refused.value)


def test_ordinary_names_are_kept_in_any_language():
    assert clean_file_name("  Easy read – Café.pdf ") == "Easy read – Café.pdf"
    assert clean_file_name("نسخة سهلة.pdf") == "نسخة سهلة.pdf"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://www.youtube.com/watch?v=1",
        "javascript:alert(1)",
        "https://",
        "https://localhost/x",
        "https://user:pw@example.org/x",
        "https://example.org/a b",
        "https://example.org/\u202e",
        "data:text/html,<script>",
        "https://example.org/" + "a" * 500,
    ],
)
def test_links_must_be_https_to_another_site(url):
    with pytest.raises(DocumentError) as refused:
        check_link(url)
    assert refused.value.field == "link_url"


def test_a_good_link_is_kept():
    assert check_link(" https://www.youtube.com/watch?v=abc ") == (
        "https://www.youtube.com/watch?v=abc"
    )


def test_sizes_in_words():
    assert megabytes(2 * 1024 * 1024) == "2 MB"
    assert megabytes(1536 * 1024) == "1.5 MB"
    assert megabytes(340 * 1024) == "340 KB"
    assert megabytes(20 * 1024 * 1024) == "20 MB"
    assert megabytes(10) == "1 KB"
