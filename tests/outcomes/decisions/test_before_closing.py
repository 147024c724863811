"""Before a consultation closes, nobody answers its themes and nothing can be published.

Each test builds the ledger world of tests/outcomes/worlds.py with the consultation still open
(or in draft), so these cannot share the module-scoped closed world of test_decisions.py and
test_publishing.py."""

from __future__ import annotations

import pytest

from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.decisions.permissions import can_answer_theme
from forum.outcomes.permissions import can_view_ledger
from forum.outcomes.publishing import services as publishing
from tests.outcomes.worlds import build_ledger_world, theme, user


def test_nobody_answers_a_theme_of_an_open_consultation(app):
    with app.app_context():
        world = build_ledger_world(state="open")
        assert not can_answer_theme(user("council"), theme(world))
        assert not can_view_ledger(user("organiser"), theme(world).consultation)


@pytest.mark.parametrize("state", ["open", "draft"])
def test_nothing_to_publish_before_it_closes(app, state):
    with app.app_context():
        world = build_ledger_world(state=state)
        consultation = db.session.get(Consultation, world.consultation_id)
        with pytest.raises(publishing.PublishRefused):
            publishing.publish_response(consultation, actor=user("organiser"))
