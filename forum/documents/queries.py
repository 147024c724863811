"""Reads for documents and format requests; URL loaders for the documents area's routes."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import func, select

from forum.areas.queries import load_area
from forum.documents.models import Document, FormatRequest, FormatRequestStatus
from forum.documents.owners import Owner, find_owner
from forum.documents.permissions import can_see_documents
from forum.extensions import db


def select_documents(kind: str, owner_id: int):
    """An owner's documents in their order."""
    return (
        select(Document)
        .where(Document.owner_kind == kind, Document.owner_id == owner_id)
        .order_by(Document.position, Document.id)
    )


def get_documents(owner: Owner) -> list[Document]:
    return list(db.session.scalars(select_documents(*owner.key)))


def load_owner(kwargs: dict) -> dict:
    """URL loader: area, then the owner of `owner_kind` and `owner_id` in it (404 otherwise)."""
    kwargs = load_area(kwargs)
    owner = find_owner(kwargs.pop("owner_kind"), kwargs.pop("owner_id"))
    if owner is None or owner.row.area_id != kwargs["area"].id:
        abort(404)
    kwargs["owner"] = owner
    return kwargs


def _document_in(area, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or document.area_id != area.id:
        abort(404)
    return document


def load_document(kwargs: dict) -> dict:
    """URL loader for organiser actions on one document: the area, the document, its owner."""
    kwargs = load_area(kwargs)
    document = _document_in(kwargs["area"], kwargs.pop("document_id"))
    owner = find_owner(document.owner_kind, document.owner_id)
    if owner is None:
        abort(404)
    kwargs.update(document=document, owner=owner)
    return kwargs


def load_visible_document(kwargs: dict) -> dict:
    """URL loader for a download: 404, not 403, to anyone who may not see the owner, so a
    draft's or a members-only consultation's files do not even show that they exist."""
    kwargs = load_document(kwargs)
    if kwargs["document"].is_link or not can_see_documents(current_user, kwargs["owner"]):
        abort(404)
    return kwargs


def select_requests(area, status: FormatRequestStatus | None = None):
    query = select(FormatRequest).where(FormatRequest.area_id == area.id)
    if status is not None:
        query = query.where(FormatRequest.status == status)
    return query.order_by(FormatRequest.created_at.desc(), FormatRequest.id.desc())


def count_requests(area) -> dict[str, int]:
    """Requests by status and by format, for the organisers' page."""
    rows = db.session.execute(
        select(FormatRequest.status, FormatRequest.format, func.count())
        .where(FormatRequest.area_id == area.id)
        .group_by(FormatRequest.status, FormatRequest.format)
    ).all()
    counts: dict[str, int] = {"open": 0, "done": 0}
    for status, format_, n in rows:
        counts[status.value] += n
        counts[format_.value] = counts.get(format_.value, 0) + n
    return counts


def load_request(kwargs: dict) -> dict:
    kwargs = load_area(kwargs)
    found = db.session.get(FormatRequest, kwargs.pop("request_id"))
    if found is None or found.area_id != kwargs["area"].id:
        abort(404)
    kwargs["format_request"] = found
    return kwargs


def other_formats(owner: Owner, user) -> dict:
    """What the "Other formats" block on an owner's page shows to this person: the documents
    they may see (one query), where to ask for another format and, for its managers, where to
    change them."""
    from flask import url_for

    from forum.documents.permissions import can_manage_documents

    kind, owner_id = owner.key
    visible = can_see_documents(user, owner)
    manager = can_manage_documents(user, owner)
    return {
        "documents": get_documents(owner) if visible else [],
        "members_only": not visible,
        "forum_name": owner.area.forum_name,
        "ask_url": url_for(
            "documents.ask", area_slug=owner.area.slug, owner_kind=kind, owner_id=owner_id
        ),
        "manage_url": url_for(
            "documents.manage", area_slug=owner.area.slug, owner_kind=kind, owner_id=owner_id
        )
        if manager
        else None,
        "requests_url": url_for("documents.requests", area_slug=owner.area.slug),
    }
