"""Who may see bursts and quarantine responses, as a matrix over people and states."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from forum.consultations.models import ConsultationState
from forum.surveys.quarantine.permissions import can_review_responses
from tests.areas.worlds import AREA, PEOPLE

REVIEWABLE = {ConsultationState.OPEN, ConsultationState.CLOSED}


@pytest.mark.parametrize("state", list(ConsultationState), ids=lambda s: s.value)
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_can_review_responses(who, state):
    consultation = SimpleNamespace(area=AREA, state=state)
    expected = who in ("organiser", "admin") and state in REVIEWABLE
    assert can_review_responses(PEOPLE[who], consultation) == expected
