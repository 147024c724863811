"""Writing a person's email choices. Flush, never commit.

Not recorded in the audit log: the audit log is the forum's record of who changed what it
holds in common, and these are a person's own settings, shown to them in "Your data" and
deleted with their account; each row keeps when it last changed (`updated_at`).
"""

from __future__ import annotations

from collections.abc import Mapping

from forum.notifications import preferences
from forum.notifications.topics import Frequency, Topic


class PreferencesError(Exception):
    """A choice that cannot be made; the message is safe to show."""


def save_choices(person, area, wanted: Mapping[Topic, Frequency], *, actor) -> int:
    """Set how often `person` wants each topic in `wanted` from `area`; how many changed.

    `person` is an account (only its own `actor` may change it) or a public subscriber (whose
    signed link is the authority, checked by the view; `actor` is then None).
    """
    if actor is not None and actor.id != person.id:
        raise PreferencesError("You can only choose your own emails.")
    allowed = preferences.topics_for(person)
    changed = 0
    for topic, how_often in wanted.items():
        if topic not in allowed:
            raise PreferencesError(f"{topic.label} cannot be chosen here.")
        changed += preferences.choose(person, area.id, topic, how_often)
    return changed
