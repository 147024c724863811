"""Data rights: a person can download everything held about them, and delete their account.

Each area knows what it holds about a person, so each one answers for itself through two hooks
in `forum/hooks.py`: `personal_data_sections` (what it holds, for the "Your data" page and the
JSON download) and `personal_data_erasure` (erase or irreversibly de-identify it when the
account is deleted). This package asks the hooks, adds what accounts, the outbox and the audit
log hold, and owns the pages. It sits inside accounts, so it imports no higher area.
"""

from flask import Blueprint

bp = Blueprint("rights", __name__)

from forum.accounts.rights import views  # noqa: E402,F401
