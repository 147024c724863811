"""Checking what people upload and link to, by content and not by name.

An upload is read once, in chunks, into a temporary file (`take_upload`): it is refused as soon
as it passes the size limit, so a 100 MB file is never held in memory. Its type comes from its
first bytes (and, for Word and OpenDocument files, from the entries inside the ZIP container);
a name that claims another type ("report.docx" holding a PDF) is refused, and so is anything
that looks like a web page, an SVG picture, a script or a program.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
import zipfile
from typing import IO
from urllib.parse import urlsplit

from forum.documents.models import FileType, megabytes
from forum.errors import Refused


class DocumentError(Refused):
    """An upload, link or request that cannot be taken; the message is safe to show."""


#: what the file types are called in messages, for the size limit and the "we take" sentence
TAKEN = "PDF, Word (.docx), OpenDocument (.odt), PNG or JPEG pictures, or MP3, M4A or WAV audio"
#: the names each file type may end with
EXTENSIONS = {
    "pdf": FileType.PDF,
    "docx": FileType.DOCX,
    "odt": FileType.ODT,
    "png": FileType.PNG,
    "jpg": FileType.JPEG,
    "jpeg": FileType.JPEG,
    "mp3": FileType.MP3,
    "m4a": FileType.M4A,
    "wav": FileType.WAV,
}
MAX_NAME = 120
CHUNK = 64 * 1024
#: the first bytes of things that must never be served from the forum's address
HOSTILE = (
    (b"<svg", "an SVG picture, which can hold a script"),
    (b"<?xml", "an XML or SVG file, which can hold a script"),
    (b"<!doctype", "a web page"),
    (b"<html", "a web page"),
    (b"<script", "a script"),
    (b"<", "a web page or markup"),
    (b"#!", "a script"),
    (b"mz", "a program"),
    (b"\x7felf", "a program"),
    (b"\xca\xfe\xba\xbe", "a program"),
    (b"\xcf\xfa\xed\xfe", "a program"),
)


def clean_file_name(name: str | None) -> str:
    """The uploaded file's name as it will be offered for download, or a refusal: no folders,
    no control or invisible characters, no names longer than 120 characters."""
    if not name or not name.strip():
        raise DocumentError("Choose a file to upload", field="file")
    if "\x00" in name or "/" in name or "\\" in name or ".." in name:
        raise DocumentError(
            "The file's name has characters that are not allowed (such as / or ..). Rename "
            "the file and try again",
            field="file",
        )
    name = unicodedata.normalize("NFC", name.strip())
    if len(name) > MAX_NAME:
        raise DocumentError(
            f"The file's name is too long. Rename it to {MAX_NAME} characters or fewer",
            field="file",
        )
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in name):
        raise DocumentError(
            "The file's name has hidden or unusual characters. Rename the file using letters, "
            "numbers, spaces and dashes, then try again",
            field="file",
        )
    if name.startswith("."):
        raise DocumentError("The file's name cannot start with a dot", field="file")
    return name


def take_upload(stream: IO[bytes], limit: int) -> IO[bytes]:
    """Copy the upload into a temporary file in chunks, refusing it once it passes `limit`
    bytes (before reading the rest) or when it is empty. The file is left at its start."""
    copy = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 (returned open)
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            copy.close()
            raise DocumentError(
                f"The file is bigger than {megabytes(limit)}. Make it smaller (for example, "
                "save a PDF with smaller pictures) or share it as a link",
                field="file",
            )
        copy.write(chunk)
    if size == 0:
        copy.close()
        raise DocumentError("The file is empty. Choose the file again", field="file")
    copy.seek(0)
    return copy


def file_size(upload: IO[bytes]) -> int:
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    return size


def _zip_type(upload: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                kind = archive.read("mimetype")[:100].strip()
                if kind == b"application/vnd.oasis.opendocument.text":
                    return FileType.ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                types = archive.read("[Content_Types].xml")[:200_000]
                if b"wordprocessingml.document.main+xml" in types:
                    return FileType.DOCX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff(upload: IO[bytes]) -> FileType:
    """The file's type from its content, or a refusal saying what it looks like."""
    head = upload.read(64)
    upload.seek(0)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return FileType.WAV
    if head[4:8] == b"ftyp" and head[8:12] in (b"M4A ", b"M4B ", b"mp42", b"isom"):
        return FileType.M4A
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return FileType.MP3
    if head.startswith(b"PK\x03\x04"):
        found = _zip_type(upload)
        if found is not None:
            return found
        raise DocumentError(
            "The file is a ZIP archive but not a Word (.docx) or OpenDocument (.odt) document. "
            f"Upload {TAKEN}",
            field="file",
        )
    for start, what in HOSTILE:
        if lowered.startswith(start):
            raise DocumentError(
                f"The file looks like {what}, which cannot be shared here. Upload {TAKEN}",
                field="file",
            )
    raise DocumentError(f"This type of file cannot be shared here. Upload {TAKEN}", field="file")


def check_upload(upload: IO[bytes], name: str) -> FileType:
    """The type of an upload already taken, agreeing with its name's ending if it has one."""
    found = sniff(upload)
    stem, dot, ending = name.rpartition(".")
    if dot and stem:
        claimed = EXTENSIONS.get(ending.lower())
        if claimed is None:
            raise DocumentError(
                f"Files ending .{ending[:10]} cannot be shared here. Upload {TAKEN}", field="file"
            )
        if claimed is not found:
            raise DocumentError(
                f"The file's name ends .{ending} but the file is a {found.label}. Rename it to "
                f"end .{found.extension}, or choose the right file",
                field="file",
            )
    return found


def check_link(url: str | None) -> str:
    """An https address on another site, or a refusal."""
    url = (url or "").strip()
    if not url:
        raise DocumentError("Enter the link, starting https://", field="link_url")
    if len(url) > 500:
        raise DocumentError("The link must be 500 characters or fewer", field="link_url")
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in url):
        raise DocumentError("The link cannot have spaces or hidden characters", field="link_url")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or "." not in parts.hostname:
        raise DocumentError(
            "Enter a full link starting https://, like https://www.youtube.com/watch?v=…",
            field="link_url",
        )
    if parts.username or parts.password:
        raise DocumentError("The link cannot have a name or password in it", field="link_url")
    return url
