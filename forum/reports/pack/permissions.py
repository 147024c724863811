"""Who may prepare and share the inspection evidence pack. Pure functions.

The area's organisers (and platform admins) preview the pack, share it and revoke shares;
members, responders and other areas' organisers may not. The shared pack itself needs no
account: the link's token is the whole authority, checked in `views.shared_pack`."""

from __future__ import annotations

from forum.areas.permissions import can_manage_members


def can_manage_packs(user, area) -> bool:
    return can_manage_members(user, area)


def can_manage_share(user, share) -> bool:
    return can_manage_packs(user, share.area)
