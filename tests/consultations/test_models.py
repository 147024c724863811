from datetime import UTC, datetime, timedelta

import pytest

from forum.consultations.models import Consultation, ConsultationState

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


def consultation(**kw):
    defaults = {
        "opens_at": NOW - timedelta(days=1),
        "closes_at": NOW + timedelta(days=1),
        "published_at": NOW - timedelta(days=2),
        "responded_at": None,
    }
    return Consultation(**{**defaults, **kw})


@pytest.mark.parametrize(
    "changes, state",
    [
        ({"published_at": None}, ConsultationState.DRAFT),
        ({"opens_at": NOW + timedelta(seconds=1)}, ConsultationState.SCHEDULED),
        ({}, ConsultationState.OPEN),
        ({"opens_at": NOW}, ConsultationState.OPEN),
        ({"closes_at": NOW}, ConsultationState.CLOSED),
        ({"closes_at": NOW - timedelta(days=1), "responded_at": NOW}, ConsultationState.RESPONDED),
        ({"published_at": None, "responded_at": NOW}, ConsultationState.DRAFT),
    ],
)
def test_state_follows_the_clock(changes, state):
    assert consultation(**changes).state_at(NOW) is state
