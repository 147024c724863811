"""Who may see, download, manage and ask for documents: the owner's own rules, from its kind
(forum/documents/owners.py), and the area's organisers for format requests."""

from __future__ import annotations

from forum.areas.permissions import can_manage_members


def can_see_documents(user, owner) -> bool:
    """Download and list an owner's documents: whoever its area says (a draft consultation's
    only to organisers, a members-only consultation's to members)."""
    return owner is not None and owner.kind.can_see_documents(user, owner.row)


def can_manage_documents(user, owner) -> bool:
    """Add, relabel, reorder and remove: the owner's managers (the forum's organisers)."""
    return owner is not None and owner.kind.can_manage(user, owner.row)


def can_ask_for_format(user, owner) -> bool:
    """Anyone who can see the page can ask for it in another format."""
    return owner is not None and owner.kind.can_view(user, owner.row)


def can_answer_format_requests(user, area) -> bool:
    """The area's organisers see, answer and count the requests."""
    return can_manage_members(user, area)
