"""Who may have an optional email, checked again when it is sent.

`recipient_allowed` is registered on `hooks.email_recipient_allowed`: the outbox asks it before
sending an optional email, and the digest job before putting an item in a digest, so an email
queued for a member who has since left, been suspended, or lost sight of what it is about is
not sent. What an email is about is named by `about` ("consultation:12"); each kind of thing
has a check in `ABOUT_CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from forum.areas.models import Area, Membership, MembershipStatus
from forum.consultations.models import Audience, Consultation, ConsultationState
from forum.discussions.moderation.queries import is_suspended
from forum.extensions import db
from forum.notifications.models import Subscriber


def _active_membership(area_id: int, user_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.area_id == area_id,
            Membership.user_id == user_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


def _consultation(area_id: int, consultation_id: int, is_member: bool) -> str | None:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.area_id != area_id:
        return "the consultation was deleted"
    if consultation.state is ConsultationState.DRAFT:
        return "the consultation was taken back to draft"
    if consultation.audience is Audience.MEMBERS and not is_member:
        return "the consultation is for members only"
    return None


def _thread(area_id: int, thread_id: int, person) -> str | None:
    from forum.accounts.models import User
    from forum.discussions.models import Thread
    from forum.discussions.permissions import can_view_thread

    thread = db.session.get(Thread, thread_id)
    if thread is None or thread.board.area_id != area_id:
        return "the discussion was deleted"
    if isinstance(person, Subscriber):
        return "for members only"
    user = db.session.get(User, person.id)
    if user is None or not can_view_thread(user, thread):
        return "may no longer see the discussion"
    return None


#: `about` kind -> check(area_id, id, person, is_member) -> reason | None; parts of this
#: package add their own (newsletters, events)
ABOUT_CHECKS: dict[str, Callable[..., str | None]] = {
    "consultation": lambda area_id, id_, person, is_member: _consultation(area_id, id_, is_member),
    "thread": lambda area_id, id_, person, is_member: _thread(area_id, id_, person),
}


def recipient_allowed(person, area_id: int, audience: str, about: str | None) -> str | None:
    """Why `person` may not have an optional email from the area now, or None.

    `audience` is "members" (the area's active members), "public" (members and confirmed
    subscribers) or "personal" (an account told about its own activity, such as the feedback
    it gave or a thread it follows, which needs no membership: anyone signed in may answer a
    public consultation). Nobody suspended from the area gets any of them.
    """
    if isinstance(person, Subscriber):
        if audience != "public":
            return "for members only"
        is_member = False
    else:
        is_member = _active_membership(area_id, person.id) is not None
        if not is_member and audience != "personal":
            return "not a member of the forum"
        area = db.session.get(Area, area_id)
        if area is None:
            return "the area was deleted"
        if is_suspended(area, person.id):
            return "suspended from the forum"
    if about:
        kind, _, raw_id = about.partition(":")
        check = ABOUT_CHECKS.get(kind)
        if check is not None and raw_id.isdigit():
            return check(area_id, int(raw_id), person, is_member)
    return None
