"""Outcomes: the ledger that follows feedback to what changed.

From a closed consultation the forum's organisers build themes ("you said") with the answers,
results and posts behind them; partners answer each theme with a decision ("we did") linked to
commitments in the local plan; the forum marks each answer agreed or disputed and publishes.
Parents can then see what happened to their own feedback. Each part is a sub-package: themes,
decisions, publishing, feedback, clock, scorecard, open_data, local_offer, forum_response (the
forum's own collective response) and national_outcomes (national bodies' decisions on themes).
"""

from flask import Blueprint

bp = Blueprint("outcomes", __name__)

from forum.outcomes.clock import views as _clock_views  # noqa: E402,F401
from forum.outcomes.decisions import views as _decision_views  # noqa: E402,F401
from forum.outcomes.feedback import views as _feedback_views  # noqa: E402,F401
from forum.outcomes.forum_response import views as _forum_response_views  # noqa: E402,F401
from forum.outcomes.local_offer import views as _local_offer_views  # noqa: E402,F401
from forum.outcomes.national_outcomes import views as _national_outcome_views  # noqa: E402,F401
from forum.outcomes.open_data import views as _open_data_views  # noqa: E402,F401
from forum.outcomes.publishing import views as _publishing_views  # noqa: E402,F401
from forum.outcomes.scorecard import views as _scorecard_views  # noqa: E402,F401
from forum.outcomes.themes import views as _theme_views  # noqa: E402,F401
from forum.outcomes.waiting import views as _waiting_views  # noqa: E402,F401

# -- Hooks: where outcomes plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.outcomes.clock.queries import clock_for  # noqa: E402
from forum.outcomes.clock.views import area_home_section  # noqa: E402
from forum.outcomes.decisions.models import DecisionCommitment  # noqa: E402
from forum.outcomes.feedback.services import commitment_status_changed  # noqa: E402
from forum.outcomes.forum_response.views import forum_response_section  # noqa: E402
from forum.outcomes.landing import landing_for  # noqa: E402
from forum.outcomes.publishing.views import ledger_staff_links, published_ledger_made  # noqa: E402
from forum.outcomes.scorecard.views import plan_scorecard_made  # noqa: E402
from forum.outcomes.themes.models import Evidence  # noqa: E402
from forum.outcomes.themes.queries import excerpted_answer_ids  # noqa: E402
from forum.outcomes.themes.views import ledger_link  # noqa: E402

hooks.area_home_sections.register(area_home_section, order=40)
hooks.consultation_page_sections.register(clock_for, name="clock", order=40)
hooks.consultation_page_sections.register(ledger_link, name="ledger_at", order=40)
hooks.consultation_page_sections.register(published_ledger_made, name="ledger", order=40)
hooks.consultation_page_sections.register(ledger_staff_links, name="staff_links", order=40)
hooks.consultation_page_sections.register(forum_response_section, name="forum_response", order=40)
hooks.plan_page_sections.register(plan_scorecard_made, name="scorecard", order=40)
hooks.commitment_status_changed.register(commitment_status_changed, order=40)
hooks.answers_withheld_from_partners.register(excerpted_answer_ids, order=40)
hooks.commitment_links.register(DecisionCommitment.commitment_id, order=40)
hooks.note_line_links.register(Evidence.event_item_id, order=40)
hooks.note_line_links.register(Evidence.event_action_id, order=40)
hooks.landing_page.register(landing_for, order=40)

from forum.outcomes import data_rights  # noqa: E402

hooks.personal_data_sections.register(data_rights.personal_data, order=40)
hooks.personal_data_erasure.register(data_rights.erase, order=40)

from forum.outcomes.forum_response import data_rights as response_rights  # noqa: E402

hooks.personal_data_sections.register(response_rights.personal_data, order=40)
hooks.personal_data_erasure.register(response_rights.erase, order=40)
