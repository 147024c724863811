"""Mailings: how a forum reaches families by email.

The plumbing is in `forum/notifications/` (the outbox, topics and each person's choices,
`preferences.notify`, unsubscribe tokens). This package, above every other area, holds what
the forum sends and the pages about it: the unsubscribe page and its one-click POST, and the
check made when an optional email is about to go (`permissions.recipient_allowed`). Each part
is a sub-package.
"""

from flask import Blueprint

bp = Blueprint("mailings", __name__)

from forum.mailings.digests import views as _digest_views  # noqa: E402,F401
from forum.mailings.unsubscribe import views as _unsubscribe_views  # noqa: E402,F401

# -- Hooks: where mailings plug into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.mailings.permissions import recipient_allowed  # noqa: E402

hooks.email_recipient_allowed.register(recipient_allowed, order=60)

# digests (forum/mailings/digests/): what is waiting shows in "Your data" and goes with the
# account; sent lines go after 30 days
from forum.mailings import data_rights  # noqa: E402
from forum.mailings.digests.services import (  # noqa: E402
    purge_sent_items,
    send_daily_digests,
    send_weekly_digests,
)
from forum.scheduling import Daily, Job, Weekly  # noqa: E402

hooks.personal_data_sections.register(data_rights.digest_items_personal_data, order=60)
hooks.personal_data_erasure.register(data_rights.erase_digest_items, order=60)
hooks.retention_purges.register(purge_sent_items, name="sent digest lines", order=60)
# 7:00am London time: every day, and on Mondays
hooks.scheduled_jobs.register(
    Job("mailings.daily-digests", Daily(hour=7), send_daily_digests, "daily digest emails"),
    order=60,
)
hooks.scheduled_jobs.register(
    Job(
        "mailings.weekly-digests",
        Weekly(weekday=0, hour=7),
        send_weekly_digests,
        "weekly digest emails",
    ),
    order=60,
)
