"""Surveys: the questionnaire of a consultation, and the organiser's builder.

A consultation has at most one survey: ordered questions of several kinds, each optionally shown
only when an earlier choice question was answered a certain way (show-if). Option keys are made
once and never change, so answers stay joined to them however the wording is edited; once
anyone has started a response, questions can no longer be deleted or change kind and options
cannot be removed ("hide from new respondents" instead). People's answers are kept in
`Response` and `Answer`, which the answering pages and the results are built on.

Sub-areas, each with its own views, services, queries, forms and permissions: `builder`,
`answering`, `results`, `coding`, `export` and `quarantine` (bursts of responses, and keeping
suspect ones out of every count); one blueprint serves them all.
"""

from flask import Blueprint

bp = Blueprint("surveys", __name__)

#: every survey page's address starts here
BASE = "/areas/<area_slug>/consultations/<slug>/survey"

from forum.surveys import counting as _counting  # noqa: E402

# A written answer's limits, for the answer pages and the builder's list (templates call no
# queries; these are pure).
bp.add_app_template_global(_counting.limits_of, "text_limits")
bp.add_app_template_global(_counting.summary, "limits_summary")

from forum.surveys.answering import contact_manage_views as _contact_manage  # noqa: E402,F401
from forum.surveys.answering import contact_views as _contact_views  # noqa: E402,F401
from forum.surveys.answering import views as _answering_views  # noqa: E402,F401
from forum.surveys.builder import import_views as _import_views  # noqa: E402,F401
from forum.surveys.builder import section_views as _section_views  # noqa: E402,F401
from forum.surveys.builder import views as _builder_views  # noqa: E402,F401
from forum.surveys.coding import views as _coding_views  # noqa: E402,F401
from forum.surveys.consent import views as _consent_views  # noqa: E402,F401
from forum.surveys.export import views as _export_views  # noqa: E402,F401
from forum.surveys.printable import views as _printable_views  # noqa: E402,F401
from forum.surveys.quarantine import views as _quarantine_views  # noqa: E402,F401
from forum.surveys.results import reach as _reach_views  # noqa: E402,F401
from forum.surveys.results import views as _results_views  # noqa: E402,F401

# -- Hooks: where surveys plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.surveys import data_rights  # noqa: E402
from forum.surveys.answering.contacts import (  # noqa: E402
    contact_allowed,
    contact_unsubscribe_url,
    purge_contacts,
)
from forum.surveys.answering.retention import purge_abandoned_drafts  # noqa: E402
from forum.surveys.answering.services import seal_closed_surveys, seal_on_close  # noqa: E402
from forum.surveys.quarantine.services import forget_tracking  # noqa: E402
from forum.surveys.results.views import survey_info  # noqa: E402

hooks.consultation_page_sections.register(survey_info, name="survey_info", order=30)
hooks.consultation_page_sections.register(
    _answering_views.my_unsent_draft, name="unsent_draft", order=30
)
hooks.account_page_sections.register(_answering_views.account_unsent_drafts, order=30)

from forum.surveys.builder.checks import survey_check  # noqa: E402

hooks.publish_checks.register(survey_check, order=30)
hooks.consultation_closed.register(seal_on_close, order=30)
hooks.retention_purges.register(
    seal_closed_surveys, name="anonymous surveys sealed at closing", order=30
)
hooks.retention_purges.register(purge_abandoned_drafts, name="unsent survey answers", order=30)
hooks.retention_purges.register(
    lambda now: sum(forget_tracking(now).values()),
    name="survey burst tracking and email confirmations",
    order=30,
)

hooks.retention_purges.register(
    purge_contacts, name="contact details given with paper and phone responses", order=30
)
hooks.email_contact_allowed.register(contact_allowed, order=30)
hooks.email_contact_unsubscribe.register(contact_unsubscribe_url, order=30)

hooks.personal_data_sections.register(data_rights.personal_data, order=30)
hooks.personal_data_erasure.register(data_rights.erase, order=30)
