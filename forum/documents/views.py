"""Public routes: download a document, ask for another format."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response
from flask_login import current_user

from forum.documents import bp
from forum.documents import services as documents
from forum.documents.forms import AskForm
from forum.documents.models import DocumentFormat
from forum.documents.permissions import can_ask_for_format, can_see_documents
from forum.documents.queries import load_owner, load_visible_document
from forum.documents.storage import storage
from forum.web.auth import access
from forum.web.submit import accept, form_page

#: what a served file may do in the browser: nothing (a PDF viewer or picture still shows)
FILE_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"


def _chunks(store, key: str):
    """The stored file in pieces, opened only when the response is sent and closed after."""
    with store.open(key) as stored:
        while chunk := stored.read(64 * 1024):
            yield chunk


def disposition(name: str, *, inline: bool) -> tuple[str, dict[str, str]]:
    """`Content-Disposition` as (value, options): an ASCII `filename` for old browsers and the
    real name, percent-encoded, in `filename*` (RFC 6266), so no name can break the header."""
    simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    simple = "".join(c for c in simple if c.isprintable() and c not in '"\\;') or "document"
    return ("inline" if inline else "attachment"), {
        "filename": simple,
        "filename*": "UTF-8''" + quote(name, safe=""),
    }


@bp.get("/areas/<area_slug>/documents/<int:document_id>/file")
@access(can_see_documents, load=load_visible_document, subject="owner", explain="")
def download(area, document, owner):
    assert document.storage_key is not None and document.file_type is not None
    kind = document.file_type
    response = Response(_chunks(storage(), document.storage_key), mimetype=kind.content_type)
    value, options = disposition(
        document.file_name or f"document.{kind.extension}", inline=kind.is_inline
    )
    response.headers.set("Content-Disposition", value, **options)
    if document.size_bytes:
        response.content_length = document.size_bytes
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/areas/<area_slug>/documents/<owner_kind>/<int:owner_id>/ask", methods=["GET", "POST"])
@access(
    can_ask_for_format,
    load=load_owner,
    subject="owner",
    explain="Only the forum's organisers can see this until it is published.",
)
def ask(area, owner):
    form = AskForm()
    signed_in = current_user.is_authenticated
    if signed_in:
        del form.email

    done = accept(
        form,
        lambda: documents.request_format(
            owner,
            format_=DocumentFormat(form.format.data),
            language=form.language.data or "",
            note=form.note.data or "",
            email="" if signed_in else (form.email.data or ""),
            actor=current_user,
        ),
        refused=documents.DocumentError,
        field="format",
        then=owner.url,
        message=lambda made: (
            f"Thank you. {area.forum_name}’s organisers have your request for "
            f"{made.format_label.lower()} and will reply by email."
        ),
    )
    return done or form_page("documents/ask.html", form, area=area, owner=owner)
