"""Documents: files and links attached to what a forum publishes (a consultation, a local plan;
later an event), each labelled by the format it is in (easy read, BSL, large print, audio,
another language, the full document), and people's requests for a format that is missing.

Files are checked by their content, kept on the local disk or in S3-compatible storage under a
random name (`storage.py`), and served only to those who may see what they belong to. This
area sits below the areas that own documents: they register how to load an owner and who may
see it on `hooks.document_owners` (`owners.py`), so nothing here imports them.
"""

from flask import Blueprint

bp = Blueprint("documents", __name__)

from forum import hooks  # noqa: E402
from forum.documents import data_rights, manage_views, views  # noqa: E402,F401

hooks.personal_data_sections.register(data_rights.personal_data, order=15)
hooks.personal_data_erasure.register(data_rights.erase, order=15)
