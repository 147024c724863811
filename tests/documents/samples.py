"""Small real files of each type documents take, and hostile ones, made in memory."""

from __future__ import annotations

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 10
MP3_FRAME = b"\xff\xfb\x90\x00" * 10
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 20
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 30
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
XML_SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 40
TEXT = b"Just some words in a text file.\n"


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


DOCX = _zip(
    [
        (
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            b'document.main+xml"/></Types>',
        ),
        ("word/document.xml", b"<w:document/>"),
    ]
)
ODT = _zip(
    [
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<office:document-content/>"),
    ]
)
ZIP = _zip([("notes.txt", b"hello")])

#: (bytes, a name it may have, the type found)
GOOD = [
    (PDF, "easy-read.pdf", "pdf"),
    (DOCX, "easy-read.docx", "docx"),
    (ODT, "easy-read.odt", "odt"),
    (PNG, "poster.png", "png"),
    (JPEG, "poster.jpg", "jpeg"),
    (JPEG, "poster.JPEG", "jpeg"),
    (MP3, "audio.mp3", "mp3"),
    (MP3_FRAME, "audio.mp3", "mp3"),
    (M4A, "audio.m4a", "m4a"),
    (WAV, "audio.wav", "wav"),
]

#: (bytes, name, words in the refusal)
HOSTILE = [
    (HTML, "page.html", "web page"),
    (HTML, "easy-read.pdf", "web page"),
    (SVG, "picture.svg", "SVG"),
    (SVG, "picture.png", "SVG"),
    (XML_SVG, "picture.png", "SVG"),
    (SCRIPT, "run.sh", "script"),
    (EXE, "setup.exe", "program"),
    (EXE, "easy-read.pdf", "program"),
    (ELF, "tool", "program"),
    (TEXT, "notes.txt", "cannot be shared"),
    (ZIP, "archive.zip", "ZIP archive"),
    (ZIP, "fake.docx", "ZIP archive"),
    (PDF, "easy-read.docx", "is a PDF"),
    (PNG, "easy-read.pdf", "is a PNG"),
    (PDF, "report.exe", "Files ending .exe"),
    (b"", "empty.pdf", "empty"),
]

#: (name, words in the refusal)
BAD_NAMES = [
    ("../../etc/passwd.pdf", "not allowed"),
    ("..\\windows.pdf", "not allowed"),
    ("folder/easy.pdf", "not allowed"),
    ("easy\x00.pdf", "not allowed"),
    ("a" * 200 + ".pdf", "too long"),
    ("easy\u202efdp.exe", "hidden or unusual"),
    ("easy\u200b.pdf", "hidden or unusual"),
    (".hidden.pdf", "cannot start with a dot"),
    ("   ", "Choose a file"),
]
