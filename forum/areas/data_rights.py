"""What areas hold about a person, for their download and for deleting their account: their
memberships (role, status, the note they wrote when asking to join, their answers about staying
a member), the invitations sent to their address, and the join requests they decided as an
organiser."""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select, update

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.areas.invitations import invitations_to
from forum.areas.models import (
    Area,
    Invitation,
    Membership,
    MembershipStatus,
    PartnerOrganisation,
    Role,
)
from forum.areas.services import join_request_about
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from forum.notifications.services import queue_email
from forum.web.urls import external_url


def _areas_left_without_organiser(user: User) -> list[Area]:
    """The areas where `user` is the only active organiser."""
    mine = select(Membership.area_id).where(
        Membership.user_id == user.id,
        Membership.role == Role.ORGANISER,
        Membership.status == MembershipStatus.ACTIVE,
    )
    counts = (
        select(Membership.area_id)
        .where(
            Membership.area_id.in_(mine),
            Membership.role == Role.ORGANISER,
            Membership.status == MembershipStatus.ACTIVE,
        )
        .group_by(Membership.area_id)
        .having(func.count() == 1)
    )
    return list(db.session.scalars(select(Area).where(Area.id.in_(counts)).order_by(Area.name)))


def last_organiser_warning(area: Area) -> str:
    return (
        f"You are the only organiser of {area.forum_name}. Once your account is deleted, "
        "nobody can approve people who ask to join, look after its discussions or run its "
        "consultations until a platform administrator appoints a new organiser. We will tell "
        "the administrators. If you can, appoint another organiser before you go."
    )


def personal_data(user: User) -> list[PersonalData]:
    now = utcnow()
    memberships = db.session.execute(
        select(Membership, Area, PartnerOrganisation.name)
        .join(Area, Area.id == Membership.area_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Membership.partner_id)
        .where(Membership.user_id == user.id)
        .order_by(Area.name)
    ).all()
    decided = db.session.execute(
        select(Membership.status, Membership.decided_at, Area.forum_name)
        .join(Area, Area.id == Membership.area_id)
        .where(Membership.decided_by_id == user.id)
        .order_by(Membership.decided_at.desc())
    ).all()
    return [
        PersonalData(
            key="memberships",
            title="Your forums and roles",
            about=(
                "The forums you belong to or asked to join, your role in each, and what you "
                "wrote when you asked. The forum's organisers can see these."
            ),
            when_deleted="You leave every forum, and your roles and requests are deleted.",
            labels={
                "forum": "Forum",
                "role": "Role",
                "speaks_for": "Speaks for",
                "status": "Status",
                "request_note": "What you wrote when you asked to join",
                "requested_at": "Asked to join",
                "decided_at": "Decided",
            },
            records=[
                {
                    "forum": area.forum_name,
                    "area": area.slug,
                    "role": membership.role.label,
                    "speaks_for": partner,
                    "status": membership.status.label,
                    "request_note": membership.request_note,
                    "requested_at": membership.requested_at,
                    "decided_at": membership.decided_at,
                }
                for membership, area, partner in memberships
            ],
            empty="You have not joined or asked to join any forum.",
            warnings=[last_organiser_warning(area) for area in _areas_left_without_organiser(user)],
        ),
        PersonalData(
            key="join_decisions",
            title="Requests to join that you decided",
            about="As an organiser, you approved or declined these requests to join a forum.",
            when_deleted="The decisions stay with their forum, without your name.",
            labels={"forum": "Forum", "decision": "Decision", "decided_at": "When"},
            records=[
                {
                    "forum": forum_name,
                    "decision": "Approved" if status is MembershipStatus.ACTIVE else "Declined",
                    "decided_at": decided_at,
                }
                for status, decided_at, forum_name in decided
            ],
            empty="You have not decided any requests to join.",
        ),
        PersonalData(
            key="invitations",
            title="Invitations sent to your email address",
            about=(
                "Organisers invited your email address to join these forums. The forum's "
                "organisers can see them, with the name they gave for you."
            ),
            when_deleted="They are deleted.",
            labels={
                "forum": "Forum",
                "name": "Name the organiser gave",
                "status": "Status",
                "sent_at": "Sent",
                "accepted_at": "Accepted",
            },
            records=[
                {
                    "forum": invitation.area.forum_name,
                    "name": invitation.name,
                    "status": invitation.state(now).label,
                    "sent_at": invitation.last_sent_at,
                    "accepted_at": invitation.accepted_at,
                }
                for invitation in invitations_to(user.email)
            ],
            empty="No forum has invited your email address.",
        ),
        PersonalData(
            key="renewals",
            title="Your answers about staying a member",
            about=(
                "Forums that ask their members once a year to confirm they want to stay: when "
                "you last confirmed, and any question waiting for your answer. The forum's "
                "organisers can see these."
            ),
            when_deleted="They are deleted with your memberships.",
            labels={
                "forum": "Forum",
                "renewed_at": "Member since, or last confirmed",
                "asked_at": "Asked",
                "due_at": "Answer by",
                "ended_at": "Membership ended",
            },
            records=[
                {
                    "forum": area.forum_name,
                    "renewed_at": membership.renewed_at,
                    "asked_at": membership.renewal_asked_at,
                    "due_at": membership.renewal_due_at,
                    "ended_at": membership.ended_at,
                }
                for membership, area, _partner in memberships
                if membership.renewed_at or membership.renewal_asked_at or membership.ended_at
            ],
            empty="No forum has asked you whether you want to stay.",
        ),
    ]


def erase(user: User) -> None:
    """Leave every forum. An area left without an organiser is reported to the platform's
    administrators (by email, without naming the person)."""
    orphaned = _areas_left_without_organiser(user)
    mine = list(db.session.scalars(select(Membership.id).where(Membership.user_id == user.id)))
    if mine:
        # The audit entries about these memberships keep their action, not the row's id,
        # which the database may give to someone else's membership later.
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.subject_type == "Membership", AuditEvent.subject_id.in_(mine))
            .values(subject_id=None)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        delete(Membership)
        .where(Membership.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    # the emails that told organisers the person asked to join (they name the person)
    db.session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.kind == "join_request",
            OutboxMessage.about == join_request_about(user),
        )
        .execution_options(synchronize_session=False)
    )
    # invitations to the person's address (and what the audit log says of them loses its row)
    invited = list(
        db.session.scalars(
            select(Invitation.id).where(
                or_(Invitation.email == user.email, Invitation.accepted_by_id == user.id)
            )
        )
    )
    if invited:
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.subject_type == "Invitation", AuditEvent.subject_id.in_(invited))
            .values(subject_id=None)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            delete(Invitation)
            .where(Invitation.id.in_(invited))
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(Membership)
        .where(Membership.decided_by_id == user.id)
        .values(decided_by_id=None)
        .execution_options(synchronize_session=False)
    )
    if orphaned:
        admins = db.session.scalars(
            select(User.email).where(User.is_admin.is_(True), User.id != user.id)
        )
        for email in admins:
            for area in orphaned:
                queue_email(
                    email,
                    "area_without_organiser",
                    kind="area_without_organiser",
                    area=area,
                    link=external_url("areas.members", area_slug=area.slug),
                )
