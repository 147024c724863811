"""The reach report: who the forum hears from, by each question of the family profile, beside
the area's children and young people with SEND; and the pages where organisers give the
population figures and choose whether the report is public."""

from __future__ import annotations

from flask import Response, url_for
from flask_login import current_user

from forum.areas.permissions import can_view_area
from forum.areas.queries import load_area
from forum.audit.services import record
from forum.disclosure import EXPLAINED
from forum.extensions import db
from forum.members import bp, population, reach
from forum.members.forms import PopulationForm, ReachPublishingForm
from forum.members.models import (
    POPULATION_BYTES_MAX,
    POPULATION_DIMENSIONS,
    POPULATION_ROWS_MAX,
    ReachSettings,
)
from forum.members.permissions import can_manage_reach, can_view_reach
from forum.members.queries import localities_of
from forum.models import utcnow
from forum.web.auth import NotAllowed, access, to_sign_in
from forum.web.htmx import redirect_after_post
from forum.web.submit import accept, accept_upload, form_page

REACH = "/areas/<area_slug>/reach"
ORGANISERS = "Only organisers of {area.forum_name} can change its reach report."
NOT_PUBLISHED = (
    "The organisers of {forum} have not published who the forum hears from. Ask them if you "
    "would like to see it."
)


def reach_url(area) -> str:
    return url_for("members.reach_report", area_slug=area.slug)


@bp.get(REACH)
@access(can_view_area, load=load_area, subject="area", explain="")
def reach_report(area):
    """Families who told the forum about themselves, by each question, protected for everyone
    (`members.reach`), with the area's figures beside them."""
    published = reach.is_published(area)
    if not can_view_reach(current_user, area, published=published):
        if not current_user.is_authenticated:
            return to_sign_in()
        raise NotAllowed(NOT_PUBLISHED.format(forum=area.forum_name))
    return form_page(
        "members/reach.html",
        ReachPublishingForm(data={"published": "yes" if published else "no"}),
        area=area,
        report=reach.breakdown(area),
        published=published,
        manages=can_manage_reach(current_user, area),
        explained=EXPLAINED,
    )


@bp.post(REACH + "/publishing")
@access(can_manage_reach, load=load_area, subject="area", explain=ORGANISERS)
def reach_publishing(area):
    form = ReachPublishingForm()

    def save():
        settings = db.session.get(ReachSettings, area.id)
        if settings is None:
            settings = ReachSettings(area_id=area.id)
            db.session.add(settings)
        settings.is_published = form.published.data == "yes"
        settings.changed_at = utcnow()
        settings.changed_by_id = current_user.id
        db.session.flush()
        record(
            "member.reach_published" if settings.is_published else "member.reach_unpublished",
            settings,
            actor=current_user,
            area=area,
        )
        return settings

    done = accept(
        form,
        save,
        refused=(),
        field="published",
        then=lambda _: reach_url(area),
        message=lambda s: (
            "The report is published to everyone."
            if s.is_published
            else "Only the forum's organisers can see the report now."
        ),
    )
    return done or redirect_after_post(reach_url(area))


@bp.route(REACH + "/population", methods=["GET", "POST"])
@access(can_manage_reach, load=load_area, subject="area", explain=ORGANISERS)
def population_upload(area):
    """Upload the area's figures (a CSV file): every row checked first, nothing kept on any
    problem, each problem said with its row."""
    form = PopulationForm()
    done, checked = accept_upload(
        form,
        limit=POPULATION_BYTES_MAX,
        check=lambda data: population.check(area, data),
        keep=lambda checked: population.keep(
            area,
            checked,
            source=form.source.data or "",
            as_of=form.as_of.data,
            actor=current_user,
        ),
        refused=population.PopulationError,
        then=reach_url(area),
        message=lambda upload: f"The figures are kept: {len(upload.figures)} groups.",
        missing="Choose a CSV file of figures",
    )
    if done:
        return done
    return form_page(
        "members/population.html",
        form,
        area=area,
        checked=checked,
        shown=population.PROBLEMS_SHOWN,
        dimensions=POPULATION_DIMENSIONS,
        rows_max=POPULATION_ROWS_MAX,
        localities=localities_of(area),
    )


@bp.get(REACH + "/population-example.csv")
@access(can_manage_reach, load=load_area, subject="area", explain=ORGANISERS)
def population_example(area):
    response = Response("\ufeff" + population.EXAMPLE, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="population-example.csv"'
    return response
