"""Fixtures shared by the survey sub-packages' tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def ctx(app):
    """A request context, for tests that call services and queries directly."""
    with app.test_request_context():
        yield
