"""Mailings: how a forum reaches families by email.

The plumbing is in `forum/notifications/` (the outbox, topics and each person's choices,
`preferences.notify`, unsubscribe tokens). This package, above every other area, holds what
the forum sends and the pages about it, each part a sub-package: the unsubscribe page and its
one-click POST (`unsubscribe/`), the check made when an optional email is about to go
(`permissions.recipient_allowed`), each person's "Your emails" page (`preferences/`), public
subscribers (`subscribers/`), what a consultation's audience is told, and when
(`announcements/`), newsletters: messages organisers write, send and keep in an archive
(`newsletters/`), and the daily and weekly emails that gather what a person chose to have
together (`digests/`).
"""

from flask import Blueprint

bp = Blueprint("mailings", __name__)

from forum.mailings.announcements import views as _announcement_views  # noqa: E402,F401
from forum.mailings.digests import views as _digest_views  # noqa: E402,F401
from forum.mailings.newsletters import views as _newsletter_views  # noqa: E402,F401
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

from forum.mailings.announcements import services as _announcements  # noqa: E402

hooks.consultation_page_sections.register(
    _announcement_views.organiser_links, name="organiser_links", order=60
)
hooks.consultation_opened_early.register(_announcements.consultation_opened_early, order=60)
hooks.consultation_extended.register(_announcements.consultation_extended, order=60)
hooks.consultation_closed.register(_announcements.consultation_closed_early, order=60)
hooks.ledger_published.register(_announcements.ledger_published, order=60)

from forum.mailings.announcements.checks import announcement_check  # noqa: E402

hooks.publish_checks.register(announcement_check, order=60)

from forum.mailings.newsletters import data_rights as _newsletter_rights  # noqa: E402
from forum.mailings.newsletters.queries import still_for as _newsletter_still_for  # noqa: E402
from forum.mailings.newsletters.services import fan_out_job  # noqa: E402
from forum.mailings.permissions import ABOUT_CHECKS  # noqa: E402

ABOUT_CHECKS["newsletter"] = _newsletter_still_for
hooks.area_home_sections.register(_newsletter_views.area_home_section, order=60)
hooks.personal_data_sections.register(_newsletter_rights.personal_data, order=60)
hooks.personal_data_erasure.register(_newsletter_rights.erase, order=60)

from datetime import timedelta  # noqa: E402

from forum.scheduling import Every, Job  # noqa: E402

hooks.scheduled_jobs.register(
    Job(
        "mailings.announce-openings",
        Every(minutes=1),
        _announcements.announce_due,
        "emails about consultations that have opened",
    ),
    order=60,
)
hooks.scheduled_jobs.register(
    Job(
        "mailings.consultation-reminders",
        Every(minutes=15),
        _announcements.reminders_due,
        "reminders before consultations close",
    ),
    order=60,
)
hooks.scheduled_jobs.register(
    Job(
        "mailings.newsletters",
        Every(minutes=1),
        fan_out_job,
        "start scheduled newsletters and queue their emails",
        timeout=timedelta(minutes=30),
    ),
    order=60,
)

# reminders about answers saved but not sent (forum/mailings/drafts/): once per person and
# consultation, two days before it closes; what was sent shows in "Your data" and goes with
# the account
from forum.mailings.drafts import data_rights as _draft_rights  # noqa: E402
from forum.mailings.drafts.services import purge_old_reminders, send_draft_reminders  # noqa: E402

hooks.personal_data_sections.register(_draft_rights.personal_data, order=60)
hooks.personal_data_erasure.register(_draft_rights.erase, order=60)
hooks.retention_purges.register(
    purge_old_reminders, name="reminders about unsent answers", order=60
)
hooks.scheduled_jobs.register(
    Job(
        "mailings.unsent-answers",
        Every(minutes=15),
        send_draft_reminders,
        "reminders to people who saved answers and have not sent them",
    ),
    order=60,
)

# digests (forum/mailings/digests/): what is waiting shows in "Your data" and goes with the
# account; sent lines go after 30 days; made at 7:00am London time, daily and on Mondays
from forum.mailings.digests import data_rights as _digest_rights  # noqa: E402
from forum.mailings.digests.services import (  # noqa: E402
    purge_sent_items,
    send_daily_digests,
    send_weekly_digests,
)
from forum.scheduling import Daily, Weekly  # noqa: E402

hooks.personal_data_sections.register(_digest_rights.personal_data, order=60)
hooks.personal_data_erasure.register(_digest_rights.erase, order=60)
hooks.retention_purges.register(purge_sent_items, name="sent digest lines", order=60)
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
