"""Announcements: what a consultation's audience is told by email, and when.

When a consultation opens (at its opening time, or when an organiser opens it early), a few days
before it closes, when it is given more time or closed early, and when its response ("you said,
we did") is published. Each is sent once per consultation and occasion, whichever worker gets
there first (`models.Announcement`). Organisers choose the reminder on the consultation's
"Emails about this consultation" page. The routes are on the `mailings` blueprint.
"""
