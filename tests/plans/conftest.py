"""Fixtures of the plan tests: the plan world (see tests/plans/worlds.py), built once per
module, and a stand-in for the notifier that records status changes."""

from __future__ import annotations

import pytest

from tests.plans.worlds import build_plan_world


@pytest.fixture(autouse=True)
def notified(monkeypatch):
    """Calls to notify.commitment_status_changed (the outbox side is tested with notify)."""
    calls = []

    def fake(commitment, status_before, *, actor):
        calls.append((commitment.id, status_before, getattr(actor, "id", None)))
        return 0

    from forum.outcomes.feedback import services as notify

    monkeypatch.setattr(notify, "commitment_status_changed", fake)
    return calls


@pytest.fixture(scope="module")
def world(world_app):
    """Built once for each module that uses it; each test's changes are rolled back (see
    `world_app`), so every test in such a module sees this world and no other."""
    with world_app.app_context():
        return build_plan_world()
