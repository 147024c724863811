"""What the reports hold about a person: the annual reports they started or last changed as an
organiser. The reports are the forum's, so deleting the account keeps them, without the name
of who wrote them."""

from __future__ import annotations

from sqlalchemy import or_, select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.areas.models import Area
from forum.extensions import db
from forum.reports.models import AnnualReport
from forum.reports.periods import Period


def personal_data(user: User) -> list[PersonalData]:
    rows = db.session.execute(
        select(AnnualReport.starts_on, AnnualReport.ends_on, AnnualReport.created_by_id, Area.name)
        .join(Area, Area.id == AnnualReport.area_id)
        .where(or_(AnnualReport.created_by_id == user.id, AnnualReport.updated_by_id == user.id))
        .order_by(AnnualReport.starts_on.desc(), AnnualReport.id.desc())
    ).all()
    return [
        PersonalData(
            key="annual_reports",
            title="Annual reports you worked on",
            about="Annual reports of a forum that you started or last changed, as an organiser. "
            "The reports never name who wrote them.",
            when_deleted="They stay, because they are the forum’s reports, without your name.",
            labels={"what": "What", "report": "Report", "forum": "Area"},
            records=[
                {
                    "what": "Started" if created_by == user.id else "Last changed",
                    "report": f"Annual report: {Period(start, end).name}",
                    "forum": area,
                }
                for start, end, created_by, area in rows
            ],
            empty="None.",
        )
    ]


def erase(user: User) -> None:
    forget_actor(user, AnnualReport.created_by_id, AnnualReport.updated_by_id)
