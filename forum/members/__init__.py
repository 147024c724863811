"""Members: consented family profiles (what a member chooses to tell their forum about their
family) and the area's own list of localities. It sits just above areas: it knows people and
their memberships, and surveys and outcomes read it to count who a forum hears from.
"""

from flask import Blueprint

bp = Blueprint("members", __name__)

from forum.members import manage_views, reach_views, views  # noqa: E402,F401

# -- Hooks: where members plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.members import data_rights  # noqa: E402
from forum.members import services as _services  # noqa: E402

hooks.area_home_sections.register(views.area_home_section, order=45, personal=True)
hooks.account_page_sections.register(views.account_section, order=60)
hooks.personal_data_sections.register(data_rights.personal_data, order=25)
hooks.personal_data_erasure.register(data_rights.erase, order=25)
hooks.membership_ended.register(_services.membership_ended, order=25)
