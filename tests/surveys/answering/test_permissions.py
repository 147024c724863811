"""Whether a response can still change: the rule behind every "already submitted" redirect."""

from types import SimpleNamespace

import pytest

from forum.surveys.answering.permissions import is_closed_to


@pytest.mark.parametrize(
    ("submitted", "allow_edit", "closed"),
    [
        (None, False, False),
        (None, True, False),
        (False, False, False),
        (False, True, False),
        (True, False, True),
        (True, True, False),
    ],
)
def test_is_closed_to(submitted, allow_edit, closed):
    survey = SimpleNamespace(allow_edit_after_submit=allow_edit)
    response = None if submitted is None else SimpleNamespace(is_submitted=submitted)
    assert is_closed_to(survey, response) is closed
