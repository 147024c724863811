"""Fixtures of the reports tests: the reports world (tests/reports/worlds.py), built once per
module, and a started report for its year."""

from __future__ import annotations

import pytest

from tests.reports.worlds import build_reports_world


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        return build_reports_world()
