"""Consultations: time-boxed questions a forum puts to parents, linked to plan priorities.

Lifecycle: draft → scheduled → open → closed → responded. Only "draft" and "responded" are
stored decisions; scheduled, open and closed follow the clock from `opens_at` and `closes_at`,
so nothing needs a timer. Organisers can open early, extend, or close early with a reason; each
change is recorded in the audit log with who and when.
"""

from flask import Blueprint

bp = Blueprint("consultations", __name__)

from forum import hooks  # noqa: E402
from forum.consultations import manage_views, views  # noqa: E402,F401

hooks.area_home_sections.register(views.area_home_section, order=20)

from forum.consultations import data_rights  # noqa: E402

hooks.personal_data_sections.register(data_rights.personal_data, order=20)
hooks.personal_data_erasure.register(data_rights.erase, order=20)

from forum.consultations import documents  # noqa: E402

hooks.document_owners.register(documents.OWNER, name="consultation", order=20)
hooks.publish_checks.register(documents.accessible_versions_check, order=20)
