"""Fixtures of the representation tests: the representation world (tests/representation/
worlds.py), built once per module."""

from __future__ import annotations

import pytest

from tests.representation.worlds import build_representation_world


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        return build_representation_world()
