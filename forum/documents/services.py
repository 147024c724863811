"""Writes for documents and format requests: take `actor=`, flush, record an audit entry, never
commit. A file is written to storage before the row is flushed and removed again if the
transaction is rolled back by the view (`discard_on_rollback`)."""

from __future__ import annotations

from typing import IO

from flask import current_app, url_for
from sqlalchemy import event, func, select

from forum.areas.queries import organiser_emails
from forum.audit.services import record
from forum.documents import storage as storage_module
from forum.documents.checking import (
    DocumentError,
    check_link,
    check_upload,
    clean_file_name,
    file_size,
    take_upload,
)
from forum.documents.models import Document, DocumentFormat, FormatRequest, FormatRequestStatus
from forum.documents.owners import Owner
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import queue_email
from forum.web.urls import absolute

__all__ = ["DocumentError"]


def _check_label(format_: DocumentFormat, language: str, title: str) -> tuple[str, str]:
    language = (language or "").strip()
    title = (title or "").strip()
    if format_ is DocumentFormat.LANGUAGE and not language:
        raise DocumentError("Say which language it is in", field="language")
    if len(language) > 60:
        raise DocumentError("The language must be 60 characters or fewer", field="language")
    if len(title) > 200:
        raise DocumentError("The title must be 200 characters or fewer", field="title")
    return (language if format_ is DocumentFormat.LANGUAGE else ""), title


def _next_position(owner: Owner) -> int:
    kind, owner_id = owner.key
    last = db.session.scalar(
        select(func.max(Document.position)).where(
            Document.owner_kind == kind, Document.owner_id == owner_id
        )
    )
    return (last or 0) + 1


def _when_transaction_ends(*, committed=None, rolled_back=None) -> None:
    """Run one of two things when the current transaction ends, whichever way it ends; the
    other is forgotten, so a later transaction of the same session runs neither."""
    session = db.session()

    def on_commit(session):
        event.remove(session, "after_soft_rollback", on_rollback)
        if committed is not None:
            committed()

    def on_rollback(session, previous_transaction=None):
        event.remove(session, "after_commit", on_commit)
        if rolled_back is not None:
            rolled_back()

    event.listen(session, "after_commit", on_commit, once=True)
    event.listen(session, "after_soft_rollback", on_rollback, once=True)


def _discard_on_rollback(key: str) -> None:
    """Remove a stored file again if the transaction that made its row is rolled back."""
    store = storage_module.storage()
    _when_transaction_ends(rolled_back=lambda: store.delete(key))


def add_upload(
    owner: Owner,
    *,
    stream: IO[bytes],
    name: str | None,
    format_: DocumentFormat,
    language: str = "",
    title: str = "",
    actor,
) -> Document:
    """Check an uploaded file by its content and keep it under a random key."""
    language, title = _check_label(format_, language, title)
    file_name = clean_file_name(name)
    upload = take_upload(stream, current_app.config["DOCUMENT_MAX_BYTES"])
    try:
        file_type = check_upload(upload, file_name)
        if "." not in file_name.strip("."):
            file_name = f"{file_name}.{file_type.extension}"
        size = file_size(upload)
        key = storage_module.new_key()
        storage_module.storage().save(key, upload, file_type.content_type)
    finally:
        upload.close()
    _discard_on_rollback(key)
    document = Document(
        area_id=owner.row.area_id,
        owner_kind=owner.kind.kind,
        owner_id=owner.row.id,
        position=_next_position(owner),
        format=format_,
        language=language,
        title=title or file_name.rsplit(".", 1)[0],
        storage_key=key,
        file_type=file_type,
        size_bytes=size,
        file_name=file_name,
        added_by_id=actor.id,
    )
    db.session.add(document)
    db.session.flush()
    record("document.added", document, actor=actor, area=owner.area, kind=owner.kind.kind)
    return document


def add_link(
    owner: Owner, *, url: str, format_: DocumentFormat, language: str = "", title: str, actor
) -> Document:
    """A link to a version kept elsewhere (a BSL video on a video site): https only."""
    language, title = _check_label(format_, language, title)
    if not title:
        raise DocumentError("Say what the link is, for example “BSL video”", field="title")
    document = Document(
        area_id=owner.row.area_id,
        owner_kind=owner.kind.kind,
        owner_id=owner.row.id,
        position=_next_position(owner),
        format=format_,
        language=language,
        title=title,
        link_url=check_link(url),
        added_by_id=actor.id,
    )
    db.session.add(document)
    db.session.flush()
    record("document.added", document, actor=actor, area=owner.area, kind=owner.kind.kind)
    return document


