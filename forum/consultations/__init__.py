"""Consultations: time-boxed questions a forum puts to parents, linked to plan priorities.

Lifecycle: draft → scheduled → open → closed → responded. Only "draft" and "responded" are
stored decisions; scheduled, open and closed follow the clock from `opens_at` and `closes_at`,
so nothing needs a timer. Organisers can open early, extend, or close early with a reason; each
change is recorded in the audit log with who and when.
"""

from flask import Blueprint

bp = Blueprint("consultations", __name__)

from forum.areas import home_sections  # noqa: E402
from forum.consultations import manage_views, views  # noqa: E402,F401

home_sections.append(views.area_home_section)
