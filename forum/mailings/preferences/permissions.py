"""Who may choose emails: anyone signed in, for themselves only.

The page and its POST never name a person: they act on the signed-in account, so there is no
way to change somebody else's choices. Choosing for a forum one does not belong to only
changes one's own rows (a person who answered a public consultation hears what happened to
their feedback without being a member).
"""

from __future__ import annotations


def can_choose_emails(user, area) -> bool:
    return bool(user and user.is_authenticated) and area is not None
