"""Fixtures of the pack tests: the pack world (tests/reports/pack/worlds.py), built once per
module."""

from __future__ import annotations

import pytest

from tests.reports.pack.worlds import build_pack_world


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        return build_pack_world()
