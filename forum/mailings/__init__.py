"""Mailings: how a forum reaches families by email.

The plumbing is in `forum/notifications/` (the outbox, topics and each person's choices,
`preferences.notify`, unsubscribe tokens). This package, above every other area, holds what
the forum sends and the pages about it: the unsubscribe page and its one-click POST, and the
check made when an optional email is about to go (`permissions.recipient_allowed`). Each part
is a sub-package.
"""

from flask import Blueprint

bp = Blueprint("mailings", __name__)

from forum.mailings.newsletters import views as _newsletter_views  # noqa: E402,F401
from forum.mailings.unsubscribe import views as _unsubscribe_views  # noqa: E402,F401

# -- Hooks: where mailings plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.mailings.permissions import recipient_allowed  # noqa: E402

hooks.email_recipient_allowed.register(recipient_allowed, order=60)

from forum.mailings.newsletters import data_rights as _newsletter_rights  # noqa: E402
from forum.mailings.newsletters.queries import still_for as _newsletter_still_for  # noqa: E402
from forum.mailings.permissions import ABOUT_CHECKS  # noqa: E402

ABOUT_CHECKS["newsletter"] = _newsletter_still_for
hooks.area_home_sections.register(_newsletter_views.area_home_section, order=60)

from datetime import timedelta  # noqa: E402

from forum.mailings.newsletters.services import fan_out_job  # noqa: E402
from forum.scheduling import Every, Job  # noqa: E402

hooks.scheduled_jobs.register(
    Job(
        name="mailings.newsletters",
        schedule=Every(minutes=1),
        run=fan_out_job,
        description="start scheduled newsletters and queue their emails",
        timeout=timedelta(minutes=30),
    ),
    order=60,
)
hooks.personal_data_sections.register(_newsletter_rights.personal_data, order=60)
hooks.personal_data_erasure.register(_newsletter_rights.erase, order=60)
