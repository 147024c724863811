"""Who may build a survey, as a matrix: every role against every consultation state."""

from types import SimpleNamespace

import pytest

from forum.consultations.models import ConsultationState
from forum.surveys.builder import permissions as p
from tests.areas.worlds import AREA, PEOPLE


def consultation(state: ConsultationState):
    return SimpleNamespace(area=AREA, state=state)


BUILDERS = {"organiser", "admin"}
CHANGEABLE = {ConsultationState.DRAFT, ConsultationState.SCHEDULED, ConsultationState.OPEN}


@pytest.mark.parametrize("state", list(ConsultationState), ids=lambda s: s.value)
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_survey_permissions(who, state):
    person, subject = PEOPLE[who], consultation(state)
    assert p.can_view_survey_builder(person, subject) == (who in BUILDERS)
    assert p.can_change_survey(person, subject) == (who in BUILDERS and state in CHANGEABLE)
