"""Representation: the forum's seat at partners' tables. Organisers record each meeting the
forum attended (whose it was, who went, the themes and plan priorities raised, a summary) and
what was agreed there as actions, which can become commitments in the area's plan. They
choose per meeting what is public on the area's "Where we represented you" page, and the
figures go on the plan scorecard. It sits above outcomes: meetings cite themes.
"""

from flask import Blueprint

bp = Blueprint("representation", __name__)

from forum.representation import manage_views, views  # noqa: E402,F401

# -- Hooks: where the representation log plugs into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.representation import data_rights  # noqa: E402

hooks.area_home_sections.register(views.area_home_section, order=50)
hooks.commitment_page_sections.register(views.commitment_section, order=50)
hooks.scorecard_sections.register(views.scorecard_section, order=50)
hooks.national_columns.register(views.national_columns, order=50)
hooks.personal_data_sections.register(data_rights.personal_data, order=50)
hooks.personal_data_erasure.register(data_rights.erase, order=50)
