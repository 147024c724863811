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
