"""The inspection evidence pack: for an inspection window, a dated timeline of co-production,
"you said, we did" with the evidence trails behind it, and the open issues, from what is
published only. Organisers preview it and share it with a named partner (the council's SEND
lead, Ofsted and CQC inspectors) through a link that expires, can be revoked, and records
every time it is opened (docs/inspection-pack.md). Its routes are on the reports blueprint."""

from forum.reports.pack import manage_views, views  # noqa: F401

# -- Hooks: where the pack plugs into lower areas (forum/hooks.py) --
# isort: split
from forum import hooks  # noqa: E402
from forum.reports.pack import data_rights  # noqa: E402
from forum.reports.pack.manage_views import area_home_section  # noqa: E402

hooks.area_home_sections.register(area_home_section, order=70)
hooks.personal_data_sections.register(data_rights.personal_data, order=70)
hooks.personal_data_erasure.register(data_rights.erase, order=70)
