"""Discussions: area boards and each consultation's board, threads and posts, support ("me
too"), follows, reports and moderation.

Posts are feedback like survey answers: the ledger cites them as evidence, and "me too" gives
them weight. Families' safety comes first: posts that look like personal data wait for an
organiser, reported posts hide themselves after three reports, and every moderation action is
recorded and explained to the author.
"""

from flask import Blueprint

bp = Blueprint("discussions", __name__)

from forum.discussions import views  # noqa: E402,F401
from forum.discussions.moderation import views as moderation_views  # noqa: E402,F401
from forum.discussions.search import views as search_views  # noqa: E402,F401

# -- Hooks: where discussions plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.discussions import data_rights  # noqa: E402
from forum.discussions.retention import purge_removed_posts  # noqa: E402

hooks.area_home_sections.register(views.area_home_section, order=30)
hooks.retention_purges.register(purge_removed_posts, name="removed posts' words", order=30)
hooks.personal_data_sections.register(data_rights.personal_data, order=30)
hooks.personal_data_erasure.register(data_rights.erase, order=30)
