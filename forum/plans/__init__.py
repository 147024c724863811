"""Plans: each area's local plans (its local inclusion plan or SEND strategy) — a tree of
priorities, the commitments partners make under them, and the dated progress updates that
form each commitment's public timeline. Consultations and themes link to priorities;
decisions link to commitments.
"""

from flask import Blueprint

bp = Blueprint("plans", __name__)

from forum import hooks  # noqa: E402
from forum.plans import manage_views, views  # noqa: E402,F401

hooks.area_home_sections.register(views.area_home_section, order=10)

from forum.plans import data_rights  # noqa: E402

hooks.personal_data_sections.register(data_rights.personal_data, order=10)
hooks.personal_data_erasure.register(data_rights.erase, order=10)

from forum.plans import documents  # noqa: E402

hooks.document_owners.register(documents.OWNER, name="plan", order=10)
