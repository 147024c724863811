from __future__ import annotations

import pytest

from tests.mailings.newsletters.worlds import build


@pytest.fixture(scope="module")
def world(world_app):
    """Built once for each module that uses it; each test's changes are rolled back (see
    `world_app` in tests/conftest.py), so every test in the module starts from this world."""
    with world_app.app_context():
        return build()
