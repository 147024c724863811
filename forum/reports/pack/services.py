"""Sharing the inspection evidence pack: making a share, revoking it, and recording each time
its link is opened. Writes flush and record an audit entry; the view commits."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.reports.pack.models import PackShare, PackView
from forum.reports.pack.queries import token_hash
from forum.reports.periods import Period, checked
from forum.web.time import LONDON

#: how long a link works unless the organiser chooses
DEFAULT_FOR = timedelta(weeks=8)
#: the longest a link may work, in months
LONGEST_MONTHS = 6


class PackError(Refused):
    """A share that cannot be made or changed, said beside the field it is about."""


def default_expiry(today: date) -> date:
    return today + DEFAULT_FOR


def latest_expiry(today: date) -> date:
    """`LONGEST_MONTHS` calendar months from today (the last day of a shorter month when the
    day does not exist there)."""
    month = today.month - 1 + LONGEST_MONTHS
    year, month = today.year + month // 12, month % 12 + 1
    for day in range(today.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(today.day, 28))


def _end_of(day: date) -> datetime:
    """The first moment after `day` in London: a link "works until" the end of that day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)


def create_share(
    area,
    *,
    partner_name: str,
    organisation: str,
    start: date | None,
    end: date | None,
    expires_on: date | None,
    actor,
    now: datetime | None = None,
) -> tuple[PackShare, str]:
    """A new share of the pack of the window `start` to `end` for a named partner. Returns the
    share and the link's token, which is shown once and never stored (only its hash is)."""
    now = now or utcnow()
    today = now.astimezone(LONDON).date()
    period: Period = checked(start, end, today)
    partner_name, organisation = partner_name.strip(), organisation.strip()
    if not partner_name:
        raise PackError("Enter who the link is for", field="partner_name")
    if not organisation:
        raise PackError("Enter their organisation", field="organisation")
    expires_on = expires_on or default_expiry(today)
    if expires_on < today:
        raise PackError("The last day the link works must be today or later", field="expires_on")
    latest = latest_expiry(today)
    if expires_on > latest:
        raise PackError(
            f"A link can work for up to {LONGEST_MONTHS} months: choose "
            f"{latest.day} {latest:%B %Y} or earlier",
            field="expires_on",
        )
    token = secrets.token_urlsafe(32)
    share = PackShare(
        area_id=area.id,
        partner_name=partner_name,
        organisation=organisation,
        starts_on=period.start,
        ends_on=period.end,
        token_hash=token_hash(token),
        expires_at=_end_of(expires_on),
        created_at=now,
        created_by_id=actor.id,
    )
    db.session.add(share)
    db.session.flush()
    record(
        "reports.pack_shared",
        share,
        actor=actor,
        area=area,
        window=period.slug,
        expires_on=expires_on.isoformat(),
    )
    return share, token


def revoke_share(share: PackShare, *, actor, now: datetime | None = None) -> PackShare:
    """Stop the link working, at once. Revoking a revoked share changes nothing."""
    if share.revoked_at is not None:
        return share
    share.revoked_at = now or utcnow()
    share.revoked_by_id = actor.id
    db.session.flush()
    record("reports.pack_revoked", share, actor=actor, area=share.area)
    return share


def record_view(share: PackShare, *, now: datetime | None = None) -> PackView:
    """One opening of the link: when, and which share; nothing about who opened it."""
    view = PackView(share_id=share.id, area_id=share.area_id, viewed_at=now or utcnow())
    db.session.add(view)
    db.session.flush()
    return view
