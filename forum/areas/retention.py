"""What the retention schedule removes from areas (docs/retention.md), run by
`forum.retention.run_purges` through `hooks.retention_purges`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, or_

from forum.areas.models import Invitation, Membership, MembershipStatus
from forum.extensions import db

#: a declined request to join (and the note that came with it) is deleted this long after
#: the organiser's decision; the person may then ask again
DECLINED_KEPT = timedelta(days=90)


def purge_declined_requests(now: datetime) -> int:
    cutoff = now - DECLINED_KEPT
    result = db.session.execute(
        delete(Membership)
        .where(Membership.status == MembershipStatus.DECLINED, Membership.decided_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount or 0


#: an invitation (an address of someone who may never have agreed to anything) is deleted this
#: long after it stopped working: accepted, withdrawn or expired
INVITATION_KEPT = timedelta(days=90)


def purge_ended_invitations(now: datetime) -> int:
    cutoff = now - INVITATION_KEPT
    result = db.session.execute(
        delete(Invitation)
        .where(
            or_(
                Invitation.accepted_at < cutoff,
                Invitation.withdrawn_at < cutoff,
                Invitation.expires_at < cutoff,
            )
        )
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount or 0
