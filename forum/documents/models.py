"""Documents attached to something a forum publishes (a consultation, a local plan, later an
event): uploaded files and links, each labelled by the format it is in (easy read, BSL, large
print …), and people's requests for a format that is not there yet."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import url_for
from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow


def megabytes(size: int) -> str:
    """A size in words: "2 MB", "1.5 MB", "340 KB"."""
    if size >= 1024 * 1024:
        value = size / (1024 * 1024)
        return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB".replace(".0 ", " ")
    return f"{max(1, round(size / 1024))} KB"


class DocumentFormat(enum.StrEnum):
    FULL = "full"
    EASY_READ = "easy_read"
    BSL = "bsl"
    LARGE_PRINT = "large_print"
    AUDIO = "audio"
    LANGUAGE = "language"

    @property
    def label(self) -> str:
        return {
            "full": "Full document",
            "easy_read": "Easy read version",
            "bsl": "British Sign Language (BSL) version",
            "large_print": "Large print version",
            "audio": "Audio version",
            "language": "Another language",
        }[self.value]


class FileType(enum.StrEnum):
    """What an upload is, found from its first bytes (forum/documents/checking.py)."""

    PDF = "pdf"
    DOCX = "docx"
    ODT = "odt"
    PNG = "png"
    JPEG = "jpeg"
    MP3 = "mp3"
    M4A = "m4a"
    WAV = "wav"

    @property
    def label(self) -> str:
        return {
            "pdf": "PDF",
            "docx": "Word document",
            "odt": "OpenDocument text",
            "png": "PNG image",
            "jpeg": "JPEG image",
            "mp3": "MP3 audio",
            "m4a": "M4A audio",
            "wav": "WAV audio",
        }[self.value]

    @property
    def content_type(self) -> str:
        return {
            "pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "odt": "application/vnd.oasis.opendocument.text",
            "png": "image/png",
            "jpeg": "image/jpeg",
            "mp3": "audio/mpeg",
            "m4a": "audio/mp4",
            "wav": "audio/wav",
        }[self.value]

    @property
    def extension(self) -> str:
        return "jpg" if self is FileType.JPEG else self.value

    @property
    def is_inline(self) -> bool:
        """Shown in the browser rather than saved: PDFs and pictures."""
        return self in (FileType.PDF, FileType.PNG, FileType.JPEG)


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_owner", "owner_kind", "owner_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on when the label is changed (not when the list is reordered, which is no change
    #: to the label); the relabel form carries it to catch a stale save (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: what the document belongs to: a kind registered on `hooks.document_owners`
    #: ("consultation", "plan") and that row's id
    owner_kind: Mapped[str] = mapped_column(String(24))
    owner_id: Mapped[int]
    #: order in the "Other formats" list, from 1
    position: Mapped[int] = mapped_column(default=1)
    format: Mapped[DocumentFormat] = mapped_column(str_enum(DocumentFormat, 16))
    #: for "another language": which one ("Polish", "Urdu")
    language: Mapped[str] = mapped_column(String(60), default="")
    title: Mapped[str] = mapped_column(String(200))
    #: an https link (a BSL video on a video site) instead of a file
    link_url: Mapped[str | None] = mapped_column(String(500))
    #: the stored file's name in the storage: a random id, never the uploader's file name
    storage_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    file_type: Mapped[FileType | None] = mapped_column(str_enum(FileType, 8))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    #: the uploaded file's name, cleaned, offered when it is downloaded
    file_name: Mapped[str] = mapped_column(String(120), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area = relationship("Area")

    @property
    def is_link(self) -> bool:
        return self.link_url is not None

    @property
    def format_label(self) -> str:
        if self.format is DocumentFormat.LANGUAGE and self.language:
            return f"{self.language} version"
        return self.format.label

    @property
    def size_label(self) -> str:
        return megabytes(self.size_bytes or 0)

    @property
    def url(self) -> str:
        if self.link_url is not None:
            return self.link_url
        return url_for("documents.download", area_slug=self.area.slug, document_id=self.id)


class FormatRequestStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"open": "Waiting", "done": "Answered"}[self.value]


class FormatRequest(db.Model):
    """Someone asked for a format that is not there yet ("large print, please")."""

    __tablename__ = "format_requests"
    __table_args__ = (Index("ix_format_requests_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    owner_kind: Mapped[str] = mapped_column(String(24))
    owner_id: Mapped[int]
    #: the owner's title when asked, so the organisers' list needs no lookups
    about: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[DocumentFormat] = mapped_column(str_enum(DocumentFormat, 16))
    language: Mapped[str] = mapped_column(String(60), default="")
    #: what the person added ("A4 in 18 point, please"); personal data
    note: Mapped[str] = mapped_column(Text, default="")
    #: who asked, when signed in; else only `email`
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: where to answer: the account's address, or the one a visitor gave
    email: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[FormatRequestStatus] = mapped_column(
        str_enum(FormatRequestStatus, 8), default=FormatRequestStatus.OPEN
    )
    #: the organiser's answer, emailed to the person
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area = relationship("Area")

    @property
    def format_label(self) -> str:
        if self.format is DocumentFormat.LANGUAGE and self.language:
            return f"{self.language} version"
        return self.format.label
