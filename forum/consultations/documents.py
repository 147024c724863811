"""A consultation as the owner of documents (forum/documents): how to load one and who may see
and manage its easy read, BSL and other versions."""

from __future__ import annotations

from forum.areas.permissions import is_member
from forum.consultations.models import Audience, Consultation
from forum.consultations.permissions import can_manage_consultations, can_view_consultation
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
