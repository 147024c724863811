from __future__ import annotations

import pytest

from tests.accounts.security.worlds import build


@pytest.fixture
def world(app):
    with app.app_context():
        return build()
