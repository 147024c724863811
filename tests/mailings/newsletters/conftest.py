from __future__ import annotations

import pytest

from tests.mailings.newsletters.worlds import build


@pytest.fixture
def world(app):
    with app.app_context():
        return build()
