"""Events: the meetings a forum runs (coffee mornings, workshops, drop-ins, online sessions),
their lifecycle from draft to published (registration open or closed) or cancelled, and the
registrations people make for them, with capacity held by the database and a waiting list.
Upcoming events show on the area's home page and on a linked consultation's page.
"""

from flask import Blueprint

bp = Blueprint("events", __name__)

from forum import hooks  # noqa: E402
from forum.events import manage_views, note_views, views  # noqa: E402,F401

hooks.area_home_sections.register(views.area_home_section, order=35)
hooks.consultation_page_sections.register(views.consultation_events, name="events", order=35)
hooks.account_page_sections.register(views.account_events, order=35)
hooks.scorecard_sections.register(views.scorecard_section, order=35)
hooks.national_columns.register(views.national_columns, order=35)

from forum.events import data_rights  # noqa: E402

hooks.personal_data_sections.register(data_rights.personal_data, order=35)
hooks.personal_data_erasure.register(data_rights.erase, order=35)

from forum.events import services  # noqa: E402
from forum.scheduling import Daily, Job  # noqa: E402

hooks.scheduled_jobs.register(
    Job(
        name="events.reminders",
        schedule=Daily(hour=9),
        run=services.send_reminders,
        description="reminders of tomorrow's events",
    ),
    order=35,
)
hooks.retention_purges.register(
    services.erase_needs, name="access and dietary needs after events", order=35
)
hooks.retention_purges.register(
    services.purge_unconfirmed, name="event registrations never confirmed", order=35
)
