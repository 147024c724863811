"""Mailings: how a forum reaches families by email.

The plumbing is in `forum/notifications/` (the outbox, topics and each person's choices,
`preferences.notify`, unsubscribe tokens). This package, above every other area, holds what
the forum sends and the pages about it: the unsubscribe page and its one-click POST, the
check made when an optional email is about to go (`permissions.recipient_allowed`), each
person's "Your emails" page (`preferences/`) and public subscribers (`subscribers/`). Each
part is a sub-package.
"""

from flask import Blueprint

bp = Blueprint("mailings", __name__)

from forum.mailings.preferences import views as _preferences_views  # noqa: E402,F401
from forum.mailings.subscribers import views as _subscribers_views  # noqa: E402,F401
from forum.mailings.unsubscribe import views as _unsubscribe_views  # noqa: E402,F401

# -- Hooks: where mailings plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.mailings.permissions import recipient_allowed  # noqa: E402
from forum.mailings.preferences import data_rights as _preferences_rights  # noqa: E402
from forum.mailings.subscribers.services import purge_unconfirmed  # noqa: E402

hooks.email_recipient_allowed.register(recipient_allowed, order=60)
hooks.area_home_sections.register(_subscribers_views.area_home_section, order=60)
hooks.retention_purges.register(purge_unconfirmed, name="unconfirmed subscribers", order=60)
hooks.personal_data_sections.register(_preferences_rights.personal_data, order=60)
hooks.personal_data_erasure.register(_preferences_rights.erase, order=60)
