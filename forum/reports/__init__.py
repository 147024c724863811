"""Reports: the forum's year in evidence. Documents made from what the platform already holds,
for a chosen period: the public annual report (to members, the council and the ICB), the
return a funder's grant monitoring asks for, and the evidence pack an area's SEND inspection
reads, shared through an expiring, revocable link. Nothing personal is in any of them; every
count passes `forum/disclosure.py`. It sits at the top: it reads every area below it.
"""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from forum.reports import manage_views, pack, views  # noqa: E402,F401

# -- Hooks: where the reports plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.reports import data_rights  # noqa: E402

hooks.area_home_sections.register(views.area_home_section, order=70)
hooks.personal_data_sections.register(data_rights.personal_data, order=70)
hooks.personal_data_erasure.register(data_rights.erase, order=70)
