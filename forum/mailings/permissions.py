"""Who may have an optional email, checked again when it is sent.

`recipient_allowed` is registered on `hooks.email_recipient_allowed`: the outbox asks it before
sending an optional email, and the digest job before putting an item in a digest, so an email
queued for a member who has since left, been suspended, or lost sight of what it is about is
not sent. What an email is about is named by `about` ("consultation:12"); each kind of thing
has a check in `ABOUT_CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import select

from forum.areas.models import Area, Membership, MembershipStatus
from forum.consultations.models import Audience, Consultation, ConsultationState
from forum.discussions.models import Suspension
from forum.discussions.moderation.queries import is_suspended
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import Subscriber


def _active_membership(area_id: int, user_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.area_id == area_id,
            Membership.user_id == user_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


@dataclass(frozen=True)
class _Known:
    user_ids: frozenset[int]
    area_ids: frozenset[int]
    #: (area_id, user_id) of active memberships, and of suspensions running now
    members: frozenset[tuple[int, int]]
    suspended: frozenset[tuple[int, int]]


_known: ContextVar[_Known | None] = ContextVar("mailings_known_people", default=None)


@contextmanager
def known_people(user_ids: Iterable[int], area_ids: Iterable[int]) -> Iterator[None]:
    """Inside the block, `recipient_allowed` answers "active member?" and "suspended?" for
    these accounts in these areas from two queries made here, instead of two per check: the
    digest job checks thousands of items a run. Anyone else is looked up as usual."""
    users, areas = frozenset(user_ids), frozenset(area_ids)
    members = db.session.execute(
        select(Membership.area_id, Membership.user_id).where(
            Membership.area_id.in_(areas),
            Membership.user_id.in_(users),
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    suspended = db.session.execute(
        select(Suspension.area_id, Suspension.user_id).where(
            Suspension.area_id.in_(areas),
            Suspension.user_id.in_(users),
            Suspension.until > utcnow(),
        )
    )
    token = _known.set(
        _Known(
            users,
            areas,
            frozenset((a, u) for a, u in members),
            frozenset((a, u) for a, u in suspended),
        )
    )
    try:
        yield
    finally:
        _known.reset(token)


def _is_active_member(area_id: int, user_id: int) -> bool:
    known = _known.get()
    if known is not None and user_id in known.user_ids and area_id in known.area_ids:
        return (area_id, user_id) in known.members
    return _active_membership(area_id, user_id) is not None


def _is_suspended(area: Area, user_id: int) -> bool:
    known = _known.get()
    if known is not None and user_id in known.user_ids and area.id in known.area_ids:
        return (area.id, user_id) in known.suspended
    return is_suspended(area, user_id)


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
        is_member = _is_active_member(area_id, person.id)
        if not is_member and audience != "personal":
            return "not a member of the forum"
        area = db.session.get(Area, area_id)
        if area is None:
            return "the area was deleted"
        if _is_suspended(area, person.id):
            return "suspended from the forum"
    if about:
        kind, _, raw_id = about.partition(":")
        check = ABOUT_CHECKS.get(kind)
        if check is not None and raw_id.isdigit():
            return check(area_id, int(raw_id), person, is_member)
    return None
