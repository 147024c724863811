"""A consultation as the owner of documents (forum/documents): how to load one and who may see
and manage its easy read, BSL and other versions."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from forum.areas.permissions import is_member
from forum.consultations.checks import Check, Level
from forum.consultations.models import Audience, Consultation
from forum.consultations.permissions import can_manage_consultations, can_view_consultation
from forum.documents.models import Document, DocumentFormat
from forum.documents.owners import OwnerKind
from forum.extensions import db


def can_see_consultation_documents(user, consultation) -> bool:
    """A draft's documents: organisers only; a members-only consultation's: its members (and
    organisers); a public consultation's: anyone."""
    if not can_view_consultation(user, consultation):
        return False
    if consultation.audience is Audience.PUBLIC:
        return True
    return is_member(user, consultation.area) or can_manage_consultations(user, consultation.area)


def _can_manage(user, consultation) -> bool:
    return can_manage_consultations(user, consultation.area)


OWNER = OwnerKind(
    kind="consultation",
    noun="consultation",
    load=lambda owner_id: db.session.get(Consultation, owner_id),
    can_view=can_view_consultation,
    can_see_documents=can_see_consultation_documents,
    can_manage=_can_manage,
)


def accessible_versions_check(consultation: Consultation) -> list[Check]:
    """The "check and publish" row for other formats (`hooks.publish_checks`): which versions
    are attached, in one query. None is a warning, not an error: a forum may publish first and
    add the easy read version when it comes, but it should know."""
    formats = db.session.scalars(
        select(Document.format)
        .where(Document.owner_kind == OWNER.kind, Document.owner_id == consultation.id)
        .order_by(Document.position, Document.id)
    ).all()
    fix = url_for(
        "documents.manage",
        area_slug=consultation.area.slug,
        owner_kind=OWNER.kind,
        owner_id=consultation.id,
    )
    if not formats:
        return [
            Check(
                "Other formats",
                Level.WARNING,
                "No other formats are attached: no easy read, BSL, large print or audio "
                "version. People can still ask for one.",
                fix,
                "Add other formats",
            )
        ]
    labels = list(dict.fromkeys(f.label for f in formats))
    missing = [f.label for f in WANTED if f not in formats]
    text = f"{len(formats)} attached: {', '.join(labels)}."
    if missing:
        text += f" Not attached: {', '.join(label.lower() for label in missing)}."
    return [Check("Other formats", Level.READY, text, fix, "Change the other formats")]


#: the versions a forum is usually asked for; the check names those not attached
WANTED = (DocumentFormat.EASY_READ, DocumentFormat.BSL, DocumentFormat.LARGE_PRINT)
