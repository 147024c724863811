"""`/account/emails`: the signed-in person's choices of optional email, one form per forum.

Each forum's form posts on its own (`/account/emails/<area>`), so saving one forum's choices
never touches another's; a form with a mistake is shown again in its place on the same page,
with the others as saved.
"""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from forum.areas.queries import load_area
from forum.mailings import bp
from forum.mailings.preferences import queries
from forum.mailings.preferences import services as choices
from forum.mailings.preferences.forms import MemberChoicesForm
from forum.mailings.preferences.permissions import can_choose_emails
from forum.web.auth import access, signed_in
from forum.web.htmx import render
from forum.web.security import private
from forum.web.submit import accept


def form_prefix(area) -> str:
    return f"area-{area.id}"


def _page(sent=None, status: int = 200):
    """The page, with `sent` (an area and its form as posted) in place of that area's form."""
    rows = queries.areas_for(current_user)
    chosen = queries.choices_by_area(current_user, [area.id for area, _ in rows])
    forums = []
    for area, membership in rows:
        if sent is not None and sent[0].id == area.id:
            form = sent[1]
        else:
            form = MemberChoicesForm.filled(chosen[area.id], prefix=form_prefix(area))
        forums.append({"area": area, "membership": membership, "form": form})
    errors = [sent[1]] if sent is not None and sent[1].errors else []
    return render(
        "mailings/preferences/page.html",
        status=status,
        forums=forums,
        forms_with_errors=errors,
    )


@bp.get("/account/emails")
@signed_in
@private
def preferences():
    return _page()


@bp.post("/account/emails/<area_slug>")
@access(can_choose_emails, load=load_area, subject="area", explain="Sign in to choose your emails.")
@private
def save_preferences(area):
    form = MemberChoicesForm(prefix=form_prefix(area))
    done = accept(
        form,
        lambda: choices.save_choices(current_user, area, form.wanted(), actor=current_user),
        refused=choices.PreferencesError,
        field=None,
        then=url_for("mailings.preferences"),
        message=f"Your email choices for {area.forum_name} are saved.",
    )
    return done or _page(sent=(area, form), status=422)
