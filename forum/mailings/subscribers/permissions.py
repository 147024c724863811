"""Who may subscribe: anyone, to any forum's public announcements. What a subscription lets
its holder do is decided by its signed link (`tokens.py`), not by who is signed in."""

from __future__ import annotations


def can_subscribe(user, area) -> bool:
    return area is not None
