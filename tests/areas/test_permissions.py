"""The permission functions as a matrix: every role against every rule (the stand-in people
are in tests/areas/worlds.py)."""

import pytest

from forum.areas import permissions as p
from forum.areas.models import Role
from tests.areas.worlds import AREA, OTHER, PEOPLE

#: who may do what in AREA
EXPECTED = {
    "can_view_area": set(PEOPLE),
    "is_member": {"member", "responder", "organiser"},
    "can_ask_to_join": {"signed in, no role", "declined", "organiser elsewhere", "admin"},
    "can_manage_members": {"organiser", "admin"},
    "can_edit_area": {"organiser", "admin"},
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
