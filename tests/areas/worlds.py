"""Stand-in people for the permission matrices: one of every role in `AREA` (and an organiser
of `OTHER`), as plain objects with the attributes the permission functions read, so a matrix
needs no database. Used by the area, survey, results and coding permission tests.

`make_northshire_with_council` builds, in the database, the area the area pages' tests use."""

from types import SimpleNamespace

from forum.areas.models import MembershipStatus, Role
from tests.factories import make_area, make_partner, make_person_in

AREA = SimpleNamespace(id=1)
OTHER = SimpleNamespace(id=2)


def person(role=None, status=MembershipStatus.ACTIVE, *, admin=False, verified=True, area=AREA):
    memberships = (
        [] if role is None else [SimpleNamespace(area_id=area.id, role=role, status=status)]
    )
    return SimpleNamespace(
        is_authenticated=True, is_admin=admin, is_verified=verified, memberships=memberships
    )


ANONYMOUS = SimpleNamespace(is_authenticated=False, is_admin=False, memberships=[])

PEOPLE = {
    "visitor": ANONYMOUS,
    "signed in, no role": person(),
    "unverified": person(verified=False),
    "pending": person(Role.MEMBER, MembershipStatus.PENDING),
    "declined": person(Role.MEMBER, MembershipStatus.DECLINED),
    "member": person(Role.MEMBER),
    "responder": person(Role.RESPONDER),
    "organiser": person(Role.ORGANISER),
    "organiser elsewhere": person(Role.ORGANISER, area=OTHER),
    "admin": person(admin=True),
}


def make_northshire_with_council():
    """(area, organiser, council): Northshire, its organiser org@example.org and its partner
    Northshire County Council. Call inside an app context."""
    area = make_area(slug="northshire", name="Northshire")
    organiser = make_person_in(area, Role.ORGANISER, email="org@example.org")
    council = make_partner(area, name="Northshire County Council")
    return area, organiser, council


def make_membership_world():
    """(area, people) for the membership tools' tests: Northshire with its organiser
    (org@example.org), a member (member@example.org), a responder (council@example.org), a
    lapsed member (lapsed@example.org), and Southshire's organiser (south-org@example.org).
    Call inside an app context."""
    from tests.factories import make_membership, make_user

    area, organiser, council = make_northshire_with_council()
    member = make_person_in(area, Role.MEMBER, email="member@example.org", name="Mia Member")
    responder = make_user(email="council@example.org", name="Carl Council")
    make_membership(responder, area, Role.RESPONDER, partner=council)
    lapsed = make_user(email="lapsed@example.org", name="Lou Lapsed")
    make_membership(lapsed, area, Role.MEMBER, status=MembershipStatus.LAPSED)
    south = make_area(slug="southshire", name="Southshire")
    make_person_in(south, Role.ORGANISER, email="south-org@example.org")
    return area, {"organiser": organiser, "member": member, "lapsed": lapsed}


def invitation_path(app, email="invitee@example.org", *, name="", area_slug="northshire"):
    """Invite `email` to the area as its organiser, the way the page does, and return the
    path of the link in the invitation email (read from the outbox before it is sent)."""
    import re

    from sqlalchemy import select

    from forum.accounts.queries import get_by_email
    from forum.areas import invitations
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.notifications.models import OutboxMessage

    with app.test_request_context():
        area = get_by_slug(area_slug)
        organiser = get_by_email("org@example.org")
        invitations.invite(area, [invitations.Row(1, email, name)], actor=organiser)
        db.session.commit()
        body = db.session.scalars(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.kind == "invitation")
            .order_by(OutboxMessage.id.desc())
        ).first()
    found = re.search(r"https?://[^/\s]+(/invitations/\S+)", body)
    assert found, "no invitation link in the email"
    return found.group(1)
