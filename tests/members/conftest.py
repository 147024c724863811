"""Fixtures of the members tests: the members world (tests/members/worlds.py), built once per
module; each test's changes are rolled back."""

from __future__ import annotations

import pytest

from tests.members.worlds import build_members_world


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        return build_members_world()
