"""Who may read and code the written answers. A pure function."""

from __future__ import annotations

from forum.consultations.permissions import can_manage_consultations


def can_code_answers(user, consultation) -> bool:
    """Read the written answers and tag them with codes: the area's organisers (and admins), in
    every state, since the analysis goes on after the consultation closes. Responders answer
    the themes made from the codes; they do not read the raw answers."""
    return can_manage_consultations(user, consultation.area)
