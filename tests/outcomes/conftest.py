"""Fixtures shared by several outcome test modules, built from tests/outcomes/worlds.py."""

from __future__ import annotations

import pytest

from tests.outcomes.worlds import build_feedback_world


@pytest.fixture
def feedback_world(app):
    """The feedback world (see `build_feedback_world`), fresh for each test: the "What happened
    to my feedback" page and the notify tests."""
    with app.app_context():
        return build_feedback_world()
