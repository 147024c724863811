"""Who may see, run and register for events. Pure functions over a user and an event (or an
area, or a registration); each knows its area.

The area's organisers (and admins) run its events and alone see drafts, the registration list
and the access needs people give. Published events are seen by everyone when their audience
is public, by the area's members when it is for members; a cancelled one stays visible to
whoever could see it, so its links say what happened. The online link is for people with a
place and for organisers.
"""

from __future__ import annotations

from forum.areas.permissions import can_manage_members, is_member
from forum.consultations.models import Audience


def can_manage_events(user, area) -> bool:
    """Create, edit, publish and cancel the area's events, and see their registrations."""
    return can_manage_members(user, area)


def can_manage_event(user, event) -> bool:
    return can_manage_events(user, event.area)


def can_view_event(user, event) -> bool:
    if event.is_draft:
        return can_manage_event(user, event)
    if event.audience is Audience.PUBLIC:
        return True
    return is_member(user, event.area) or can_manage_event(user, event)


def can_see_registrations(user, event) -> bool:
    """The list of who registered, with their access and dietary needs: organisers only."""
    return can_manage_event(user, event)


def can_register(user, event) -> bool:
    """Register while it takes registrations: a signed-in member for a members' event; anyone
    who can see it for a public one (someone without an account gives an email address)."""
    if not (event.takes_registrations() and can_view_event(user, event)):
        return False
    if event.audience is Audience.MEMBERS:
        return is_member(user, event.area)
    return True


def can_see_online_link(user, event, registration=None) -> bool:
    """The link to join online: organisers, and the person whose registration holds a place."""
    if not event.is_online or event.is_cancelled:
        return False
    if can_manage_event(user, event):
        return True
    return registration is not None and registration.status.value == "confirmed"


def can_cancel_registration(user, registration) -> bool:
    """The person who registered (the signed link in the email works without signing in)."""
    if registration is None or registration.user_id is None:
        return False
    return bool(user and user.is_authenticated) and registration.user_id == user.id


def can_mark_attendance(user, registration) -> bool:
    """Mark who came: the event's organisers."""
    return can_see_registrations(user, registration.event)


def can_write_notes(user, event) -> bool:
    """Write what was heard: the area's organisers, once the event has started (not a
    cancelled one)."""
    return can_manage_event(user, event) and not event.is_cancelled and event.has_started()


def can_view_notes(user, note) -> bool:
    """Read an event's notes: whoever can see the event when they are public, its area's
    members when they are for members, organisers only when they are for organisers."""
    event = note.event
    if not can_view_event(user, event):
        return False
    if note.visibility.value == "public":
        return True
    if note.visibility.value == "members":
        return is_member(user, event.area) or can_manage_event(user, event)
    return can_manage_event(user, event)
