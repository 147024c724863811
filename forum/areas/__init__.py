"""Areas: England's local areas, the tenant everything else belongs to.

An area has a parent-carer forum (its name, description and brand colour), partner
organisations (the council, the ICB, others) and memberships that give people a role there:
member, organiser or responder. Visitors ask to join; organisers approve or decline, invite
people by email, remove members with a reason, and appoint organisers and responders. Members
leave in one step; a forum may ask its members once a year to confirm they want to stay
(`renewal.py`). Only platform admins create areas.
"""

from flask import Blueprint

bp = Blueprint("areas", __name__)

from forum.areas import manage_views, membership_views, views  # noqa: E402,F401

# -- Hooks: where areas plug into lower parts (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.areas import data_rights, queries, renewal  # noqa: E402
from forum.areas.retention import purge_declined_requests, purge_ended_invitations  # noqa: E402
from forum.scheduling import Daily, Job  # noqa: E402

hooks.retention_purges.register(purge_declined_requests, name="declined join requests", order=2)
hooks.retention_purges.register(purge_ended_invitations, name="ended invitations", order=2)

hooks.service_email_due.register(queries.email_still_due, order=5)
hooks.personal_data_sections.register(data_rights.personal_data, order=5)
hooks.personal_data_erasure.register(data_rights.erase, order=5)
hooks.scheduled_jobs.register(
    Job(
        name="areas.renewal",
        schedule=Daily(hour=8),
        run=renewal.run,
        description="yearly renewal: ask, remind, lapse",
    ),
    order=5,
)
