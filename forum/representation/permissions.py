"""Who may read and write the representation log. Pure functions over a user and an area or
meeting.

The forum's organisers (and admins) record meetings and choose what of each is public.
Everyone who may see the area reads the public page, which shows only what was made public;
nobody else, another area's organisers included, sees an unpublished meeting or part of one.
"""

from __future__ import annotations

from forum.areas.permissions import can_manage_members, can_view_area


def can_manage_representation(user, area) -> bool:
    """Record, change and delete meetings and their actions: organisers and admins."""
    return can_manage_members(user, area)


def can_view_representation(user, area) -> bool:
    """The public "Where we represented you" page: whoever may see the area."""
    return can_view_area(user, area)


def can_manage_meeting(user, meeting) -> bool:
    return can_manage_representation(user, meeting.area)


def can_manage_action(user, action) -> bool:
    return can_manage_representation(user, action.meeting.area)


def can_see_meeting(user, meeting) -> bool:
    """Whether the meeting may be mentioned to this person at all (the commitment page's
    "agreed at"): the area's organisers always, anyone else once its actions are public."""
    return can_manage_meeting(user, meeting) or meeting.shows_agreed
