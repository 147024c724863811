"""Who may write, send and read newsletters. Pure functions over a user and an area or a
newsletter (which knows its area).

The area's organisers (and admins) write and send them and see their figures; nobody else
does, responders and other areas' organisers included. A sent message is in the area's
archive: anyone may read a public one, only the area's members (and its organisers) a
members-only one. Drafts, scheduled and withdrawn messages are never in the archive.
"""

from __future__ import annotations

from forum.areas.permissions import can_manage_members, is_member
from forum.mailings.newsletters.models import Visibility


def can_manage_newsletters(user, area) -> bool:
    """Write, preview, test, send, schedule and withdraw messages; see their figures."""
    return can_manage_members(user, area)


def can_manage_newsletter(user, newsletter) -> bool:
    return can_manage_newsletters(user, newsletter.area)


def can_view_archive(user, area) -> bool:
    """The archive page is open to all; what it lists depends on `sees_members_only`."""
    return area is not None


def sees_members_only(user, area) -> bool:
    """Members-only messages in the archive: the area's members, organisers and admins."""
    return is_member(user, area) or can_manage_newsletters(user, area)


def can_read_newsletter(user, newsletter) -> bool:
    if not newsletter.is_out:
        return False
    if newsletter.visibility is Visibility.PUBLIC:
        return True
    return sees_members_only(user, newsletter.area)
