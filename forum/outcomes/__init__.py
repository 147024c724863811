"""Outcomes: the ledger that follows feedback to what changed.

From a closed consultation the forum's organisers build themes ("you said") with the answers,
results and posts behind them; partners answer each theme with a decision ("we did") linked to
commitments in the local plan; the forum marks each answer agreed or disputed and publishes.
Parents can then see what happened to their own feedback.
"""

from flask import Blueprint

bp = Blueprint("outcomes", __name__)

from forum.outcomes import (  # noqa: E402,F401
    decision_views,
    local_offer_views,
    my_feedback_views,
    open_data_views,
    scorecard_views,
    theme_views,
)

# -- Hooks: where outcomes plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.outcomes import clock, notify, publishing  # noqa: E402
from forum.outcomes.decision_views import ledger_staff_links  # noqa: E402
from forum.outcomes.models import DecisionCommitment  # noqa: E402
from forum.outcomes.scorecard_views import plan_scorecard_view  # noqa: E402
from forum.outcomes.theme_views import ledger_link  # noqa: E402

hooks.area_home_sections.register(clock.area_home_section, order=40)
hooks.consultation_page_sections.register(clock.clock_for, name="clock", order=40)
hooks.consultation_page_sections.register(ledger_link, name="ledger_at", order=40)
hooks.consultation_page_sections.register(publishing.published_ledger, name="ledger", order=40)
hooks.consultation_page_sections.register(ledger_staff_links, name="staff_links", order=40)
hooks.plan_page_sections.register(plan_scorecard_view, name="scorecard", order=40)
hooks.commitment_status_changed.register(notify.commitment_status_changed, order=40)
hooks.commitment_links.register(DecisionCommitment.commitment_id, order=40)
