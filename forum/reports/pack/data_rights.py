"""What the inspection pack holds about a person: the shares of the pack they made or revoked
as an organiser. The shares name a partner's role and organisation, never a family; the
record of who opened a link holds no one at all.

Shares are the forum's record, so deleting the account keeps them without the organiser's
name (their links keep working until they expire or another organiser revokes them)."""

from __future__ import annotations

from sqlalchemy import or_, select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.areas.models import Area
from forum.extensions import db
from forum.reports.pack.models import PackShare


def personal_data(user: User) -> list[PersonalData]:
    rows = db.session.execute(
        select(
            PackShare.created_by_id,
            PackShare.partner_name,
            PackShare.organisation,
            PackShare.starts_on,
            PackShare.ends_on,
            PackShare.created_at,
            Area.name,
        )
        .join(Area, Area.id == PackShare.area_id)
        .where(or_(PackShare.created_by_id == user.id, PackShare.revoked_by_id == user.id))
        .order_by(PackShare.created_at.desc(), PackShare.id.desc())
    ).all()
    return [
        PersonalData(
            key="inspection_pack_shares",
            title="Inspection evidence packs you shared",
            about="Links to a forum’s inspection evidence pack that you made or revoked as an "
            "organiser. The forum’s organisers see who made each link.",
            when_deleted="The links stay in the forum’s record, without your name.",
            labels={
                "what": "What",
                "for": "Shared with",
                "window": "Window",
                "on": "Made on",
                "forum": "Area",
            },
            records=[
                {
                    "what": "Made" if made_by == user.id else "Revoked",
                    "for": f"{name}, {organisation}",
                    "window": f"{start.isoformat()} to {end.isoformat()}",
                    "on": made_at,
                    "forum": area,
                }
                for made_by, name, organisation, start, end, made_at, area in rows
            ],
            empty="None.",
        )
    ]


def erase(user: User) -> None:
    forget_actor(user, PackShare.created_by_id, PackShare.revoked_by_id)
