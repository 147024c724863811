"""Who may draft, read, comment on and publish the forum's response. Pure functions over a user
and a `Doc` (a consultation with its response, or None before one is started).

- The area's organisers (and admins) write every part, share it, finish and publish it, once
  the consultation has closed.
- While it is shared (and until it is published), the area's members read the draft; while it
  is shared they comment on each part. Partners' responders are not shown the draft: it is the
  forum's own view, and they answer it once it is published.
- Once published, whoever may see the consultation reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum.accounts.permissions import is_admin
from forum.areas.models import Role
from forum.areas.permissions import role_in
from forum.consultations.permissions import can_view_consultation
from forum.outcomes.forum_response.models import ForumResponse, Stage
from forum.outcomes.themes.permissions import can_build_themes


@dataclass(frozen=True)
class Doc:
    """What a forum-response URL names: the consultation, and its response if started."""

    consultation: object
    response: ForumResponse | None

    @property
    def area(self):
        return self.consultation.area  # type: ignore[attr-defined]


def can_write_response(user, doc: Doc) -> bool:
    """Start, write, share, finish, publish and record the submission; hide comments."""
    return can_build_themes(user, doc.consultation)


def _is_forum_member(user, area) -> bool:
    return is_admin(user) or role_in(user, area) in (Role.MEMBER, Role.ORGANISER)


def can_read_draft(user, doc: Doc) -> bool:
    """The working page: organisers always; members once shared, until it is published."""
    if can_write_response(user, doc):
        return True
    response = doc.response
    return (
        response is not None
        and response.stage in (Stage.SHARED, Stage.FINAL)
        and response.published_at is None
        and _is_forum_member(user, doc.area)
    )


def can_comment(user, doc: Doc) -> bool:
    """Comment on a part: the area's members (and organisers) while the draft is shared."""
    response = doc.response
    return (
        response is not None
        and response.stage is Stage.SHARED
        and response.published_at is None
        and role_in(user, doc.area) in (Role.MEMBER, Role.ORGANISER)
    )


def can_read_published(user, doc: Doc) -> bool:
    """The published response and its download: whoever may see the consultation."""
    response = doc.response
    return (
        response is not None
        and response.published_at is not None
        and can_view_consultation(user, doc.consultation)
    )


def can_read_document(user, doc: Doc) -> bool:
    """The download and print view: the published one for everyone who may see it; the
    organisers' working copy for them."""
    return doc.response is not None and (
        can_read_published(user, doc) or can_write_response(user, doc)
    )
