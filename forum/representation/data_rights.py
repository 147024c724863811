"""What the representation log holds about a person: the meetings they went to for the forum
as a representative, and the meetings they recorded or last changed as an organiser.

Meetings are the forum's record, so deleting the account keeps them: a representative's place
is kept as "a former member", without the link to the account, and the record of who wrote a
meeting loses the name."""

from __future__ import annotations

from sqlalchemy import or_, select, update

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.areas.models import Area, PartnerOrganisation
from forum.extensions import db
from forum.representation.models import Meeting, Representative


def personal_data(user: User) -> list[PersonalData]:
    went = db.session.execute(
        select(
            Meeting.name, Meeting.held_on, Meeting.partner_name, PartnerOrganisation.name, Area.name
        )
        .join(Representative, Representative.meeting_id == Meeting.id)
        .join(Area, Area.id == Meeting.area_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Meeting.partner_id)
        .where(Representative.user_id == user.id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    ).all()
    wrote = db.session.execute(
        select(Meeting.name, Meeting.held_on, Meeting.created_by_id, Meeting.updated_at)
        .where(or_(Meeting.created_by_id == user.id, Meeting.updated_by_id == user.id))
        .order_by(Meeting.updated_at.desc(), Meeting.id.desc())
    ).all()
    return [
        PersonalData(
            key="representation_meetings",
            title="Meetings you went to for the forum",
            about="Meetings with partner organisations where the forum’s organisers recorded "
            "you as one of the forum’s representatives. Only the forum’s organisers see who "
            "went; the public page never names anyone.",
            when_deleted="The meetings stay in the forum’s record, and you are shown there as "
            "“a former member”.",
            labels={
                "meeting": "Meeting",
                "organisation": "Organisation",
                "on": "Date",
                "forum": "Area",
            },
            records=[
                {"meeting": name, "organisation": partner or typed, "on": on, "forum": area}
                for name, on, typed, partner, area in went
            ],
            empty="None.",
        ),
        PersonalData(
            key="representation_work",
            title="Meetings you recorded for the forum",
            about="Meetings in the forum’s record of representation that you recorded or last "
            "changed, as an organiser.",
            when_deleted="They stay, because they are the forum’s record, without your name.",
            labels={"what": "What", "meeting": "Meeting", "on": "Date of the meeting"},
            records=[
                {
                    "what": "Recorded" if created_by == user.id else "Last changed",
                    "meeting": name,
                    "on": on,
                }
                for name, on, created_by, _at in wrote
            ],
            empty="None.",
        ),
    ]


def erase(user: User) -> None:
    db.session.execute(
        update(Representative)
        .where(Representative.user_id == user.id)
        .values(user_id=None, name="", is_former_member=True)
        .execution_options(synchronize_session=False)
    )
    forget_actor(user, Meeting.created_by_id, Meeting.updated_by_id)
