"""Where a person lands after signing in, when they did not ask for a page: decided here for
everyone, and asked for by the sign-in pages through `hooks.landing_page`.

- platform administrators: the list of areas to manage;
- an organiser of one forum: that forum's home (its organiser links are there); of several: their
  account page, which lists each forum with their role, to choose;
- a responder: the themes waiting for their organisation's answer;
- a member of one forum: its home; of several: their account page;
- anyone else: the list of areas, to find theirs and ask to join.
"""

from __future__ import annotations

from flask import url_for

from forum.accounts.permissions import is_admin
from forum.areas.models import MembershipStatus, Role
from forum.outcomes.waiting.permissions import can_see_waiting


def landing_for(user) -> str:
    if is_admin(user):
        return url_for("areas.admin_areas")
    active = [m for m in user.memberships if m.status is MembershipStatus.ACTIVE]
    organising = [m for m in active if m.role is Role.ORGANISER]
    if organising:
        return _one_or_choose(organising)
    if can_see_waiting(user):
        return url_for("outcomes.waiting")
    if active:
        return _one_or_choose(active)
    return url_for("areas.index")


def _one_or_choose(memberships) -> str:
    if len(memberships) == 1:
        return url_for("areas.home", area_slug=memberships[0].area.slug)
    return url_for("accounts.account")
