"""The permission functions as a matrix: every role against every rule (the stand-in people
are in tests/areas/worlds.py)."""

import pytest

from forum.areas import permissions as p
from forum.areas.models import MembershipStatus, Role
from tests.areas.worlds import AREA, OTHER, PEOPLE, person

#: who may do what in AREA
EXPECTED = {
    "can_view_area": set(PEOPLE),
    "is_member": {"member", "responder", "organiser"},
    "can_ask_to_join": {"signed in, no role", "declined", "organiser elsewhere", "admin"},
    "can_manage_members": {"organiser", "admin"},
    "can_edit_area": {"organiser", "admin"},
    "can_leave": {"member", "responder", "organiser"},
    "can_renew": set(),
    "can_answer_renewal": set(),
}


@pytest.mark.parametrize("rule", sorted(EXPECTED))
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_area_permissions(rule, who):
    allowed = getattr(p, rule)(PEOPLE[who], AREA)
    assert allowed == (who in EXPECTED[rule]), f"{who} / {rule}"


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_only_admins_create_areas(who):
    assert p.can_create_area(PEOPLE[who]) == (who == "admin")


def test_role_in_ignores_other_areas_and_inactive_rows():
    assert p.role_in(PEOPLE["organiser elsewhere"], AREA) is None
    assert p.role_in(PEOPLE["organiser elsewhere"], OTHER) is Role.ORGANISER
    assert p.role_in(PEOPLE["pending"], AREA) is None


@pytest.mark.parametrize(
    "status, leave, renew, ask",
    [
        (MembershipStatus.LAPSED, False, True, False),
        (MembershipStatus.LEFT, False, False, True),
        (MembershipStatus.REMOVED, False, False, False),
        (MembershipStatus.DECLINED, False, False, True),
    ],
)
def test_ended_memberships(status, leave, renew, ask):
    """A lapsed member renews (and is not a member meanwhile); someone who left may ask to
    join again; someone removed can come back only by invitation."""
    who = person(Role.MEMBER, status)
    assert p.is_member(who, AREA) is False
    assert p.can_leave(who, AREA) is leave
    assert p.can_renew(who, AREA) is renew
    assert p.can_ask_to_join(who, AREA) is ask


def test_a_waiting_renewal_question_can_be_answered_by_its_member_only():
    asked = person(Role.MEMBER)
    asked.memberships[0].renewal_due_at = "soon"
    assert p.can_answer_renewal(asked, AREA) is True
    assert p.can_answer_renewal(asked, OTHER) is False
    assert p.can_answer_renewal(PEOPLE["member"], AREA) is False
