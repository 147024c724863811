"""Yearly renewal: a forum may ask its members once a year whether they want to stay.

Off unless an organiser turns it on (`Area.is_renewal_on`, on the forum settings page). Then,
each day (`run`, the `areas.renewal` job on `hooks.scheduled_jobs`):

1. **Ask.** Every active member (role member: organisers and responders hold a role someone
   gave them, and stay until it is changed) whose membership year began a year ago or more is
   emailed a signed link; `renewal_due_at` is set `Area.renewal_days` ahead.
2. **Remind.** A week before that date, those who have not answered are reminded once.
3. **Lapse.** Those who have still not answered when it passes become LAPSED: they are no
   longer members (`permissions.role_in` counts only active ones), so member emails stop
   (`mailings.permissions.recipient_allowed` asks for an active membership). They can renew
   from their account in one step (`services.renew_lapsed`).

Each step writes its mark (`renewal_asked_at`, `renewal_reminded_at`, the status) in the same
statement that picks the row, guarded by the value it expects, and commits in batches, so a run
taken over by another worker, or run twice, never asks, reminds or lapses anyone twice.

The link (`make_token`) names the membership and the moment it was asked, signed with the app's
key: following it shows a page with one button (a GET changes nothing); it stops working once
the question is answered or a new one asked.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update

from forum.accounts.models import User
from forum.areas.models import Area, Membership, MembershipStatus, Role
from forum.areas.services import AreaError
from forum.audit.services import record
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import queue_email
from forum.web.urls import external_url

YEAR = timedelta(days=365)
#: the reminder goes this long before the deadline (at least half way: the shortest is 14 days)
REMIND_BEFORE = timedelta(days=7)
#: the choices on the settings page, in days
DAY_CHOICES = (14, 30, 60, 90)
#: rows handled per commit
BATCH = 200
SALT = "coproduce.renewal"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(membership: Membership) -> str:
    asked = membership.renewal_asked_at
    assert asked is not None
    return _serializer().dumps([membership.id, int(asked.timestamp())])


def find_by_token(token: str) -> Membership | None:
    """The membership a renewal link names, while that question is still the open one."""
    if not token or len(token) > 200:
        return None
    try:
        membership_id, asked = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(membership_id, int) or not isinstance(asked, int):
        return None
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.renewal_asked_at is None:
        return None
    if int(membership.renewal_asked_at.timestamp()) != asked:
        return None
    return membership


def set_renewal(area: Area, *, is_on: bool, days: int, actor: User) -> Area:
    """Turn yearly renewal on or off and set how long members have to answer. Turning it off
    cancels any question still waiting, so nobody lapses afterwards."""
    if days not in DAY_CHOICES:
        raise AreaError("Choose how long members have to answer", field="renewal_days")
    changed = (area.is_renewal_on, area.renewal_days) != (is_on, days)
    area.is_renewal_on = is_on
    area.renewal_days = days
    if not is_on:
        db.session.execute(
            update(Membership)
            .where(Membership.area_id == area.id, Membership.renewal_due_at.is_not(None))
            .values(renewal_asked_at=None, renewal_due_at=None, renewal_reminded_at=None)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    if changed:
        record("area.renewal_changed", area, actor=actor, area=area, is_on=is_on, days=days)
    return area


def answer(membership: Membership, *, actor: User | None) -> bool:
    """The person confirms they want to stay (from the emailed link, or their account). The
    year starts again. False if there was no question waiting (a second click)."""
    if membership.renewal_due_at is None or membership.status is not MembershipStatus.ACTIVE:
        return False
    now = utcnow()
    membership.renewed_at = now
    membership.renewal_asked_at = None
    membership.renewal_due_at = None
    membership.renewal_reminded_at = None
    db.session.flush()
    record("membership.renewed", membership, actor=actor, area=membership.area)
    return True


def _year_began():
    return func.coalesce(Membership.renewed_at, Membership.decided_at, Membership.requested_at)


def _email(membership: Membership, template: str) -> None:
    link = external_url("areas.renewal", token=make_token(membership))
    queue_email(
        membership.user.email,
        template,
        kind=template,
        flush=False,
        due_while=f"renewal:{membership.id}",
        area=membership.area,
        user=membership.user,
        link=link,
        due_at=membership.renewal_due_at,
        account_link=external_url("accounts.account"),
    )


def _due(where, limit: int) -> list[int]:
    """Ids of active members of forums with renewal on that match `where`. The read is ended
    at once, so that another worker is not kept waiting while this one writes."""
    ids = list(
        db.session.scalars(
            select(Membership.id)
            .join(Area, Area.id == Membership.area_id)
            .where(
                Area.is_renewal_on.is_(True),
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role == Role.MEMBER,
                *where,
            )
            .order_by(Membership.id)
            .limit(limit)
        )
    )
    db.session.commit()
    return ids


def _claim(membership_id: int, guard, values: dict) -> Membership | None:
    """Write `values` to the row only if `guard` still holds, and return it; None when another
    worker got there first (or the member answered or left in between)."""
    result = db.session.execute(
        update(Membership)
        .where(
            Membership.id == membership_id,
            Membership.status == MembershipStatus.ACTIVE,
            guard,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    membership = db.session.get(Membership, membership_id)
    assert membership is not None
    db.session.refresh(membership)
    return membership


def ask(now: datetime) -> int:
    done = 0
    while ids := _due([Membership.renewal_due_at.is_(None), _year_began() <= now - YEAR], BATCH):
        for membership_id in ids:
            days = db.session.scalar(
                select(Area.renewal_days)
                .join(Membership, Membership.area_id == Area.id)
                .where(Membership.id == membership_id)
            )
            # whole seconds: the link carries the time it was asked as a whole number
            asked = now.replace(microsecond=0)
            membership = _claim(
                membership_id,
                Membership.renewal_due_at.is_(None),
                {
                    "renewal_asked_at": asked,
                    "renewal_due_at": asked + timedelta(days=days or 30),
                    "renewal_reminded_at": None,
                },
            )
            if membership is not None:
                _email(membership, "renewal_ask")
                done += 1
        db.session.flush()
        db.session.commit()
    return done


def remind(now: datetime) -> int:
    done = 0
    while ids := _due(
        [
            Membership.renewal_due_at.is_not(None),
            Membership.renewal_due_at > now,
            Membership.renewal_due_at <= now + REMIND_BEFORE,
            Membership.renewal_reminded_at.is_(None),
        ],
        BATCH,
    ):
        for membership_id in ids:
            membership = _claim(
                membership_id,
                Membership.renewal_reminded_at.is_(None),
                {"renewal_reminded_at": now},
            )
            if membership is not None:
                _email(membership, "renewal_reminder")
                done += 1
        db.session.flush()
        db.session.commit()
    return done


def lapse(now: datetime) -> int:
    done = 0
    while ids := _due(
        [Membership.renewal_due_at.is_not(None), Membership.renewal_due_at <= now], BATCH
    ):
        for membership_id in ids:
            membership = _claim(
                membership_id,
                Membership.renewal_due_at <= now,
                {
                    "status": MembershipStatus.LAPSED,
                    "ended_at": now,
                    "renewal_asked_at": None,
                    "renewal_due_at": None,
                    "renewal_reminded_at": None,
                },
            )
            if membership is not None:
                record("membership.lapsed", membership, area=membership.area)
                done += 1
        db.session.commit()
    return done


def run(now: datetime) -> int:
    """The daily job: lapse those whose time is up, remind, then ask. Returns how many
    people it wrote to or lapsed."""
    return lapse(now) + remind(now) + ask(now)
