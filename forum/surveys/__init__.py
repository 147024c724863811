"""Surveys: the questionnaire of a consultation, and the organiser's builder.

A consultation has at most one survey: ordered questions of several kinds, each optionally shown
only when an earlier choice question was answered a certain way (show-if). Option keys are made
once and never change, so answers stay joined to them however the wording is edited; once
anyone has started a response, questions can no longer be deleted or change kind and options
cannot be removed ("hide from new respondents" instead). People's answers are kept in
`Response` and `Answer`, which the answering pages and the results are built on.
"""

from flask import Blueprint

bp = Blueprint("surveys", __name__)

from forum.surveys import (  # noqa: E402,F401
    answer_views,
    coding_views,
    export_views,
    manage_views,
    results_views,
)

# -- Hooks: where surveys plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.surveys.queries import survey_summary  # noqa: E402
from forum.surveys.results import results_link  # noqa: E402

hooks.consultation_page_sections.register(survey_summary, name="survey_info", order=30)
hooks.consultation_page_sections.register(
    results_link, name="results_at", order=30, needs="survey_info"
)
