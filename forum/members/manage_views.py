"""The area's own list of localities, kept by its organisers: the places a child's profile may
name, so the reach report can show which parts of the area the forum hears from."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from forum.areas.queries import load_area
from forum.members import bp
from forum.members import services as profiles
from forum.members.forms import LocalityForm
from forum.members.models import LOCALITIES_MAX
from forum.members.permissions import can_manage_localities
from forum.members.queries import children_per_locality, load_locality, localities_of
from forum.web.auth import access
from forum.web.submit import accept, form_page, press

LOCALITIES = "/areas/<area_slug>/localities"
ORGANISERS = "Only organisers of {area.forum_name} can change its list of localities."


def localities_url(area) -> str:
    return url_for("members.localities", area_slug=area.slug)


@bp.route(LOCALITIES, methods=["GET", "POST"])
@access(can_manage_localities, load=load_area, subject="area", explain=ORGANISERS)
def localities(area):
    form = LocalityForm()
    done = accept(
        form,
        lambda: profiles.add_locality(area, form.name.data or "", actor=current_user),
        refused=profiles.ProfileError,
        field="name",
        then=lambda _: localities_url(area),
        message=lambda locality: f"“{locality.name}” is added to the list.",
    )
    return done or form_page(
        "members/localities.html",
        form,
        area=area,
        localities=localities_of(area),
        counts=children_per_locality(area),
        most=LOCALITIES_MAX,
    )


@bp.post(LOCALITIES + "/<int:locality_id>/remove")
@access(can_manage_localities, load=load_locality, subject="area", explain=ORGANISERS)
def remove_locality(area, locality):
    name = locality.name
    return press(
        lambda: profiles.remove_locality(area, locality, actor=current_user),
        refused=profiles.ProfileError,
        then=localities_url(area),
        message=f"“{name}” is taken off the list.",
    )


@bp.post(LOCALITIES + "/<int:locality_id>/move")
@access(can_manage_localities, load=load_locality, subject="area", explain=ORGANISERS)
def move_locality(area, locality):
    direction = request.form.get("direction", "")
    return press(
        lambda: profiles.move_locality(area, locality, direction, actor=current_user),
        refused=profiles.ProfileError,
        then=localities_url(area) + f"#locality-{locality.id}",
    )