def relabel(
    document: Document, *, format_: DocumentFormat, language: str, title: str, actor
) -> Document:
    language, title = _check_label(format_, language, title)
    if not title:
        raise DocumentError("Enter a title", field="title")
    document.format, document.language, document.title = format_, language, title
    db.session.flush()
    record("document.relabelled", document, actor=actor, area=document.area)
    return document


def move(document: Document, owner: Owner, position: int, *, actor) -> Document:
    """Put a document at a position (from 1) in its owner's list; the others close up."""
    kind, owner_id = owner.key
    siblings = list(
        db.session.scalars(
            select(Document)
            .where(Document.owner_kind == kind, Document.owner_id == owner_id)
            .order_by(Document.position, Document.id)
        )
    )
    if not 1 <= position <= len(siblings):
        raise DocumentError(f"Choose a position from 1 to {len(siblings)}", field="position")
    siblings.remove(document)
    siblings.insert(position - 1, document)
    for number, sibling in enumerate(siblings, start=1):
        sibling.position = number
    db.session.flush()
    record("document.moved", document, actor=actor, area=document.area, position=position)
    return document


def remove(document: Document, *, actor) -> None:
    """Delete the row; the stored file goes once the deletion is committed."""
    key = document.storage_key
    record("document.removed", document, actor=actor, area=document.area)
    db.session.delete(document)
    db.session.flush()
    if key:
        store = storage_module.storage()
        _when_transaction_ends(committed=lambda: store.delete(key))


def request_format(
    owner: Owner,
    *,
    format_: DocumentFormat,
    language: str = "",
    note: str = "",
    email: str = "",
    actor,
) -> FormatRequest:
    """Record a request for another format and tell the area's organisers by email."""
    language = (language or "").strip()
    if format_ is DocumentFormat.LANGUAGE and not language:
        raise DocumentError("Say which language you need", field="language")
    if len(language) > 60:
        raise DocumentError("The language must be 60 characters or fewer", field="language")
    if len(note or "") > 1000:
        raise DocumentError("Your note must be 1,000 characters or fewer", field="note")
    signed_in = actor is not None and actor.is_authenticated
    if not signed_in and not email:
        raise DocumentError("Enter your email address so the forum can reply", field="email")
    found = FormatRequest(
        area_id=owner.row.area_id,
        owner_kind=owner.kind.kind,
        owner_id=owner.row.id,
        about=owner.title[:200],
        format=format_,
        language=language if format_ is DocumentFormat.LANGUAGE else "",
        note=note or "",
        user_id=actor.id if signed_in else None,
        email=actor.email if signed_in else email,
    )
    db.session.add(found)
    db.session.flush()
    record(
        "format_request.made",
        found,
        actor=actor if signed_in else None,
        area=owner.area,
        format=format_.value,
    )
    area_slug = owner.area.slug
    link = absolute(lambda: url_for("documents.requests", area_slug=area_slug))
    for address in organiser_emails(owner.area):
        queue_email(
            address,
            "format_request",
            kind="format_request",
            area=owner.area,
            format_request=found,
            link=link,
            flush=False,
        )
    db.session.flush()
    return found


def answer_request(format_request: FormatRequest, *, answer: str, actor) -> FormatRequest:
    """Mark a request done with a note, which is emailed to the person who asked."""
    answer = (answer or "").strip()
    if not answer:
        raise DocumentError(
            "Write a short answer: it is emailed to the person who asked", field="answer"
        )
    if len(answer) > 2000:
        raise DocumentError("The answer must be 2,000 characters or fewer", field="answer")
    if format_request.status is FormatRequestStatus.DONE:
        raise DocumentError("This request has already been answered", field="answer")
    format_request.status = FormatRequestStatus.DONE
    format_request.answer = answer
    format_request.answered_by_id = actor.id
    format_request.answered_at = utcnow()
    db.session.flush()
    record("format_request.answered", format_request, actor=actor, area=format_request.area)
    if format_request.email:
        queue_email(
            format_request.email,
            "format_request_answered",
            kind="format_request_answered",
            area=format_request.area,
            format_request=format_request,
        )
    return format_request
