"""HTTP plumbing shared by every area, holding no domain rules.

The page-or-fragment helper, access decorators, error pages, security headers, the one place
user text is cleaned, form fields and pagination. Also the few pages that belong to no area:
accessibility statement, privacy notice and contact.
"""

from flask import Blueprint

bp = Blueprint("web", __name__)

from forum.web import pages  # noqa: E402,F401
