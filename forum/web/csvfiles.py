"""Reading a CSV file someone uploaded: its text, whatever a spreadsheet saved, or a plain
message saying why not. Used by every import (plans, population figures)."""

from __future__ import annotations

import csv
import io


def decode(data: bytes, *, max_bytes: int) -> str:
    """The file's text: UTF-8 (with or without a byte order mark), else Windows-1252, which is
    what older Excel saves. Raises ValueError with a plain message for anything else."""
    if not data or not data.strip():
        raise ValueError("The file is empty. Choose a CSV file with a heading row and rows.")
    if len(data) > max_bytes:
        size = (
            f"{max_bytes // (1024 * 1024)} MB"
            if max_bytes >= 1024 * 1024
            else (f"{max_bytes // 1024} KB")
        )
        raise ValueError(
            f"The file is bigger than {size}. Split it into smaller files and import each one."
        )
    if b"\x00" in data or data.startswith(b"PK\x03\x04"):
        raise ValueError(
            "This is not a CSV file. In your spreadsheet, choose Save as or Download, then "
            "“CSV UTF-8”."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(
        "We could not read the text in this file. Save it as “CSV UTF-8” and try again."
    )


def records(text: str) -> list[list[str]]:
    """The file's non-blank rows. Raises ValueError with a plain message when it is not CSV."""
    try:
        found = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise ValueError(
            "This file is not a CSV file we can read: a cell may be far too long or a quote "
            "mark may be missing."
        ) from None
    return [r for r in found if any(cell.strip() for cell in r)]
