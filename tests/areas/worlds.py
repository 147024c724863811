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
