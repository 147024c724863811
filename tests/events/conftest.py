"""Fixtures of the event tests: the event world (tests/events/worlds.py), built once per
module; each test's changes are rolled back."""

from __future__ import annotations

import pytest

from tests.events.worlds import build_event_world


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        return build_event_world()
