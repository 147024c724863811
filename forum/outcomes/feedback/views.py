"""A signed-in person's "What happened to my feedback" page.

The page is the person's own and nobody else's: it takes no user from the URL. With htmx its
pagination fetches only the list; without JavaScript the same links load the whole page.
"""

from __future__ import annotations

from flask_login import current_user

from forum.outcomes import bp
from forum.outcomes.feedback.queries import feedback_page
from forum.web.auth import signed_in
from forum.web.htmx import render
from forum.web.pagination import page_number


@bp.get("/account/feedback")
@signed_in
def my_feedback():
    found = feedback_page(current_user, page=page_number())
    return render(
        "outcomes/my_feedback/page.html",
        fragment="outcomes/my_feedback/_list.html",
        feedback=found,
        pagination=found.page.component("outcomes.my_feedback"),
    )
