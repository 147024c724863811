"""Outcomes: the ledger that follows feedback to what changed.

From a closed consultation the forum's organisers build themes ("you said") with the answers,
results and posts behind them; partners answer each theme with a decision ("we did") linked to
commitments in the local plan; the forum marks each answer agreed or disputed and publishes.
Parents can then see what happened to their own feedback. Each part is a sub-package: themes,
decisions, publishing, feedback, clock, scorecard, open_data and local_offer.
"""

from flask import Blueprint

bp = Blueprint("outcomes", __name__)

from forum.outcomes.clock import views as _clock_views  # noqa: E402,F401
from forum.outcomes.decisions import views as _decision_views  # noqa: E402,F401
from forum.outcomes.feedback import views as _feedback_views  # noqa: E402,F401
from forum.outcomes.local_offer import views as _local_offer_views  # noqa: E402,F401
from forum.outcomes.open_data import views as _open_data_views  # noqa: E402,F401
from forum.outcomes.publishing import views as _publishing_views  # noqa: E402,F401
from forum.outcomes.scorecard import views as _scorecard_views  # noqa: E402,F401
from forum.outcomes.themes import views as _theme_views  # noqa: E402,F401
